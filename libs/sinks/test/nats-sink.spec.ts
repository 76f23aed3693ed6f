import { connect, DiscardPolicy, StorageType, nanos, type NatsConnection } from 'nats';
import { SinkUnavailableError, type SinkBatch } from '@tagplan/collector';
import { NatsRecordTooLargeError, NatsSink, type NatsSinkConfig, type NatsSinkEvent } from '../src';
import { badRow, enrichedRecord, recordBatch } from './support/nats-fixtures';
import { startNatsServer, type TestNatsServer } from './support/nats-server';
import { readStream, streamMessageCount } from './support/nats-stream-reader';

/** The NATS JetStream sink against a real nats-server: subjects, payloads, stream, de-duplication, load. */
jest.setTimeout(60_000);

let server: TestNatsServer;
let admin: NatsConnection;
const sinks: NatsSink[] = [];
let streamCounter = 0;

/** A sink on a stream and prefix of its own, so tests do not see each other's messages. */
function newSink(overrides: Partial<NatsSinkConfig> = {}): { sink: NatsSink; stream: string; prefix: string } {
  streamCounter += 1;
  const stream = overrides.stream ?? `T${streamCounter}`;
  const prefix = overrides.subjectPrefix ?? `t${streamCounter}`;
  const sink = new NatsSink({ servers: server.url, stream, subjectPrefix: prefix, publishTimeoutMs: 5_000, ...overrides });
  sinks.push(sink);
  return { sink, stream, prefix };
}

beforeAll(async () => {
  server = await startNatsServer();
  admin = await connect({ servers: server.url });
});

afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await admin?.close();
  await server?.destroy();
});

describe('NatsSink publishing', () => {
  it('publishes each record to <prefix>.<environment>.<event>.v<version> and each bad row to <prefix>.bad.<environment>, as JSON with Nats-Msg-Id', async () => {
    const { sink, stream, prefix } = newSink();
    await sink.waitUntilReady(10_000);
    const viewed = enrichedRecord();
    const added = enrichedRecord({ environment: 'ios-app', event_name: 'cart_item_added', event_version: 1, data: { item_id: 7, quantity: 2 } });
    const invalid = badRow();
    const unknown = badRow({ reason: 'unknown_event', event_id: null, event_name: null, event_version: null, raw: { event_name: 'nope' }, environment: 'ios-app' });
    await sink.write({ records: [viewed, added], badRows: [invalid, unknown] });

    const stored = await readStream(server.url, stream);
    expect(stored.map(({ subject, json }) => ({ subject, json }))).toEqual([
      { subject: `${prefix}.web-frontend.item_viewed.v2`, json: viewed },
      { subject: `${prefix}.ios-app.cart_item_added.v1`, json: added },
      { subject: `${prefix}.bad.web-frontend`, json: invalid },
      { subject: `${prefix}.bad.ios-app`, json: unknown },
    ]);
    expect(stored[0]?.msgId).toBe(viewed.event_id);
    expect(stored[1]?.msgId).toBe(added.event_id);
    expect(stored[2]?.msgId).toMatch(new RegExp(`^bad:${invalid.event_id}:[0-9a-f]{32}$`));
    expect(stored[3]?.msgId).toMatch(/^bad:-:[0-9a-f]{32}$/);
  });

  it('uses the defaults TAGPLAN and tagplan.> when no stream or prefix is configured', async () => {
    const sink = new NatsSink({ servers: server.url });
    sinks.push(sink);
    await sink.waitUntilReady(10_000);
    const record = enrichedRecord();
    await sink.write({ records: [record], badRows: [] });
    const info = await (await admin.jetstreamManager()).streams.info('TAGPLAN');
    expect(info.config.subjects).toEqual(['tagplan.>']);
    expect((await readStream(server.url, 'TAGPLAN')).map((message) => message.subject)).toEqual(['tagplan.web-frontend.item_viewed.v2']);
  });

  it('resolves at once for an empty batch', async () => {
    const { sink, stream } = newSink();
    await sink.write({ records: [], badRows: [] });
    await sink.waitUntilReady(10_000);
    expect(await streamMessageCount(server.url, stream)).toBe(0);
  });
});

describe('NatsSink stream', () => {
  it('creates the stream when it is missing: file storage, <prefix>.>, a 2 minute duplicate window, limits that refuse rather than evict', async () => {
    const jsm = await admin.jetstreamManager();
    const events: NatsSinkEvent[] = [];
    const { sink, stream, prefix } = newSink({ onEvent: (event) => events.push(event) });
    await expect(jsm.streams.info(stream)).rejects.toThrow(/stream not found/);
    await sink.waitUntilReady(10_000);
    const { config } = await jsm.streams.info(stream);
    expect(config.subjects).toEqual([`${prefix}.>`]);
    expect(config.storage).toBe(StorageType.File);
    expect(config.duplicate_window).toBe(nanos(120_000));
    expect(config.discard).toBe(DiscardPolicy.New);
    expect(config.max_age).toBe(nanos(7 * 24 * 3_600_000));
    expect(config.max_bytes).toBe(-1);
    expect(events).toContainEqual({ type: 'stream-created', stream });
  });

  it('reuses a stream that exists, as its operator configured it', async () => {
    const jsm = await admin.jetstreamManager();
    await jsm.streams.add({ name: 'OPERATED', subjects: ['operated.>'], storage: StorageType.File, max_age: nanos(3_600_000), description: 'tuned by ops' });
    await admin.jetstream().publish('operated.earlier', 'kept');
    const events: NatsSinkEvent[] = [];
    const { sink } = newSink({ stream: 'OPERATED', subjectPrefix: 'operated', onEvent: (event) => events.push(event) });
    await sink.waitUntilReady(10_000);
    await sink.write(recordBatch(3));
    const { config, state } = await jsm.streams.info('OPERATED');
    expect(config.description).toBe('tuned by ops');
    expect(config.max_age).toBe(nanos(3_600_000));
    expect(state.messages).toBe(4);
    expect(events).toContainEqual({ type: 'stream-found', stream: 'OPERATED' });
    expect(events.some((event) => event.type === 'stream-created')).toBe(false);
  });

  it('is not ready, and refuses writes, when the stream exists but does not capture <prefix>.>', async () => {
    const jsm = await admin.jetstreamManager();
    await jsm.streams.add({ name: 'ELSEWHERE', subjects: ['elsewhere.>'], storage: StorageType.File });
    const { sink } = newSink({ stream: 'ELSEWHERE', subjectPrefix: 'mine' });
    sink.start();
    const readiness = sink.waitUntilReady(2_000);
    await expect(readiness).rejects.toThrow(SinkUnavailableError);
    await expect(readiness).rejects.toThrow(/stream ELSEWHERE exists but does not capture mine\.>/);
    await expect(sink.write(recordBatch(1))).rejects.toThrow(SinkUnavailableError);
    expect(await streamMessageCount(server.url, 'ELSEWHERE')).toBe(0);
  });

  it('creates the stream again when it was deleted under it: the write that finds it gone fails, the next one succeeds', async () => {
    const jsm = await admin.jetstreamManager();
    const { sink, stream } = newSink();
    await sink.waitUntilReady(10_000);
    await sink.write(recordBatch(2));
    await jsm.streams.delete(stream);
    const lost = recordBatch(2);
    await expect(sink.write(lost)).rejects.toThrow(SinkUnavailableError);
    await sink.write(lost);
    const stored = await readStream(server.url, stream);
    expect(stored.map((message) => message.msgId)).toEqual(lost.records.map((record) => record.event_id));
  });
});

describe('NatsSink de-duplication', () => {
  it('stores a resent batch once: the same event_ids in two write calls', async () => {
    const { sink, stream } = newSink();
    await sink.waitUntilReady(10_000);
    const batch: SinkBatch = { records: recordBatch(50).records, badRows: [badRow(), badRow({ event_id: null, raw: { no: 'id' } })] };
    await sink.write(batch);
    await sink.write(batch);
    // A resend rebuilt from the same request: new objects, same ids and raw events.
    await sink.write(JSON.parse(JSON.stringify(batch)) as SinkBatch);
    const stored = await readStream(server.url, stream);
    expect(stored).toHaveLength(52);
    expect(new Set(stored.map((message) => message.msgId)).size).toBe(52);
  });

  it('keeps identical bad rows without event_id within one batch, and a bad row beside a good record with the same event_id', async () => {
    const { sink, stream } = newSink();
    await sink.waitUntilReady(10_000);
    const record = enrichedRecord();
    const sameIdBad = badRow({ event_id: record.event_id, raw: { event_id: record.event_id, event_name: 'item_viewed', data: {} } });
    const anonymous = badRow({ event_id: null, raw: { event_name: 'x' } });
    await sink.write({ records: [record], badRows: [sameIdBad, anonymous, { ...anonymous }] });
    expect(await streamMessageCount(server.url, stream)).toBe(4);
  });
});

describe('NatsSink under load', () => {
  it('acknowledges a batch of 1,000 records, every one stored', async () => {
    const { sink, stream } = newSink();
    await sink.waitUntilReady(10_000);
    const batch = recordBatch(1_000);
    await sink.write(batch);
    const stored = await readStream(server.url, stream);
    expect(stored.map((message) => message.msgId)).toEqual(batch.records.map((record) => record.event_id));
  });

  it('takes concurrent writes: every record of every write stored once', async () => {
    const { sink, stream } = newSink();
    await sink.waitUntilReady(10_000);
    const batches = Array.from({ length: 20 }, (_, index) => ({ records: recordBatch(40).records, badRows: index % 4 === 0 ? [badRow()] : [] }));
    await Promise.all(batches.map((batch) => sink.write(batch)));
    const stored = await readStream(server.url, stream);
    const expected = batches.flatMap((batch) => [...batch.records.map((record) => record.event_id), ...batch.badRows.map((row) => row.event_id)]);
    expect(stored).toHaveLength(expected.length);
    const storedIds = new Set(stored.map((message) => (message.json as { event_id: string }).event_id));
    expect(expected.every((id) => storedIds.has(id as string))).toBe(true);
  });

  it('acknowledges batches larger than maxInFlight, publishing them in windows', async () => {
    const { sink, stream } = newSink({ maxInFlight: 8 });
    await sink.waitUntilReady(10_000);
    await Promise.all([sink.write(recordBatch(300)), sink.write(recordBatch(300))]);
    expect(sink.state.inFlight).toBe(0);
    expect(await streamMessageCount(server.url, stream)).toBe(600);
  });

  it('refuses a record larger than the server max_payload before publishing anything of its batch', async () => {
    const { sink, stream } = newSink();
    await sink.waitUntilReady(10_000);
    const huge = enrichedRecord({ data: { blob: 'x'.repeat(1_100_000) } });
    const write = sink.write({ records: [enrichedRecord(), huge], badRows: [] });
    await expect(write).rejects.toThrow(NatsRecordTooLargeError);
    await expect(write).rejects.toThrow(/more than the NATS server's max_payload of 1048576/);
    expect(await streamMessageCount(server.url, stream)).toBe(0);
  });

  it('rejects a record whose names cannot form a subject, with no publish', async () => {
    const { sink, stream } = newSink();
    await sink.waitUntilReady(10_000);
    await expect(sink.write({ records: [enrichedRecord(), enrichedRecord({ event_name: 'a.b' })], badRows: [] })).rejects.toThrow(/cannot be routed to a NATS subject/);
    expect(await streamMessageCount(server.url, stream)).toBe(0);
  });
});

describe('NatsSink close', () => {
  it('lets writes under way finish, then refuses new ones', async () => {
    const { sink, stream } = newSink();
    await sink.waitUntilReady(10_000);
    const pending = sink.write(recordBatch(500));
    const closed = sink.close();
    await expect(pending).resolves.toBeUndefined();
    await closed;
    await expect(sink.write(recordBatch(1))).rejects.toThrow(SinkUnavailableError);
    await expect(sink.ready()).rejects.toThrow(/closed/);
    expect(await streamMessageCount(server.url, stream)).toBe(500);
  });
});

describe('NatsSink configuration', () => {
  it.each([
    [{ servers: [] }, /servers/],
    [{ servers: 'nats://127.0.0.1:1', subjectPrefix: 'a.>' }, /invalid NATS subject prefix/],
    [{ servers: 'nats://127.0.0.1:1', stream: 'A.B' }, /invalid stream name/],
    [{ servers: 'nats://127.0.0.1:1', publishTimeoutMs: 0 }, /publishTimeoutMs/],
    [{ servers: 'nats://127.0.0.1:1', maxInFlight: 1.5 }, /maxInFlight/],
    [{ servers: 'nats://127.0.0.1:1', maxBytes: 0 }, /maxBytes/],
  ] as [NatsSinkConfig, RegExp][])('refuses %j', (config, message) => {
    expect(() => new NatsSink(config)).toThrow(message);
  });
});
