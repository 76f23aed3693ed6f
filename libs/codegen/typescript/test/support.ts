import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { applyFilesInMemory, formatIssues, type InMemoryCatalog } from '@tagplan/catalog';
import { buildLangpackModel, packageNames, writeGeneratedFiles, type LangpackModel } from '@tagplan/codegen-core';
import { generateTypescript } from '@tagplan/codegen-typescript';

export const WORKSPACE = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(__dirname, 'fixtures');
export const TSC = path.join(WORKSPACE, 'node_modules', '.bin', 'tsc');

/** A catalog built from one catalog file's content, as `tagplan apply` would. */
export function catalogOf(content: unknown): InMemoryCatalog {
  const catalog = applyFilesInMemory([{ name: 'catalog.yaml', content }]);
  if (!catalog.ok) throw new Error(formatIssues(catalog.issues));
  return catalog.value;
}

export async function temporaryDirectory(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), `tagplan-ts-${prefix}-`));
  return { path: directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

/**
 * Generates an environment's langpack into `<root>/node_modules/<npm name>`, where
 * `import '<npm name>'` finds it, as if installed. Returns the model and the folder.
 */
export async function installLangpack(root: string, catalog: InMemoryCatalog, environment: string): Promise<{ model: LangpackModel; directory: string; npmName: string }> {
  const model = buildLangpackModel(catalog, environment);
  const npmName = packageNames(environment).npm;
  const directory = path.join(root, 'node_modules', ...npmName.split('/'));
  await writeGeneratedFiles(directory, generateTypescript(model));
  return { model, directory, npmName };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end; a non-zero exit is a result, not an exception. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(new Error(`${command} ${args.join(' ')} failed to run: ${error.message}\n${stderr}`));
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs `node <args>` and parses its standard output as JSON; any failure shows stderr. */
export async function runNodeJson<T>(args: string[], options: { cwd?: string; nodeOptions?: string[] } = {}): Promise<T> {
  const result = await run(process.execPath, [...(options.nodeOptions ?? []), ...args], { cwd: options.cwd });
  if (result.code !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.code}:\n${result.stderr}\n${result.stdout}`);
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`node ${args.join(' ')} did not print JSON:\n${result.stdout}\n${result.stderr}`);
  }
}

export interface RecordedRequest {
  url: string;
  headers: IncomingHttpHeaders;
  /** The decoded JSON body (gunzipped when sent with Content-Encoding: gzip). */
  body: { payload_version: number; sent_ts: number; events: Record<string, unknown>[] };
  rawBytes: number;
}

export interface StubCollector {
  url: string;
  requests: RecordedRequest[];
  /** Statuses to answer with, one per request, before answering 200. */
  answerWith(...statuses: number[]): void;
  /** Holds every request without an answer until a POST /release; GET /held counts them. */
  hold(): void;
  close(): Promise<void>;
}

/** A collector stand-in over real HTTP that records what it receives. */
export async function startStubCollector(): Promise<StubCollector> {
  const requests: RecordedRequest[] = [];
  const statuses: number[] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/held') {
        response.writeHead(200).end(String(held.length));
        return;
      }
      if (request.url === '/release') {
        holding = false;
        const waiting = held.splice(0);
        waiting.forEach((answer) => answer());
        response.writeHead(200).end(`released ${waiting.length}`);
        return;
      }
      const raw = Buffer.concat(chunks);
      const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      requests.push({ url: request.url ?? '', headers: request.headers, body: JSON.parse(text) as RecordedRequest['body'], rawBytes: raw.length });
      const status = statuses.shift() ?? 200;
      const answer = () => {
        const body = status === 200 ? '{"accepted":1,"rejected":[]}' : `{"error":"status_${status}"}`;
        response.writeHead(status, { 'content-type': 'application/json' }).end(body);
      };
      if (holding) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerWith: (...next) => statuses.push(...next),
    hold: () => {
      holding = true;
    },
    close: () => {
      held.splice(0).forEach((answer) => answer());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (it was just free). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
