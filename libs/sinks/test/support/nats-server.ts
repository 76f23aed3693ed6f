import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real nats-server with JetStream for integration tests (the collector's tests use it
 * too): its own store folder and a free loopback port, both kept across stop()/start()
 * and restart() so that a restart finds its streams again, as a production restart would.
 *
 *   const nats = await startNatsServer();
 *   new NatsSink({ servers: nats.url, ... });
 *   await nats.stop();    // the server is gone: clients see the TCP connection close
 *   await nats.start();   // same port, same store
 *   await nats.destroy(); // in afterAll: stops it and removes the store
 */
export interface TestNatsServer {
  /** nats://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The JetStream store folder (`-sd`). */
  readonly storeDir: string;
  readonly running: boolean;
  /** Starts it again (after stop or kill) on the same port and store. */
  start(): Promise<void>;
  /** SIGTERM: a clean shutdown, JetStream flushes its files. */
  stop(): Promise<void>;
  /** SIGKILL: a crash; what the server wrote to its files survives in the OS page cache. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** SIGSTOP, resolved once the process is stopped: it keeps its sockets open but answers nothing (unreachable, not refused). */
  pause(): Promise<void>;
  /** SIGCONT. */
  resume(): void;
  /** The server's log so far (stderr), for failure messages. */
  log(): string;
  /** Stops the server and removes the store folder. */
  destroy(): Promise<void>;
}

export interface TestNatsServerOptions {
  /** Reuse this store folder instead of a fresh temporary one (it is then not removed by destroy). */
  storeDir?: string;
  port?: number;
  /** Extra command-line arguments for nats-server. */
  args?: string[];
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** Debian's nats-server (CI installs the `nats-server` package), or NATS_SERVER_BIN. */
export function natsServerBinary(): string {
  const configured = process.env['NATS_SERVER_BIN'];
  if (configured) return configured;
  for (const candidate of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('nats-server not found: install the Debian package nats-server (apt-get install nats-server) or set NATS_SERVER_BIN');
}

/** True when every thread of the process is stopped ("T" in /proc/<pid>/task/<tid>/stat), Linux only. */
function allThreadsStopped(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).every((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
    });
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startNatsServer(options: TestNatsServerOptions = {}): Promise<TestNatsServer> {
  const binary = natsServerBinary();
  const ownStore = !options.storeDir;
  const storeDir = options.storeDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tagplan-nats-')));
  const port = options.port ?? (await freePort());
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let logText = '';

  const appendLog = (chunk: Buffer) => {
    logText += chunk.toString('utf8');
    // Keep the tail only: a long test run must not grow this without bound.
    if (logText.length > 200_000) logText = logText.slice(-100_000);
  };

  const start = async (): Promise<void> => {
    if (child) throw new Error(`nats-server on port ${port} is already running`);
    const started = spawn(binary, ['-js', '-sd', storeDir, '-p', String(port), '-a', '127.0.0.1', ...(options.args ?? [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    void exited.then(() => {
      if (child === started) child = null;
    });
    started.stdout?.on('data', appendLog);
    started.stderr?.on('data', appendLog);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`nats-server did not get ready within ${READY_TIMEOUT_MS} ms:\n${logText}`)), READY_TIMEOUT_MS);
      const onData = () => {
        if (logText.includes('Server is ready')) done();
      };
      const onExit = (code: number | null, signal: string | null) =>
        fail(new Error(`nats-server exited (${signal ?? code}) before it was ready:\n${logText}`));
      const onError = (error: Error) => fail(error);
      const cleanup = () => {
        clearTimeout(timer);
        started.stderr?.off('data', onData);
        started.stdout?.off('data', onData);
        started.off('exit', onExit);
        started.off('error', onError);
      };
      const done = () => {
        cleanup();
        resolve();
      };
      const fail = (error: Error) => {
        cleanup();
        started.kill('SIGKILL');
        reject(error);
      };
      started.stderr?.on('data', onData);
      started.stdout?.on('data', onData);
      started.once('exit', onExit);
      started.once('error', onError);
      onData();
    });
  };

  const signalAndWait = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (!running) return;
    // A paused server ignores SIGTERM until it runs again.
    running.kill('SIGCONT');
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  await start();

  const server: TestNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get running() {
      return child !== null;
    },
    start,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    async restart() {
      await signalAndWait('SIGTERM');
      await start();
    },
    async pause() {
      const running = child;
      if (!running?.pid) return;
      running.kill('SIGSTOP');
      // The signal takes effect asynchronously: until the kernel reports the process
      // stopped, every thread of it, it may still answer what a test sends next.
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      while (!allThreadsStopped(running.pid)) {
        if (Date.now() > deadline) throw new Error(`nats-server (pid ${running.pid}) did not stop on SIGSTOP`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    resume() {
      child?.kill('SIGCONT');
    },
    log: () => logText,
    async destroy() {
      await signalAndWait('SIGTERM');
      if (ownStore) await rm(storeDir, { recursive: true, force: true });
    },
  };
  return server;
}
