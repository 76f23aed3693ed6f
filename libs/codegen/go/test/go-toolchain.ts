import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLangpackModel, packageNames, writeGeneratedFiles, type GeneratedFile, type LangpackModel } from '@tagplan/codegen-core';
import type { InMemoryCatalog } from '@tagplan/catalog';
import { generateGo } from '@tagplan/codegen-go';

export const FIXTURES = path.join(__dirname, 'fixtures');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The Go toolchain, offline: langpacks use the standard library only, so nothing is
 * downloaded (GOPROXY=off) and local modules are reached through replace directives.
 * Asynchronous, so that an HTTP server in this process can answer a Go program.
 */
export function go(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      'go',
      args,
      {
        cwd,
        env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOWORK: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0', ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
  });
}

export function gofmt(args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile('gofmt', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? 1 : 0, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

/** Fails with the tool's own output, which is what one needs to read when it breaks. */
export function expectSuccess(result: RunResult, what: string): string {
  if (result.code !== 0) throw new Error(`${what} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export async function temporaryDirectory(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface GeneratedModule {
  model: LangpackModel;
  files: GeneratedFile[];
  module: string;
  packageName: string;
  dir: string;
}

/** Generates one environment's langpack into `<root>/<package>`. */
export async function generateModule(root: string, catalog: InMemoryCatalog, environment: string): Promise<GeneratedModule> {
  const model = buildLangpackModel(catalog, environment);
  const files = generateGo(model);
  const names = packageNames(environment);
  const dir = path.join(root, names.goPackage);
  await writeGeneratedFiles(dir, files);
  return { model, files, module: names.goModule, packageName: names.goPackage, dir };
}

/** A module that uses langpacks through replace directives, as a project would after `go get`. */
export async function consumerModule(dir: string, modules: GeneratedModule[], fixtures: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const relative = (target: string) => {
    const to = path.relative(dir, target).split(path.sep).join('/');
    return to.startsWith('.') ? to : `./${to}`;
  };
  const goMod = [
    'module tagplan.test/consumer',
    '',
    'go 1.21',
    '',
    'require (',
    ...modules.map((entry) => `\t${entry.module} v${entry.model.packageVersion}`),
    ')',
    '',
    ...modules.map((entry) => `replace ${entry.module} => ${relative(entry.dir)}`),
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'go.mod'), goMod);
  for (const fixture of fixtures) await cp(path.join(FIXTURES, 'consumer', fixture), path.join(dir, fixture), { recursive: true });
}
