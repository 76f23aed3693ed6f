import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { EnvironmentBody } from '@tagplan/catalog';
import { catalogDocument, demoVersions, exampleEvent, itemViewed, nextEnvironmentVersion, payload, ANONYMOUS_ID } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents } from '../../../libs/collector/test/support/http-client';
import { COLLECTOR_VERSION } from '../src';
import { listFiles, PII_SECRET, readLines, startTestCollector, type TestCollector } from './support/test-collector';

const hmac = (value: string) => createHmac('sha256', PII_SECRET).update(value).digest('hex');

function apiError(data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: randomUUID(),
    event_name: 'api_error',
    event_version: 2,
    created_ts: Date.now(),
    data: {
      status_code: 404,
      endpoint: '/v1/items/{item_id}',
      http_method: 'GET',
      error_code: 'ITEM_NOT_FOUND',
      latency_ms: 37.2,
      error_message: 'Item 1001 not found for u-42',
      request_id: randomUUID(),
      app_version: '2024.11.3',
      server_region: 'eu-west-1',
      user_id: 'u-42',
      ...data,
    },
    stack_ctx: { langpack: 'go', langpack_version: '0.1.2' },
  };
}

describe('enrichment (DESIGN §3)', () => {
  let collector: TestCollector;

  beforeAll(async () => {
    // web-frontend@5 no longer has `locale` among its common fields: the schema an event is
    // checked against depends on the environment version its sender was built from.
    collector = await startTestCollector({
      document: (keys) => {
        const versions = demoVersions();
        versions.push(
          nextEnvironmentVersion(versions, 'web-frontend', (body: EnvironmentBody) => ({ ...body, common_fields: body.common_fields.filter((field) => field.name !== 'locale') })),
        );
        return catalogDocument({ keys: Object.values(keys), versions });
      },
    });
  });
  afterAll(async () => {
    await collector?.close();
  });

  async function recordOf(eventId: unknown) {
    const found = (await readLines(collector.dir, 'good')).filter((line) => line.event_id === eventId);
    expect(found).toHaveLength(1);
    return found[0];
  }

  it('writes the enriched record: pii hashed with the keyed hash, times, contexts', async () => {
    const sentTs = Date.now() + 60_000; // the sender's clock runs a minute fast
    const event = itemViewed({ created_ts: sentTs - 2_000 });
    const answer = await postEvents(collector.url, collector.keys.web.key, payload([event], sentTs), { headers: { 'user-agent': 'tagplan-test/1.0' } });
    expect(answer.json).toEqual({ accepted: 1, rejected: [] });
    const record = await recordOf(event['event_id']);
    expect(Object.keys(record)).toEqual(['event_id', 'environment', 'event_name', 'event_version', 'created_ts', 'sent_ts', 'received_ts', 'ts', 'data', 'stack_ctx', 'query_ctx']);
    expect(record).toMatchObject({ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, created_ts: sentTs - 2_000, sent_ts: sentTs });
    expect(record.ts).toBe(record.created_ts + (record.received_ts - record.sent_ts));
    expect(record.ts).toBe(record.received_ts - 2_000);
    expect(Math.abs(record.received_ts - Date.now())).toBeLessThan(60_000);
    expect(record.data).toEqual({
      item_id: 1001,
      source: 'search',
      session_id: '3f0c8f8e-4a57-4d0e-9b7a-2b1f6c1d9e10',
      anonymous_id: hmac(ANONYMOUS_ID),
      app_version: '4.1.0',
      user_id: hmac('u-42'),
    });
    expect(record.stack_ctx).toEqual({ langpack: 'typescript', langpack_version: '0.1.4', collector_version: COLLECTOR_VERSION });
    expect(record.query_ctx).toEqual({ user_agent: 'tagplan-test/1.0', ip_hash: hmac('127.0.0.1'), content_encoding: null, write_key_id: 'key-1', request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('never writes the client IP or a pii: hash value in clear', async () => {
    const event = itemViewed({}, { user_id: 'u-987654321' });
    await postEvents(collector.url, collector.keys.web.key, payload([event]));
    await recordOf(event['event_id']);
    for (const file of await listFiles(`${collector.dir}/events/good`)) {
      const text = await readFile(file, 'utf8');
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('u-987654321');
      expect(text).not.toContain(ANONYMOUS_ID);
    }
  });

  it('removes pii: drop fields and hashes the others', async () => {
    const event = apiError();
    const answer = await postEvents(collector.url, collector.keys.backend.key, payload([event]));
    expect(answer.json).toEqual({ accepted: 1, rejected: [] });
    const record = await recordOf(event['event_id']);
    expect(record.data).not.toHaveProperty('error_message');
    expect(record.data.user_id).toBe(hmac('u-42'));
    expect(record.data.endpoint).toBe('/v1/items/{item_id}');
    expect(record.environment).toBe('backend-items');
  });

  it("checks an event against its sender's environment version (0.G.N), else the newest that pins it", async () => {
    const withLocale = (langpackVersion: string | undefined) =>
      itemViewed(langpackVersion === undefined ? { stack_ctx: undefined } : { stack_ctx: { langpack: 'go', langpack_version: langpackVersion } }, { locale: 'fr-FR' });
    const fromV4 = withLocale('0.1.4');
    const fromV5 = withLocale('0.1.5');
    const fromUnknown = withLocale('0.1.99');
    const withoutStack = JSON.parse(JSON.stringify(withLocale(undefined))) as Record<string, unknown>;
    const answer = await postEvents(collector.url, collector.keys.web.key, payload([fromV4, fromV5, fromUnknown, withoutStack]));
    expect(answer.json.accepted).toBe(1);
    expect(answer.json.rejected).toEqual([1, 2, 3].map((index) => ({ index, event_name: 'item_viewed', reason: 'invalid_data', errors: ['locale: is not a field of this event'] })));
    const record = await recordOf(fromV4['event_id']);
    expect(record.data.locale).toBe('fr-FR');
    expect(record.stack_ctx).toEqual({ langpack: 'go', langpack_version: '0.1.4', collector_version: COLLECTOR_VERSION });
  });

  it('writes text beyond ASCII as UTF-8, however it came: raw, as \\u escapes, or in a Latin-1 header', async () => {
    const search = (query: string) => {
      const event = exampleEvent('web-frontend', 'search_performed');
      (event['data'] as Record<string, unknown>)['search_query'] = query;
      return event;
    };
    const text = 'Café – naïve 😀 {road bike}';
    const raw = search(text);
    const escaped = search(text);
    // JSON.stringify leaves non-ASCII as it is; some encoders (Python's, PHP's) escape it all.
    const escapedBody = JSON.stringify(payload([escaped])).replace(/[^\x00-\x7f]/gu, (char) => char.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
    expect(escapedBody).toMatch(/^[\x00-\x7f]*$/);
    // An ASCII body whose user agent has a Latin-1 character (Node sends it as one byte), and
    // an escaped backslash before a "u", which looks like an escape and is not.
    const fromHeader = search('C:\\users\\plain');
    for (const [body, userAgent] of [[payload([raw]), 'tagplan-test/1.0'], [escapedBody, 'tagplan-test/1.0'], [payload([fromHeader]), 'agent/Zürich']] as const) {
      const answer = await postEvents(collector.url, collector.keys.web.key, body, { headers: { 'user-agent': userAgent } });
      expect(answer.json).toEqual({ accepted: 1, rejected: [] });
    }
    expect((await recordOf(raw['event_id'])).data.search_query).toBe(text);
    expect((await recordOf(escaped['event_id'])).data.search_query).toBe(text);
    const record = await recordOf(fromHeader['event_id']);
    expect(record.query_ctx.user_agent).toBe('agent/Zürich');
    expect(record.data.search_query).toBe('C:\\users\\plain');
    // Every byte of every file is valid UTF-8.
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const file of await listFiles(`${collector.dir}/events/good`)) expect(() => strict.decode(readFileSync(file))).not.toThrow();
  });

  it('gives an event without stack_ctx the collector version alone', async () => {
    const event = JSON.parse(JSON.stringify(itemViewed({ stack_ctx: undefined }))) as Record<string, unknown>;
    await postEvents(collector.url, collector.keys.web.key, payload([event]));
    expect((await recordOf(event['event_id'])).stack_ctx).toEqual({ collector_version: COLLECTOR_VERSION });
  });
});

describe('enrichment behind a load balancer', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ config: { trustProxy: true } });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('hashes the first X-Forwarded-For address when told to trust the proxy', async () => {
    const event = itemViewed();
    await postEvents(collector.url, collector.keys.web.key, payload([event]), { headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' } });
    const record = (await readLines(collector.dir, 'good')).find((line) => line.event_id === event['event_id']);
    expect(record.query_ctx.ip_hash).toBe(hmac('203.0.113.7'));
  });
});
