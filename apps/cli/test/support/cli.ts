import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs the real `tagplan` command (bin/tagplan, TypeScript through @swc-node) as a child
 * process, the way a person or CI runs it, and captures what it prints and its exit code.
 */
export const ROOT = path.resolve(__dirname, '../../../..');
export const BIN = path.join(ROOT, 'bin', 'tagplan');

/** Generous: each call compiles the CLI's sources on the fly, and the machine may be busy. */
export const CLI_TIMEOUT_MS = 60_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to the command's standard input, which is then closed. */
  input?: string;
  /** Added to the environment (TAGPLAN_URL and TAGPLAN_TOKEN are never inherited). */
  env?: Record<string, string>;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of ['TAGPLAN_URL', 'TAGPLAN_TOKEN']) if (!options.env?.[name]) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tagplan ${args.join(' ')} did not finish within ${CLI_TIMEOUT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, CLI_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // a command that does not read stdin may close it first
    child.stdin.end(options.input ?? '');
  });
}

/** `tagplan --url URL --token TOKEN ...` against one registry. */
export function cliFor(registry: { url: string }, token: string | undefined) {
  return (args: string[], options: CliOptions = {}) => runCli(['--url', registry.url, ...(token ? ['--token', token] : []), ...args], options);
}

/** Parses stdout as JSON, showing the whole result when it is not. */
export function jsonOf<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** A fresh folder for catalog files and snapshots; readable by the `postgres` user when we run as root. */
export async function tempFolder(prefix: string): Promise<{ path: string; write(name: string, content: string): Promise<string>; remove(): Promise<void> }> {
  const folder = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(folder, 0o755);
  return {
    path: folder,
    write: async (name, content) => {
      const file = path.join(folder, name);
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}

/** A URL on which nothing listens: a port the system just gave out and took back. */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
