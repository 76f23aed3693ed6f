import { hostname } from 'node:os';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Lock files held by this process, so that two sinks in one process cannot share an instance. */
const HELD = new Set<string>();

export class FileSinkLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileSinkLockError';
  }
}

/**
 * One collector instance per directory and instance id: the sink appends to
 * `<instance>.jsonl` files and repairs their torn tails after a crash, which is only safe
 * when nobody else writes them. A lock left by a process that is gone (kill -9) is taken over.
 */
export class InstanceLock {
  private held = false;

  constructor(
    private readonly dir: string,
    private readonly instanceId: string,
  ) {}

  get file(): string {
    return path.join(this.dir, '.locks', `${this.instanceId}.lock`);
  }

  get isHeld(): boolean {
    return this.held;
  }

  async acquire(): Promise<void> {
    if (this.held) return;
    const file = this.file;
    await mkdir(path.dirname(file), { recursive: true });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(file, 'wx');
        try {
          await handle.writeFile(JSON.stringify({ pid: process.pid, hostname: hostname(), started_at: new Date().toISOString() }));
          await handle.sync();
        } finally {
          await handle.close();
        }
        this.held = true;
        HELD.add(file);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await readOwner(file);
      if (owner && isAlive(owner, file)) {
        throw new FileSinkLockError(
          `another collector (pid ${owner.pid} on ${owner.hostname}) writes ${this.dir} as instance "${this.instanceId}": give each collector its own instance id or directory (${file})`,
        );
      }
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    throw new FileSinkLockError(`cannot take the lock ${file}: it keeps coming back`);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    HELD.delete(this.file);
    await unlink(this.file).catch(() => undefined);
  }
}

async function readOwner(file: string): Promise<{ pid: number; hostname: string } | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; hostname?: unknown };
    if (typeof owner.pid === 'number' && typeof owner.hostname === 'string') return { pid: owner.pid, hostname: owner.hostname };
  } catch {
    // Half-written by a process killed while taking it: nobody holds it.
  }
  return undefined;
}

function isAlive(owner: { pid: number; hostname: string }, file: string): boolean {
  // Another machine's process cannot be checked from here: assume it is alive.
  if (owner.hostname !== hostname()) return true;
  if (owner.pid === process.pid) return HELD.has(file);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
