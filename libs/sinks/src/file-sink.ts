import { constants, createReadStream } from 'node:fs';
import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { SinkUnavailableError, type Sink, type SinkBatch } from '@tagplan/collector';
import { InstanceLock } from './file-sink-lock';
import { RecordSerializer } from './record-json';

export interface FileSinkOptions {
  /** The sink's name in the collector's configuration and in routes. */
  name?: string;
  dir: string;
  /** Names this collector's files; one instance per directory and id at a time. */
  instanceId: string;
  retryAfterSeconds?: number;
  /** At most this many bytes of the end of each file are read to rebuild the de-duplication window. */
  recentReadBytes?: number;
  /** For problems the sink works around (a torn line repaired, a lock not taken yet). */
  onWarning?: (message: string) => void;
  hooks?: FileSinkHooks;
}

/** Test hooks: the group commit is tested by what it does, not by timing. */
export interface FileSinkHooks {
  /** Called with the files of a commit after they are written and before they are fsync'd. */
  beforeFsync?: (files: string[]) => Promise<void> | void;
}

export interface FileSinkStats {
  /** Calls of write() that had something to write. */
  writes: number;
  /** Group commits: each makes durable every write queued while the previous one ran. */
  commits: number;
  fsyncs: number;
  failedCommits: number;
}

export const INSTANCE_ID = /^[A-Za-z0-9._-]{1,100}$/;
const HOUR_MS = 60 * 60 * 1000;
const RECORD_PREFIX = '{"event_id":"';
const RECEIVED_TS = '"received_ts":';

/** The lines a write appends to one file; `ascii` when all of them are ASCII (encoded as Latin-1: the same bytes, faster). */
interface FilePart {
  text: string;
  ascii: boolean;
}

interface QueuedWrite {
  /** File (relative to the sink's directory) → JSON lines. */
  parts: Map<string, Buffer>;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface OpenFile {
  relative: string;
  handle: FileHandle;
  /** Bytes known to be whole lines: where to truncate back to if a commit fails. */
  size: number;
  hourStart: number;
}

/**
 * The embedded default sink (DESIGN §4): append-only JSON lines under
 * `<dir>/good/YYYY/MM/DD/HH/<instance>.jsonl` and `<dir>/bad/...` (UTC hour of
 * received_ts), one file per collector instance and hour.
 *
 * Group commit: writes queue while a commit is running; the next commit appends all of
 * them, one write per file, and fsyncs each file once. Every write() resolves only after
 * the fsync that covers it, so a 2xx never precedes durability. A failed commit truncates
 * its files back to where they were (nothing half-written) and rejects its writes with
 * SinkUnavailableError; the next commit tries again, so a disk that comes back is used again
 * without a restart.
 */
export class FileSink implements Sink {
  readonly name: string;
  private readonly stats_: FileSinkStats = { writes: 0, commits: 0, fsyncs: 0, failedCommits: 0 };
  private readonly files = new Map<string, OpenFile>();
  private readonly lock: InstanceLock;
  private queue: QueuedWrite[] = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  private pathCache = { hourStart: -1, good: '', bad: '' };

  private constructor(private readonly options: FileSinkOptions) {
    if (!INSTANCE_ID.test(options.instanceId)) throw new Error(`a file sink's instance id is 1 to 100 letters, digits, ".", "_" or "-", not ${JSON.stringify(options.instanceId)}`);
    this.name = options.name ?? 'file';
    this.lock = new InstanceLock(options.dir, options.instanceId);
  }

  /**
   * Opens the sink and takes the instance lock. Only another live collector on the same
   * directory and instance id is fatal; a directory that cannot be written yet is not (the
   * writes get 503 until it can).
   */
  static async open(options: FileSinkOptions): Promise<FileSink> {
    const sink = new FileSink(options);
    try {
      await sink.lock.acquire();
    } catch (error) {
      if (error instanceof Error && error.name === 'FileSinkLockError') throw error;
      sink.warn(`cannot take the instance lock yet (${describeIoError(error)}); writes fail until the directory is writable`);
    }
    return sink;
  }

  get dir(): string {
    return this.options.dir;
  }

  stats(): FileSinkStats {
    return { ...this.stats_ };
  }

  write(batch: SinkBatch): Promise<void> {
    if (this.closed) return Promise.reject(new SinkUnavailableError(this.name, 'the sink is closed', this.retryAfter));
    const parts = new Map<string, FilePart>();
    const serializer = new RecordSerializer();
    const ascii = batch.recordsAreAscii === true;
    for (const record of batch.records) this.append(parts, 'good', record.received_ts, serializer.json(record), ascii);
    for (const row of batch.badRows) this.append(parts, 'bad', row.received_ts, JSON.stringify(row), false);
    if (parts.size === 0) return Promise.resolve();
    this.stats_.writes++;
    // Bytes outside the JS heap from here on: a batch waiting for its commit costs the GC nothing.
    const buffers = new Map<string, Buffer>();
    for (const [relative, part] of parts) buffers.set(relative, Buffer.from(part.text, part.ascii ? 'latin1' : 'utf8'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ parts: buffers, resolve, reject });
      this.schedule();
    });
  }

  async ready(): Promise<void> {
    if (this.closed) throw new SinkUnavailableError(this.name, 'the sink is closed', this.retryAfter);
    const probe = path.join(this.options.dir, `.probe-${this.options.instanceId}`);
    try {
      await this.lock.acquire();
      await mkdir(path.join(this.options.dir, 'good'), { recursive: true });
      await mkdir(path.join(this.options.dir, 'bad'), { recursive: true });
      const handle = await open(probe, 'w');
      try {
        await handle.writeFile('probe\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await unlink(probe);
    } catch (error) {
      throw new SinkUnavailableError(this.name, `${this.options.dir} is not writable: ${describeIoError(error)}`, this.retryAfter);
    }
  }

  /** Waits for the writes already queued, then closes the files and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing || this.queue.length > 0) await (this.flushing ?? this.flush());
    await Promise.all([...this.files.values()].map((file) => file.handle.close().catch(() => undefined)));
    this.files.clear();
    await this.lock.release();
  }

  async recentEventIds(sinceMs: number, visit: (eventId: string, receivedTs: number, kind: 'record' | 'bad_row') => void): Promise<void> {
    const now = Date.now();
    // A bounded number of hours whatever the window: the window's memory is bounded too.
    const first = Math.max(sinceMs - (sinceMs % HOUR_MS), now - (now % HOUR_MS) - 48 * HOUR_MS);
    for (let hourStart = first; hourStart <= now; hourStart += HOUR_MS) {
      for (const kind of ['good', 'bad'] as const) {
        const dir = path.join(this.options.dir, kind, hourPath(hourStart));
        let names: string[];
        try {
          names = (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw error;
        }
        for (const name of names) await this.readIds(path.join(dir, name), sinceMs, kind === 'good' ? 'record' : 'bad_row', visit);
      }
    }
  }

  private get retryAfter(): number {
    return this.options.retryAfterSeconds ?? 2;
  }

  private append(parts: Map<string, FilePart>, kind: 'good' | 'bad', receivedTs: number, line: string, ascii: boolean): void {
    const hourStart = receivedTs - (receivedTs % HOUR_MS);
    if (hourStart !== this.pathCache.hourStart) {
      const hour = hourPath(hourStart);
      const file = `${this.options.instanceId}.jsonl`;
      this.pathCache = { hourStart, good: path.join('good', hour, file), bad: path.join('bad', hour, file) };
    }
    const relative = this.pathCache[kind];
    const part = parts.get(relative);
    if (part === undefined) parts.set(relative, { text: `${line}\n`, ascii });
    else {
      part.text += `${line}\n`;
      part.ascii &&= ascii;
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // One turn of the event loop: requests parsed in the same turn join the same commit.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0) return Promise.resolve();
    const commit = this.queue;
    this.queue = [];
    this.flushing = this.commit(commit).finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.schedule();
    });
    return this.flushing;
  }

  private async commit(writes: QueuedWrite[]): Promise<void> {
    this.stats_.commits++;
    const perFile = new Map<string, Buffer[]>();
    for (const write of writes) {
      for (const [relative, buffer] of write.parts) {
        const list = perFile.get(relative) ?? [];
        list.push(buffer);
        perFile.set(relative, list);
      }
    }
    const touched: { file: OpenFile; sizeBefore: number; written: number }[] = [];
    try {
      await this.lock.acquire();
      for (const [relative, buffers] of perFile) {
        const file = await this.openFile(relative);
        const entry = { file, sizeBefore: file.size, written: 0 };
        touched.push(entry);
        entry.written = await writeAll(file.handle, buffers);
      }
      await this.options.hooks?.beforeFsync?.(touched.map(({ file }) => file.relative));
      await Promise.all(
        touched.map(async ({ file }) => {
          await file.handle.datasync();
          this.stats_.fsyncs++;
        }),
      );
      for (const entry of touched) entry.file.size = entry.sizeBefore + entry.written;
    } catch (error) {
      this.stats_.failedCommits++;
      await this.rollBack(touched);
      const failure = new SinkUnavailableError(this.name, `cannot write durably under ${this.options.dir}: ${describeIoError(error)}`, this.retryAfter);
      for (const write of writes) write.reject(failure);
      return;
    }
    for (const write of writes) write.resolve();
    this.closeOldFiles();
  }

  /** Nothing half-written: cut each file back to its last acknowledged line, and reopen it next time. */
  private async rollBack(touched: { file: OpenFile; sizeBefore: number }[]): Promise<void> {
    for (const { file, sizeBefore } of touched) {
      try {
        await file.handle.truncate(sizeBefore);
        await file.handle.datasync();
      } catch (error) {
        // The torn tail is cut when the file is opened again (repairTail).
        this.warn(`cannot truncate ${file.relative} after a failed write: ${describeIoError(error)}`);
      }
      this.files.delete(file.relative);
      await file.handle.close().catch(() => undefined);
    }
  }

  private async openFile(relative: string): Promise<OpenFile> {
    const existing = this.files.get(relative);
    if (existing) return existing;
    const full = path.join(this.options.dir, relative);
    const dir = path.dirname(full);
    const firstCreated = await mkdir(dir, { recursive: true });
    let handle: FileHandle;
    let created = true;
    try {
      handle = await open(full, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      created = false;
      handle = await open(full, constants.O_WRONLY | constants.O_APPEND);
    }
    try {
      let size = 0;
      if (created) {
        // The file's name must survive a crash as well as its content: fsync the directories made.
        await syncDirectories(dir, firstCreated ? path.dirname(firstCreated) : dir);
      } else {
        size = await this.repairTail(handle, relative);
      }
      const file: OpenFile = { relative, handle, size, hourStart: hourStartOf(relative) };
      this.files.set(relative, file);
      return file;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * A line without its newline at the end of a file can only be the unacknowledged part of
   * a write cut by a crash (acknowledged writes were fsync'd whole): cut it off.
   */
  private async repairTail(handle: FileHandle, relative: string): Promise<number> {
    const { size } = await handle.stat();
    if (size === 0) return 0;
    const reader = await open(path.join(this.options.dir, relative), 'r');
    try {
      const chunk = Buffer.alloc(64 * 1024);
      let end = size;
      while (end > 0) {
        const start = Math.max(0, end - chunk.length);
        const { bytesRead } = await reader.read(chunk, 0, end - start, start);
        const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
        if (newline !== -1) {
          const keep = start + newline + 1;
          if (keep === size) return size;
          return await this.cut(handle, relative, size, keep);
        }
        end = start;
      }
      return await this.cut(handle, relative, size, 0);
    } finally {
      await reader.close();
    }
  }

  private async cut(handle: FileHandle, relative: string, size: number, keep: number): Promise<number> {
    await handle.truncate(keep);
    await handle.datasync();
    this.warn(`cut ${size - keep} bytes of a torn, unacknowledged line from the end of ${relative}`);
    return keep;
  }

  private closeOldFiles(): void {
    let newest = 0;
    for (const file of this.files.values()) newest = Math.max(newest, file.hourStart);
    for (const file of [...this.files.values()]) {
      if (file.hourStart < newest - HOUR_MS) {
        this.files.delete(file.relative);
        void file.handle.close().catch(() => undefined);
      }
    }
  }

  private async readIds(file: string, sinceMs: number, kind: 'record' | 'bad_row', visit: (eventId: string, receivedTs: number, kind: 'record' | 'bad_row') => void): Promise<void> {
    const { size } = await stat(file);
    const budget = this.options.recentReadBytes ?? 256 * 1024 * 1024;
    const start = Math.max(0, size - budget);
    let rest = '';
    let skipFirst = start > 0;
    const take = (line: string) => {
      if (skipFirst) {
        skipFirst = false;
        return;
      }
      const found = idOf(line);
      if (found && found.receivedTs >= sinceMs) visit(found.eventId, found.receivedTs, kind);
    };
    for await (const chunk of createReadStream(file, { start, encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
      const lines = (rest + (chunk as string)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) take(line);
    }
    // A last line without its newline is a torn write that was never acknowledged: ignored.
  }

  private warn(message: string): void {
    this.options.onWarning?.(`file sink ${this.name}: ${message}`);
  }
}

/** The event id and received_ts of a line, read without parsing the line when it has our own layout. */
function idOf(line: string): { eventId: string; receivedTs: number } | undefined {
  if (line.startsWith(RECORD_PREFIX)) {
    const end = line.indexOf('"', RECORD_PREFIX.length);
    const at = line.indexOf(RECEIVED_TS);
    if (end !== -1 && at !== -1) {
      const receivedTs = Number.parseInt(line.slice(at + RECEIVED_TS.length, at + RECEIVED_TS.length + 20), 10);
      if (Number.isSafeInteger(receivedTs)) return { eventId: line.slice(RECORD_PREFIX.length, end), receivedTs };
    }
  }
  if (line === '') return undefined;
  try {
    const parsed = JSON.parse(line) as { event_id?: unknown; received_ts?: unknown };
    if (typeof parsed.event_id === 'string' && typeof parsed.received_ts === 'number') return { eventId: parsed.event_id, receivedTs: parsed.received_ts };
  } catch {
    // Not ours to judge here.
  }
  return undefined;
}

/** `YYYY/MM/DD/HH` of a time, in UTC. */
export function hourPath(ms: number): string {
  const date = new Date(ms);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCFullYear()}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${two(date.getUTCHours())}`;
}

function hourStartOf(relative: string): number {
  const parts = relative.split(path.sep);
  const [year, month, day, hour] = parts.slice(1, 5).map(Number) as [number, number, number, number];
  return Date.UTC(year, month - 1, day, hour);
}

async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<number> {
  const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  let { bytesWritten } = await handle.writev(buffers);
  if (bytesWritten === total) return total;
  // A short write (rare on a regular file, but allowed): write the rest.
  const all = Buffer.concat(buffers, total);
  while (bytesWritten < total) {
    const result = await handle.write(all, bytesWritten, total - bytesWritten, null);
    if (result.bytesWritten === 0) throw Object.assign(new Error('the file system accepted no more bytes'), { code: 'ENOSPC' });
    bytesWritten += result.bytesWritten;
  }
  return total;
}

async function syncDirectories(from: string, upTo: string): Promise<void> {
  let dir = from;
  for (;;) {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (dir === upTo || path.dirname(dir) === dir) return;
    dir = path.dirname(dir);
  }
}

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC') return `the disk is full (${message})`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `permission denied (${message})`;
  return message;
}
