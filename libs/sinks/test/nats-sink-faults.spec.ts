import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SinkUnavailableError, type SinkBatch } from '@tagplan/collector';
import { NatsSink, type NatsSinkConfig, type NatsSinkEvent } from '../src';
import { recordBatch } from './support/nats-fixtures';
import { freePort, startNatsServer, type TestNatsServer } from './support/nats-server';
import { readStream, streamMessageCount } from './support/nats-stream-reader';

/**
 * The NATS sink when nats-server goes away: stopped, killed under load, unreachable, not
 * started yet. A write never resolves for what JetStream did not acknowledge, never hangs,
 * and the same sink carries on once the server is back.
 */
jest.setTimeout(120_000);

let server: TestNatsServer;
const sinks: NatsSink[] = [];
let streamCounter = 0;

function newSink(overrides: Partial<NatsSinkConfig> = {}): { sink: NatsSink; stream: string; events: NatsSinkEvent[] } {
  streamCounter += 1;
  const stream = `F${streamCounter}`;
  const events: NatsSinkEvent[] = [];
  const sink = new NatsSink({ servers: server.url, stream, subjectPrefix: `f${streamCounter}`, onEvent: (event) => events.push(event), ...overrides });
  sinks.push(sink);
  return { sink, stream, events };
}

function ids(...batches: SinkBatch[]): string[] {
  return batches.flatMap((batch) => batch.records.map((record) => record.event_id));
}

async function storedIds(stream: string): Promise<string[]> {
  return (await readStream(server.url, stream)).map((message) => message.msgId as string);
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  server = await startNatsServer();
});

afterEach(async () => {
  // A test that failed half-way must not leave the server stopped or paused for the next.
  server.resume();
  if (!server.running) await server.start();
});

afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await server?.destroy();
});

describe('NatsSink when nats-server stops', () => {
  it('rejects writes with SinkUnavailableError while the server is down, and the same sink writes again once it is back', async () => {
    const { sink, stream, events } = newSink({ publishTimeoutMs: 3_000, retryAfterSeconds: 3 });
    await sink.waitUntilReady(10_000);
    const before = recordBatch(20);
    await sink.write(before);

    await server.stop();
    const during = recordBatch(20);
    const refused = await sink.write(during).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SinkUnavailableError);
    expect((refused as SinkUnavailableError).retryAfterSeconds).toBe(3);
    expect((refused as SinkUnavailableError).sink).toBe('nats');
    await expect(sink.ready()).rejects.toThrow(SinkUnavailableError);
    expect(sink.state.connected).toBe(false);

    await server.start();
    await sink.waitUntilReady(20_000);
    await sink.write(during);
    const after = recordBatch(20);
    await sink.write(after);
    expect(await storedIds(stream)).toEqual(ids(before, during, after));
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['connected', 'stream-created', 'disconnected', 'reconnected', 'stream-found']));
  });

  it('under load from concurrent writers, kill -9 and restart: every acknowledged record is stored, every other write was refused, resends are stored once', async () => {
    const { sink, stream } = newSink({ publishTimeoutMs: 3_000 });
    await sink.waitUntilReady(10_000);
    const writers = 4;
    const batchesPerWriter = 60;
    let acked = 0;
    let refusals = 0;
    const unexpected: unknown[] = [];
    const acknowledged: SinkBatch[] = [];
    let ackedAfterRestart = 0;
    let restarted = false;
    const deadline = Date.now() + 90_000;

    // Each writer sends its batches in turn and, like a client answered 503, resends a
    // refused batch until it is acknowledged.
    const writer = async () => {
      for (let index = 0; index < batchesPerWriter; index += 1) {
        const batch = recordBatch(50);
        for (;;) {
          if (Date.now() > deadline) throw new Error('the writers ran out of time');
          try {
            await sink.write(batch);
            acked += 1;
            if (restarted) ackedAfterRestart += 1;
            acknowledged.push(batch);
            break;
          } catch (error) {
            if (error instanceof SinkUnavailableError) refusals += 1;
            else unexpected.push(error);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }
    };
    const running = Promise.all(Array.from({ length: writers }, writer));

    await until(() => acked >= 20, 30_000, '20 acknowledged batches');
    await server.kill();
    await until(() => refusals >= writers, 30_000, 'refused writes');
    await server.start();
    restarted = true;
    await running;

    expect(unexpected).toEqual([]);
    expect(sink.state.inFlight).toBe(0);
    expect(refusals).toBeGreaterThanOrEqual(writers);
    expect(ackedAfterRestart).toBeGreaterThan(0);
    const stored = await storedIds(stream);
    const expected = ids(...acknowledged);
    expect(expected).toHaveLength(writers * batchesPerWriter * 50);
    // Everything acknowledged is there, and once: the resends of batches that were half
    // stored when the server died were de-duplicated by Nats-Msg-Id.
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.slice().sort()).toEqual(expected.slice().sort());
  });
});

describe('NatsSink when nats-server does not answer', () => {
  it('rejects a write after the publish timeout when the server holds the connection but answers nothing, and recovers when it answers again', async () => {
    const { sink, stream } = newSink({ publishTimeoutMs: 1_500 });
    await sink.waitUntilReady(10_000);
    const unanswered = recordBatch(10);
    await server.pause();
    await expect(sink.write(unanswered)).rejects.toThrow(/no JetStream ack within 1500 ms/);
    server.resume();
    await sink.waitUntilReady(20_000);
    // The client resends what was refused: stored once, whether or not the server had
    // taken it before it froze.
    await sink.write(unanswered);
    await sink.write(unanswered);
    expect(await storedIds(stream)).toEqual(ids(unanswered));
    expect(sink.state.inFlight).toBe(0);
  });

  it('never has more than maxInFlight messages awaiting acks', async () => {
    const { sink, stream } = newSink({ maxInFlight: 8, publishTimeoutMs: 10_000 });
    await sink.waitUntilReady(10_000);
    await server.pause();
    const write = sink.write(recordBatch(300));
    await until(() => sink.state.inFlight === 8, 5_000, '8 messages in flight');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.state.inFlight).toBe(8);
    server.resume();
    await write;
    expect(sink.state.inFlight).toBe(0);
    expect(await streamMessageCount(server.url, stream)).toBe(300);
  });
});

describe('NatsSink when JetStream storage is exhausted', () => {
  it('answers SinkUnavailableError, and evicts nothing it acknowledged', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tagplan-nats-conf-'));
    const config = path.join(dir, 'small-store.conf');
    await writeFile(config, 'jetstream { max_file_store: 65536 }\n');
    const small = await startNatsServer({ args: ['-c', config] });
    const sink = new NatsSink({ servers: small.url, stream: 'SMALL', subjectPrefix: 'small' });
    try {
      await sink.waitUntilReady(10_000);
      const acknowledged: string[] = [];
      let refusal: unknown = null;
      // 64 KiB hold about a hundred records: the writes stop well before 40 batches.
      for (let attempt = 0; attempt < 40 && !refusal; attempt += 1) {
        const batch = recordBatch(10);
        try {
          await sink.write(batch);
          acknowledged.push(...ids(batch));
        } catch (error) {
          refusal = error;
        }
      }
      expect(refusal).toBeInstanceOf(SinkUnavailableError);
      expect((refusal as Error).message).toMatch(/JetStream refused message .*insufficient resources/);
      expect(acknowledged.length).toBeGreaterThan(0);
      const stored = (await readStream(small.url, 'SMALL')).map((message) => message.msgId as string);
      expect(stored.slice(0, acknowledged.length)).toEqual(acknowledged);
    } finally {
      await sink.close();
      await small.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('NatsSink before nats-server starts', () => {
  it('refuses writes at once, does not crash, and connects when the server comes up', async () => {
    const port = await freePort();
    const sink = new NatsSink({ servers: `nats://127.0.0.1:${port}`, stream: 'EARLY', subjectPrefix: 'early' });
    sinks.push(sink);
    await expect(sink.write(recordBatch(1))).rejects.toThrow(SinkUnavailableError);
    await expect(sink.ready()).rejects.toThrow(/not connected to NATS/);
    const late = await startNatsServer({ port });
    try {
      await sink.waitUntilReady(20_000);
      const batch = recordBatch(5);
      await sink.write(batch);
      expect((await readStream(late.url, 'EARLY')).map((message) => message.msgId)).toEqual(ids(batch));
    } finally {
      await sink.close();
      await late.destroy();
    }
  });

  it('closes promptly while it is still trying to connect', async () => {
    const sink = new NatsSink({ servers: `nats://127.0.0.1:${await freePort()}` });
    sink.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sink.close();
    await expect(sink.write(recordBatch(1))).rejects.toThrow(/closed/);
  });
});
