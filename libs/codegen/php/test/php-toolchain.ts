import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageNames, writeGeneratedFiles, type GeneratedFile, type LangpackModel } from '@tagplan/codegen-core';
import { buildArchive } from '@tagplan/codegen-packaging';
import { generatePhp } from '@tagplan/codegen-php';

/** PHP files the tests run (drivers, PHPUnit tests, scenarios). */
export const FIXTURES = path.join(__dirname, 'fixtures');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking the event loop (the local HTTP servers of the tests live
 * in this process and must keep answering while PHP runs).
 */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: error && typeof error.code !== 'number' ? `${stderr}\n${error.message}` : stderr });
      },
    );
  });
}

/** Like run(), but a non-zero exit is a test failure showing the output. */
export async function runOk(command: string, args: string[], options: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `tagplan-php-${prefix}-`));
}

export async function removeDir(directory: string | undefined): Promise<void> {
  if (directory) await rm(directory, { recursive: true, force: true });
}

/** An isolated Composer: its own home and cache, no network, no questions. */
export function composerEnv(work: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    COMPOSER_HOME: path.join(work, '.composer-home'),
    COMPOSER_CACHE_DIR: path.join(work, '.composer-cache'),
    COMPOSER_NO_INTERACTION: '1',
    COMPOSER_ALLOW_SUPERUSER: '1',
    COMPOSER_DISABLE_NETWORK: '1',
  };
}

/** Writes a langpack and gives it Composer's autoloader (vendor/autoload.php), offline. */
export async function writeWithAutoloader(directory: string, files: GeneratedFile[]): Promise<void> {
  await writeGeneratedFiles(directory, files);
  await runOk('composer', ['dump-autoload', '--no-interaction', '--quiet'], { cwd: directory, env: composerEnv(path.dirname(directory)) });
}

/** Every .php file under a folder, sorted. */
export async function phpFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'vendor') await walk(full);
      } else if (entry.name.endsWith('.php')) {
        found.push(full);
      }
    }
  };
  await walk(directory);
  return found.sort();
}

/** `php -l` on every file, a few at a time; returns the failures. */
export async function lintAll(files: string[]): Promise<string[]> {
  const failures: string[] = [];
  const queue = [...files];
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const result = await run('php', ['-d', 'display_errors=stderr', '-l', file]);
      if (result.code !== 0) failures.push(`${file}: ${result.stdout}${result.stderr}`);
    }
  };
  await Promise.all([worker(), worker()]);
  return failures;
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * What a user does: `composer require` of the langpack from an artifact repository holding
 * the Composer zip the registry serves, with Packagist off. Returns the project folder.
 */
export async function installFromArtifact(work: string, model: LangpackModel): Promise<string> {
  const names = packageNames(model.environment.name);
  const archive = await buildArchive('composer', generatePhp(model), model, names);
  const artifacts = path.join(work, 'artifacts');
  const project = path.join(work, 'project');
  await mkdir(artifacts, { recursive: true });
  await mkdir(project, { recursive: true });
  await writeFile(path.join(artifacts, archive.fileName), archive.content);
  await writeFile(
    path.join(project, 'composer.json'),
    JSON.stringify({ name: 'test/app', repositories: [{ type: 'artifact', url: artifacts }, { 'packagist.org': false }] }, null, 4),
  );
  await runOk('composer', ['require', names.composer, '--no-progress'], { cwd: project, env: composerEnv(work) });
  return project;
}
