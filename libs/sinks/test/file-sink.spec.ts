import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SinkUnavailableError, type BadRow, type EnrichedRecord } from '@tagplan/collector';
import { FileSink, FileSinkLockError, hourPath, type FileSinkOptions } from '@tagplan/sinks';

const HOUR = 3_600_000;

function record(receivedTs: number, overrides: Partial<EnrichedRecord> = {}): EnrichedRecord {
  return {
    event_id: randomUUID(),
    environment: 'web-frontend',
    event_name: 'item_viewed',
    event_version: 1,
    created_ts: receivedTs - 1000,
    sent_ts: receivedTs - 10,
    received_ts: receivedTs,
    ts: receivedTs - 990,
    data: { item_id: 1001, note: 'quote " and newline \n and ünïcödé' },
    stack_ctx: { langpack: 'go', langpack_version: '0.1.4', collector_version: '0.1.0' },
    query_ctx: { user_agent: 'test', ip_hash: 'ab'.repeat(32), content_encoding: null, write_key_id: 'key-1', request_id: randomUUID() },
    ...overrides,
  };
}

function badRow(receivedTs: number): BadRow {
  return { event_id: randomUUID(), reason: 'invalid_data', errors: ['item_id: must be an integer'], environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, received_ts: receivedTs, raw: { data: { item_id: 'x' } } };
}

/** A promise with its resolve, to hold a commit in the beforeFsync hook. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('FileSink', () => {
  let dir: string;
  const sinks: FileSink[] = [];
  const open = async (options: Partial<FileSinkOptions> = {}) => {
    const sink = await FileSink.open({ dir, instanceId: 'unit', ...options });
    sinks.push(sink);
    return sink;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tagplan-file-sink-'));
  });
  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('appends JSON lines under good/ and bad/, by the UTC hour of received_ts, one file per instance', async () => {
    const sink = await open();
    const at = Date.UTC(2026, 0, 31, 23, 59, 59, 999);
    const next = at + 1;
    const records = [record(at), record(next)];
    const rows = [badRow(at)];
    await sink.write({ records, badRows: rows });
    expect(hourPath(at)).toBe('2026/01/31/23');
    expect(hourPath(next)).toBe('2026/02/01/00');
    // Byte for byte what JSON.stringify writes: consumers parse plain JSON lines.
    expect(await lines(path.join(dir, 'good/2026/01/31/23/unit.jsonl'))).toEqual([JSON.stringify(records[0])]);
    expect(await lines(path.join(dir, 'good/2026/02/01/00/unit.jsonl'))).toEqual([JSON.stringify(records[1])]);
    expect(await lines(path.join(dir, 'bad/2026/01/31/23/unit.jsonl'))).toEqual([JSON.stringify(rows[0])]);
    await sink.write({ records: [record(at)], badRows: [] });
    expect(await lines(path.join(dir, 'good/2026/01/31/23/unit.jsonl'))).toHaveLength(2);
  });

  it('group commit: writes queued during a commit share the next one, and each resolves only after the fsync covering it', async () => {
    const held = gate();
    let hookCalls = 0;
    const sink = await open({
      hooks: {
        beforeFsync: async () => {
          hookCalls++;
          if (hookCalls === 1) await held.promise;
        },
      },
    });
    const now = Date.now();
    const settled: string[] = [];
    const first = sink.write({ records: [record(now)], badRows: [] }).then(() => settled.push(`first after ${sink.stats().fsyncs} fsync`));
    // Let the first commit reach its fsync, where the hook holds it.
    while (hookCalls === 0) await new Promise((resolve) => setImmediate(resolve));
    const others = Array.from({ length: 9 }, (_, index) =>
      sink.write({ records: [record(now), record(now)], badRows: index === 0 ? [badRow(now)] : [] }).then(() => settled.push(`other after ${sink.stats().fsyncs} fsync`)),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toEqual([]);
    held.open();
    await Promise.all([first, ...others]);
    // Commit 1: one file; commit 2: the good and the bad file of nine writes together.
    expect(sink.stats()).toEqual({ writes: 10, commits: 2, fsyncs: 3, failedCommits: 0 });
    expect(settled).toEqual(['first after 1 fsync', ...Array.from({ length: 9 }, () => 'other after 3 fsync')]);
    expect(await lines(path.join(dir, 'good', hourPath(now), 'unit.jsonl'))).toHaveLength(19);
  });

  it('a failed commit rejects its writes with SinkUnavailableError and leaves the file as it was', async () => {
    let fail = false;
    const sink = await open({
      hooks: {
        beforeFsync: () => {
          if (fail) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        },
      },
    });
    const now = Date.now();
    const kept = record(now);
    await sink.write({ records: [kept], badRows: [] });
    const file = path.join(dir, 'good', hourPath(now), 'unit.jsonl');
    const before = await readFile(file, 'utf8');
    fail = true;
    const failed = sink.write({ records: [record(now), record(now)], badRows: [] });
    await expect(failed).rejects.toBeInstanceOf(SinkUnavailableError);
    await expect(failed).rejects.toThrow(/sink file: cannot write durably under .*EIO/);
    // The records written before the failed fsync are cut off again: nothing half-written.
    expect(await readFile(file, 'utf8')).toBe(before);
    fail = false;
    const later = record(now);
    await sink.write({ records: [later], badRows: [] });
    expect((await lines(file)).map((line) => (JSON.parse(line) as EnrichedRecord).event_id)).toEqual([kept.event_id, later.event_id]);
    expect(sink.stats().failedCommits).toBe(1);
  });

  it('cuts a torn, unacknowledged last line (left by a crash) before appending', async () => {
    const now = Date.now();
    const file = path.join(dir, 'good', hourPath(now), 'unit.jsonl');
    await mkdir(path.dirname(file), { recursive: true });
    const whole = JSON.stringify(record(now));
    const torn = '{"event_id":"torn-in-the-mid';
    await writeFile(file, `${whole}\n${torn}`);
    const warnings: string[] = [];
    const sink = await open({ onWarning: (message) => warnings.push(message) });
    const added = record(now);
    await sink.write({ records: [added], badRows: [] });
    expect(await lines(file)).toEqual([whole, JSON.stringify(added)]);
    expect(warnings).toEqual([expect.stringContaining(`cut ${torn.length} bytes of a torn, unacknowledged line`)]);
  });

  it('holds one instance per directory: a live holder is refused, a dead one taken over', async () => {
    const sink = await open();
    await expect(FileSink.open({ dir, instanceId: 'unit' })).rejects.toBeInstanceOf(FileSinkLockError);
    const other = await open({ instanceId: 'unit-2' });
    await other.close();
    await sink.close();
    // A lock left by a process that no longer runs (kill -9).
    await writeFile(path.join(dir, '.locks', 'unit.lock'), JSON.stringify({ pid: 2 ** 22 + 1, hostname: (await import('node:os')).hostname(), started_at: '' }));
    const again = await open();
    await again.write({ records: [record(Date.now())], badRows: [] });
  });

  it('tells the event ids it wrote within a window, to rebuild de-duplication after a restart', async () => {
    const now = Date.now();
    const sink = await open();
    const old = record(now - 3 * HOUR);
    const previousHour = record(now - HOUR + 1000);
    const current = record(now);
    const bad = badRow(now);
    await sink.write({ records: [old, previousHour, current], badRows: [bad] });
    await sink.close();
    const reopened = await open();
    const seen: string[] = [];
    await reopened.recentEventIds(now - HOUR, (id, receivedTs, kind) => seen.push(`${kind}:${id}:${receivedTs}`));
    expect(seen.sort()).toEqual(
      [`record:${previousHour.event_id}:${previousHour.received_ts}`, `record:${current.event_id}:${current.received_ts}`, `bad_row:${bad.event_id}:${bad.received_ts}`].sort(),
    );
  });

  it('is ready when it can write, and says why when it cannot', async () => {
    const sink = await open();
    await expect(sink.ready()).resolves.toBeUndefined();
    await rm(path.join(dir, 'bad'), { recursive: true, force: true });
    await writeFile(path.join(dir, 'bad'), 'in the way');
    await expect(sink.ready()).rejects.toThrow(/is not writable/);
  });

  it('close() waits for the writes already queued', async () => {
    const sink = await open();
    const now = Date.now();
    const writes = Array.from({ length: 5 }, () => sink.write({ records: [record(now)], badRows: [] }));
    await sink.close();
    await Promise.all(writes);
    expect(await lines(path.join(dir, 'good', hourPath(now), 'unit.jsonl'))).toHaveLength(5);
    await expect(sink.write({ records: [record(now)], badRows: [] })).rejects.toThrow(/closed/);
  });
});
