import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { itemViewed, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents, send } from '../../../libs/collector/test/support/http-client';
import { readLines, startTestCollector, type TestCollector } from './support/test-collector';

/**
 * The bad inputs of issue 4, item 8, over real HTTP against a real collector writing real
 * files. A malformed request gets a 4xx naming what is wrong and writes nothing; an event
 * that is wrong inside a well-formed request becomes a bad row and never disappears.
 */
describe('POST /v1/events with bad input', () => {
  let collector: TestCollector;
  let key: string;
  const YEAR = 365 * 24 * 60 * 60 * 1000;

  beforeAll(async () => {
    collector = await startTestCollector();
    key = collector.keys.web.key;
  });
  afterAll(async () => {
    await collector?.close();
  });

  const written = async () => (await readLines(collector.dir, 'good')).length + (await readLines(collector.dir, 'bad')).length;

  /** Sends, expects a 4xx with this error code, and checks that nothing was written. */
  async function refused(status: number, error: string, request: () => Promise<{ status: number; json: any; headers: any }>, message?: RegExp) {
    const before = await written();
    const answer = await request();
    expect({ status: answer.status, error: answer.json?.error }).toEqual({ status, error });
    expect(answer.json.statusCode).toBe(status);
    expect(typeof answer.json.message).toBe('string');
    if (message) expect(answer.json.message).toMatch(message);
    expect(await written()).toBe(before);
    return answer;
  }

  describe('malformed requests: 4xx, nothing written', () => {
    it('bad JSON', async () => {
      await refused(400, 'invalid_json', () => postEvents(collector.url, key, '{"payload_version":1,"sent_ts":'), /not valid JSON/);
    });

    it.each([
      ['a list', '[1,2,3]'],
      ['a string', '"events"'],
      ['null', 'null'],
      ['a number', '42'],
    ])('JSON that is not an object: %s', async (_what, body) => {
      await refused(400, 'invalid_request', () => postEvents(collector.url, key, body), /must be a JSON object/);
    });

    it('events not an array', async () => {
      await refused(400, 'invalid_request', () => postEvents(collector.url, key, { payload_version: 1, sent_ts: Date.now(), events: { 0: itemViewed() } }), /events must be a list/);
    });

    it.each([
      ['no sent_ts', { payload_version: 1, events: [] }, /sent_ts/],
      ['sent_ts as a string', { payload_version: 1, sent_ts: '2024-01-01', events: [] }, /sent_ts/],
      ['no payload_version', { sent_ts: Date.now(), events: [] }, /payload_version must be 1/],
      ['payload_version 2', { payload_version: 2, sent_ts: Date.now(), events: [] }, /payload_version must be 1/],
      ['no events', { payload_version: 1, sent_ts: Date.now() }, /events must be a list/],
    ])('missing or wrong envelope fields: %s', async (_what, body, message) => {
      await refused(400, 'invalid_request', () => postEvents(collector.url, key, body), message);
    });

    it('10,000 events in one batch', async () => {
      const events = Array.from({ length: 10_000 }, () => ({}));
      await refused(413, 'too_many_events', () => postEvents(collector.url, key, payload(events)), /at most 1000 events, not 10000/);
    });

    it('a gzip bomb is refused while inflating', async () => {
      // 200 MB of zeros in about 200 KB: under the compressed limit, far over the inflated one.
      const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
      expect(bomb.length).toBeLessThan(1024 * 1024);
      await refused(
        413,
        'inflated_body_too_large',
        () => send(collector.url, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb }),
        /inflates to more than 10485760 bytes/,
      );
    });

    it('a body over the compressed size limit, announced or streamed', async () => {
      const big = randomBytes(6 * 1024 * 1024);
      await refused(413, 'body_too_large', () =>
        send(collector.url, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(big.length) }, body: big }),
      );
      await refused(413, 'body_too_large', () =>
        send(collector.url, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' }, body: big }),
      );
    });

    it('an uncompressed body over the inflated size limit', async () => {
      const body = JSON.stringify(payload([itemViewed({}, { padding: 'x'.repeat(11 * 1024 * 1024) })]));
      await refused(413, 'body_too_large', () => postEvents(collector.url, key, body));
    });

    it.each(['br', 'deflate', 'compress'])('a wrong Content-Encoding: %s', async (encoding) => {
      await refused(415, 'unsupported_content_encoding', () => postEvents(collector.url, key, payload([itemViewed()]), { headers: { 'content-encoding': encoding } }), /send gzip/);
    });

    it('a wrong Content-Type', async () => {
      await refused(415, 'unsupported_content_type', () => postEvents(collector.url, key, payload([itemViewed()]), { headers: { 'content-type': 'application/xml' } }));
    });

    it('gzip that is not gzip', async () => {
      await refused(400, 'invalid_gzip', () =>
        send(collector.url, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: Buffer.from(JSON.stringify(payload([itemViewed()]))) }),
      );
    });

    it('a missing write key', async () => {
      const answer = await refused(401, 'missing_write_key', () => postEvents(collector.url, undefined, payload([itemViewed()])));
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      await refused(401, 'missing_write_key', () => postEvents(collector.url, undefined, payload([itemViewed()]), { headers: { authorization: `Basic ${key}` } }));
    });

    it('an unknown write key', async () => {
      await refused(401, 'unknown_write_key', () => postEvents(collector.url, 'tpw_not-a-key-of-anyone-000000000000', payload([itemViewed()])));
    });

    it('a revoked write key', async () => {
      await refused(401, 'revoked_write_key', () => postEvents(collector.url, collector.keys.revoked.key, payload([itemViewed()])), /revoked/);
    });

    it('invalid UTF-8', async () => {
      const body = Buffer.concat([Buffer.from('{"payload_version":1,"sent_ts":1,"events":[{"event_name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]}')]);
      await refused(400, 'invalid_utf8', () => send(collector.url, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body }));
    });

    it('deeply nested data: a 400, not a crash', async () => {
      const depth = 100_000;
      const body = `{"payload_version":1,"sent_ts":${Date.now()},"events":[${JSON.stringify(itemViewed()).replace('"item_id":1001', `"item_id":${'['.repeat(depth)}${']'.repeat(depth)}`)}]}`;
      await refused(400, 'too_deep', () => postEvents(collector.url, key, body), /events\[0\] nests deeper than 32 levels/);
      const shallowButDeepEnough = `{"payload_version":1,"sent_ts":${Date.now()},"events":[${'['.repeat(50)}${']'.repeat(50)}]}`;
      await refused(400, 'too_deep', () => postEvents(collector.url, key, shallowButDeepEnough));
      // Still serving.
      expect((await postEvents(collector.url, key, payload([itemViewed()]))).status).toBe(200);
    });

    it('the wrong method or path', async () => {
      const get = await send(collector.url, { method: 'GET' });
      expect({ status: get.status, error: get.json.error, allow: get.headers['allow'] }).toEqual({ status: 405, error: 'method_not_allowed', allow: 'POST, OPTIONS' });
      const other = await send(collector.url, { path: '/v2/events', headers: { authorization: `Bearer ${key}` }, body: '{}' });
      expect({ status: other.status, error: other.json.error }).toEqual({ status: 404, error: 'not_found' });
    });
  });

  describe('bad events inside a good request: 200, written as bad rows', () => {
    async function sendOne(event: unknown, sentTs = Date.now()) {
      const answer = await postEvents(collector.url, key, payload([itemViewed(), event], sentTs));
      expect(answer.status).toBe(200);
      expect(answer.json.accepted).toBe(1);
      expect(answer.json.rejected).toHaveLength(1);
      const rejected = answer.json.rejected[0];
      expect(rejected.index).toBe(1);
      return rejected as { index: number; event_name: string | null; reason: string; errors: string[] };
    }

    async function badRowOf(eventId: string) {
      const rows = (await readLines(collector.dir, 'bad')).filter((row) => row.event_id === eventId);
      expect(rows).toHaveLength(1);
      return rows[0];
    }

    it('an event of 2 MB: a bad row with a preview, the rest of the batch accepted', async () => {
      const event = itemViewed({}, { source: 'x'.repeat(2 * 1024 * 1024) });
      const rejected = await sendOne(event);
      expect(rejected.reason).toBe('invalid_event');
      expect(rejected.errors[0]).toMatch(/^the event is \d+ bytes of JSON, more than the limit of 131072/);
      const row = await badRowOf(event['event_id'] as string);
      expect(row).toMatchObject({ reason: 'invalid_event', event_name: 'item_viewed', event_version: 1, environment: 'web-frontend' });
      expect(row.raw.truncated_json).toHaveLength(1024);
      expect(row.raw.size_bytes).toBeGreaterThan(2 * 1024 * 1024);
    });

    it('an unknown event', async () => {
      const event = itemViewed({ event_name: 'item_teleported' });
      const rejected = await sendOne(event);
      expect(rejected).toEqual({ index: 1, event_name: 'item_teleported', reason: 'unknown_event', errors: ['there is no event named "item_teleported" in the catalog'] });
      expect(await badRowOf(event['event_id'] as string)).toMatchObject({ reason: 'unknown_event', raw: event });
    });

    it('an unknown version', async () => {
      const event = itemViewed({ event_version: 7 });
      const rejected = await sendOne(event);
      expect(rejected).toMatchObject({ reason: 'unknown_version', errors: ['event item_viewed has no version 7'] });
      expect(await badRowOf(event['event_id'] as string)).toMatchObject({ reason: 'unknown_version', event_version: 7 });
    });

    it('an event of another environment', async () => {
      const event = itemViewed({ event_name: 'api_error' });
      const rejected = await sendOne(event);
      expect(rejected).toMatchObject({ reason: 'not_allowed', errors: ['api_error is not sent from web-frontend: no version of the environment pins it'] });
      await badRowOf(event['event_id'] as string);
    });

    it('a version the environment does not pin', async () => {
      // registration_step_completed@1 and @2 both exist; web-frontend pins both over its versions,
      // while screen_viewed exists only for ios-app.
      const event = itemViewed({ event_name: 'screen_viewed' });
      expect((await sendOne(event)).reason).toBe('not_allowed');
    });

    it('wrong types', async () => {
      const event = itemViewed({}, { item_id: 'one thousand', app_version: 4 });
      const rejected = await sendOne(event);
      expect(rejected.reason).toBe('invalid_data');
      expect(rejected.errors).toEqual(expect.arrayContaining(['item_id: must be an integer', 'app_version: must be a string']));
      const row = await badRowOf(event['event_id'] as string);
      // A bad row keeps the event as it came: nothing hashed, nothing dropped.
      expect(row.raw).toEqual(event);
    });

    it('extra properties', async () => {
      const rejected = await sendOne(itemViewed({}, { colour: 'red' }));
      expect(rejected).toMatchObject({ reason: 'invalid_data', errors: ['colour: is not a field of this event'] });
    });

    it('a missing required field', async () => {
      const event = itemViewed();
      delete (event['data'] as Record<string, unknown>)['session_id'];
      expect((await sendOne(event)).errors).toEqual(['session_id: is required']);
    });

    it.each([
      ['an event_id that is not a UUID', { event_id: 'abc' }, 'event_id must be a UUID, not the string "abc"'],
      ['no event_name', { event_name: undefined }, 'event_name must be a string, not missing'],
      ['event_version 0', { event_version: 0 }, 'event_version must be a positive integer, not number 0'],
      ['created_ts as a string', { created_ts: '2024-01-01' }, 'created_ts must be milliseconds since the epoch, not the string "2024-01-01"'],
      ['data as a list', { data: [] }, 'data must be an object, not a list'],
      ['a nested stack_ctx', { stack_ctx: { langpack: { name: 'go' } } }, 'stack_ctx must be an object of strings, numbers, booleans or nulls'],
    ])('a malformed event: %s', async (_what, overrides, error) => {
      const event = JSON.parse(JSON.stringify(itemViewed(overrides as Record<string, unknown>))) as Record<string, unknown>;
      const rejected = await sendOne(event);
      expect(rejected.reason).toBe('invalid_event');
      expect(rejected.errors).toEqual([error]);
    });

    it('an event that is not an object', async () => {
      const rejected = await sendOne(42);
      expect(rejected).toEqual({ index: 1, event_name: null, reason: 'invalid_event', errors: ['the event must be a JSON object, not number 42'] });
    });
  });

  describe('edge cases that are accepted', () => {
    it('a sent_ts 10 years off: accepted, ts corrected by the skew, counted', async () => {
      const sentTs = Date.now() - 10 * YEAR;
      const event = itemViewed({ created_ts: sentTs - 5000 });
      const answer = await postEvents(collector.url, key, payload([event], sentTs));
      expect(answer.json).toEqual({ accepted: 1, rejected: [] });
      const record = (await readLines(collector.dir, 'good')).find((line) => line.event_id === event['event_id']);
      expect(record.sent_ts).toBe(sentTs);
      expect(record.ts).toBe(record.received_ts - 5000);
      const metrics = await send(collector.url, { method: 'GET', path: '/metrics' });
      expect(metrics.text).toMatch(/tagplan_collector_events_clock_skewed_total\{environment="web-frontend"\} [1-9]/);
    });

    it('a duplicate event_id is written once, within a batch and across batches', async () => {
      const event = itemViewed();
      const first = await postEvents(collector.url, key, payload([event, event]));
      expect(first.json).toEqual({ accepted: 2, rejected: [] });
      const retry = await postEvents(collector.url, key, payload([event]), { gzip: true });
      expect(retry.json).toEqual({ accepted: 1, rejected: [] });
      const copies = (await readLines(collector.dir, 'good')).filter((line) => line.event_id === event['event_id']);
      expect(copies).toHaveLength(1);
    });

    it('a duplicate bad row is written once too', async () => {
      const event = itemViewed({ event_name: 'item_teleported' });
      await postEvents(collector.url, key, payload([event]));
      await postEvents(collector.url, key, payload([event]));
      expect((await readLines(collector.dir, 'bad')).filter((row) => row.event_id === event['event_id'])).toHaveLength(1);
    });

    it('an empty batch', async () => {
      expect((await postEvents(collector.url, key, payload([]))).json).toEqual({ accepted: 0, rejected: [] });
    });

    it('gzip, and a Content-Type with a charset', async () => {
      const event = itemViewed({ event_id: randomUUID() });
      const answer = await postEvents(collector.url, key, payload([event]), { gzip: true, headers: { 'content-type': 'application/json; charset=utf-8' } });
      expect(answer.json).toEqual({ accepted: 1, rejected: [] });
      const record = (await readLines(collector.dir, 'good')).find((line) => line.event_id === event['event_id']);
      expect(record.query_ctx.content_encoding).toBe('gzip');
    });
  });
});
