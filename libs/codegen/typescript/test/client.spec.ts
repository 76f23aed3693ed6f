import path from 'node:path';
import { conformanceCatalog, conformanceVectors } from '@tagplan/codegen-testing';
import { FIXTURES, installLangpack, runNodeJson, startStubCollector, temporaryDirectory, unusedPort, type StubCollector } from './support';

interface Stats {
  queued: number;
  inFlight: number;
  sent: number;
  failed: number;
  dropped: number;
}

interface Report {
  errors: { code: string; status?: number; body?: string; eventCount: number; message: string; cause?: string }[];
  moments: Record<string, unknown>;
  stats: Stats;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The generated client in Node, against a collector stand-in over real HTTP on loopback.
 * Each scenario runs the real langpack in its own process (client-driver.mjs) and
 * reports what it saw; the stand-in records every request.
 */
describe('the TypeScript langpack client', () => {
  let directory: string;
  let packageVersion: string;
  let remove: () => Promise<void>;
  let collector: StubCollector;

  beforeAll(async () => {
    const root = await temporaryDirectory('client');
    remove = root.remove;
    const installed = await installLangpack(root.path, conformanceCatalog(), conformanceVectors().environment);
    directory = installed.directory;
    packageVersion = installed.model.packageVersion;
  });
  afterAll(() => remove?.());

  beforeEach(async () => {
    collector = await startStubCollector();
  });
  afterEach(() => collector.close());

  const scenario = (name: string, options: Record<string, unknown> = {}, url = collector.url) =>
    runNodeJson<Report>([path.join(FIXTURES, 'client-driver.mjs'), JSON.stringify({ directory, url, scenario: name, options })]);

  const batchSizes = () => collector.requests.map((request) => request.body.events.length);

  test('sends full batches by count without waiting for the timer, and close() sends the rest', async () => {
    const report = await scenario('count');
    expect(report.moments['beforeClose']).toMatchObject({ sent: 6, queued: 1 });
    expect(batchSizes()).toEqual([3, 3, 1]);
    expect(report.stats).toEqual({ queued: 0, inFlight: 0, sent: 7, failed: 0, dropped: 0 });
    expect(report.errors).toEqual([]);
  });

  test('sends a partial batch when the flush interval has passed', async () => {
    const report = await scenario('time');
    expect(report.moments['afterTrack']).toMatchObject({ queued: 2, sent: 0 });
    expect(report.moments['beforeClose']).toMatchObject({ queued: 0, sent: 2 });
    expect(batchSizes()).toEqual([2]);
  });

  test('posts the wire format: gzip by default, bearer key, UUIDv7 ids, stack_ctx', async () => {
    const report = await scenario('send', { count: 3 });
    expect(report.stats.sent).toBe(3);
    const [request] = collector.requests;
    expect(request?.url).toBe('/v1/events');
    expect(request?.headers).toMatchObject({ 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: 'Bearer test-write-key' });
    expect(request?.body).toMatchObject({ payload_version: 1 });
    expect(typeof request?.body.sent_ts).toBe('number');
    const events = request?.body.events ?? [];
    expect(events.map((event) => Object.keys(event))).toEqual(Array(3).fill(['event_id', 'event_name', 'event_version', 'created_ts', 'data', 'stack_ctx']));
    for (const [index, event] of events.entries()) {
      expect(event['event_id']).toMatch(UUID_V7);
      expect(event).toMatchObject({ event_name: 'conformance_event', event_version: 1, data: { s_plain: `event-${index}`, c_session: 's-1' } });
      expect(event['stack_ctx']).toEqual({ langpack: 'typescript', langpack_version: packageVersion });
      expect(event['created_ts']).toBeLessThanOrEqual(request?.body.sent_ts as number);
    }
    expect(new Set(events.map((event) => event['event_id'])).size).toBe(3);
  });

  test('sends plain JSON when gzip is off', async () => {
    await scenario('send', { gzip: false });
    expect(collector.requests).toHaveLength(1);
    expect(collector.requests[0]?.headers['content-encoding']).toBeUndefined();
    expect(collector.requests[0]?.body.events).toHaveLength(1);
  });

  test('retries 5xx and 429 with backoff, resending the same events', async () => {
    collector.answerWith(503, 500, 429);
    const report = await scenario('send', { count: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 20 });
    expect(collector.requests).toHaveLength(4);
    const ids = collector.requests.map((request) => request.body.events.map((event) => event['event_id']).join(','));
    expect(new Set(ids).size).toBe(1);
    expect(report.stats).toMatchObject({ sent: 2, failed: 0 });
    expect(report.errors).toEqual([]);
  });

  test('gives up after maxRetries and reports the batch to onError', async () => {
    collector.answerWith(503, 503, 503);
    const report = await scenario('send', { maxRetries: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 });
    expect(collector.requests).toHaveLength(3);
    expect(report.stats).toMatchObject({ sent: 0, failed: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'retries_exhausted', status: 503, eventCount: 1 })]);
  });

  test('retries a request that times out', async () => {
    collector.hold();
    const report = await scenario('send', { requestTimeoutMs: 300, maxRetries: 1, retryBaseDelayMs: 1 });
    expect(collector.requests).toHaveLength(2);
    expect(report.stats).toMatchObject({ sent: 0, failed: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'retries_exhausted', eventCount: 1 })]);
  });

  test('does not retry a 4xx: the batch goes to onError with the status and body', async () => {
    collector.answerWith(400);
    const report = await scenario('send', { count: 2, retryBaseDelayMs: 1 });
    expect(collector.requests).toHaveLength(1);
    expect(report.stats).toMatchObject({ sent: 0, failed: 2 });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'rejected', status: 400, body: '{"error":"status_400"}', eventCount: 2 })]);
  });

  test('retries when the connection is refused, and delivers once the collector is up', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const report = await scenario('refused', { recover: true, maxRetries: 10 }, url);
    const attempts = report.moments['attempts'] as { error?: string; status?: number }[];
    expect(attempts[0]).toEqual({ error: 'ECONNREFUSED' });
    expect(attempts.at(-1)).toEqual({ status: 200 });
    expect(report.moments['received']).toEqual([{ encoding: 'gzip', bytes: expect.any(Number) }]);
    expect(report.stats).toMatchObject({ sent: 1, failed: 0 });
    expect(report.errors).toEqual([]);
  });

  test('reports a network failure after the last retry', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const report = await scenario('refused', { maxRetries: 2 }, url);
    expect(report.moments['attempts']).toEqual([{ error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }]);
    expect(report.stats).toMatchObject({ sent: 0, failed: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'retries_exhausted', eventCount: 1, cause: 'ECONNREFUSED' })]);
  });

  test('never blocks the caller while a request hangs', async () => {
    collector.hold();
    const report = await scenario('slow');
    // Ten more events were tracked while the first batch had no answer yet.
    expect(report.moments['whileHeld']).toEqual({ queued: 10, inFlight: 2, sent: 0, failed: 0, dropped: 0 });
    expect(report.moments['releaseAnswer']).toBe('released 1');
    expect(report.stats).toMatchObject({ sent: 12, queued: 0 });
    expect(batchSizes()).toEqual([2, 2, 2, 2, 2, 2]);
  });

  test('drops the newest events when the queue is full, counts them and reports each', async () => {
    collector.hold();
    const report = await scenario('overflow');
    expect(report.moments['afterTrack']).toMatchObject({ queued: 5, dropped: 3 });
    // The batch in flight still takes room in the queue.
    expect(report.moments['whileHeld']).toMatchObject({ queued: 3, inFlight: 2, dropped: 4 });
    expect(report.stats).toEqual({ queued: 0, inFlight: 0, sent: 5, failed: 0, dropped: 4 });
    expect(report.errors.map((error) => error.code)).toEqual(['queue_overflow', 'queue_overflow', 'queue_overflow', 'queue_overflow']);
    expect(report.errors[3]?.message).toMatch(/4 dropped so far/);
    const sent = collector.requests.flatMap((request) => request.body.events.map((event) => (event['data'] as { s_plain: string }).s_plain));
    expect(sent).toEqual(['event-0', 'event-1', 'event-2', 'event-3', 'event-4']);
  });

  test.each([
    ['with CompressionStream: gzip', [], 'gzip', 'Uint8Array'],
    ['without CompressionStream: plain JSON', ['--no-compression'], undefined, 'string'],
  ])('runs in a browser-like realm with only web globals, %s', async (_label, flags, encoding, bodyType) => {
    const result = await runNodeJson<{ stats: Stats; processSeen: string; requireSeen: string; requests: { url: string; headers: Record<string, string>; bodyType: string }[] }>(
      [path.join(FIXTURES, 'browser-like.mjs'), directory, 'ConformanceEvent', JSON.stringify({ sPlain: 'x', cSession: 's-1' }), ...flags],
      { nodeOptions: ['--experimental-vm-modules', '--no-warnings'] },
    );
    expect(result).toMatchObject({ processSeen: 'undefined', requireSeen: 'undefined', stats: { sent: 1, failed: 0 } });
    expect(result.requests).toEqual([
      {
        url: 'https://collector.example.com/v1/events',
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer browser-key', ...(encoding ? { 'Content-Encoding': encoding } : {}) },
        bodyType,
      },
    ]);
  });

  test('makes UUIDv7 ids without a global crypto, as on Node 18', async () => {
    const result = await runNodeJson<{ globalCrypto: string; early: string[]; late: string[]; webCryptoCallsBefore: number; webCryptoCallsAfter: number }>([
      path.join(FIXTURES, 'no-global-crypto.mjs'),
      directory,
    ]);
    expect(result.globalCrypto).toBe('undefined');
    const ids = [...result.early, ...result.late];
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    // Once node:crypto has loaded, the ids' random bits come from it.
    expect(result.webCryptoCallsBefore).toBe(0);
    expect(result.webCryptoCallsAfter).toBeGreaterThan(0);
  });

  test('flush() sends what is queued, close() drains, and track() after close() is dropped', async () => {
    const report = await scenario('flush');
    expect(report.moments['beforeFlush']).toMatchObject({ queued: 5, sent: 0 });
    expect(report.moments['afterFlush']).toMatchObject({ queued: 0, sent: 5 });
    expect(report.moments['afterClose']).toMatchObject({ queued: 0, sent: 8, dropped: 0 });
    expect(report.stats).toMatchObject({ sent: 8, dropped: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'closed', eventCount: 1 })]);
    expect(batchSizes()).toEqual([5, 3]);
  });
});
