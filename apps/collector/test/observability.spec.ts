import { createJsonLogger } from '@tagplan/collector';
import { itemViewed, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents, send } from '../../../libs/collector/test/support/http-client';
import { eventually, startTestCollector, type TestCollector } from './support/test-collector';

describe('metrics, health and logs', () => {
  let collector: TestCollector;

  beforeAll(async () => {
    collector = await startTestCollector();
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('GET /metrics: accepted and bad events by environment, event and version; latencies; bytes in', async () => {
    const body = payload([itemViewed(), itemViewed(), itemViewed({}, { item_id: 0 }), itemViewed({ event_version: 9 })]);
    await postEvents(collector.url, collector.keys.web.key, body);
    await postEvents(collector.url, collector.keys.web.key, body, { gzip: true }); // all duplicates now
    const answer = await send(collector.url, { method: 'GET', path: '/metrics' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = answer.text;
    expect(text).toContain('tagplan_collector_events_accepted_total{environment="web-frontend",event="item_viewed",version="1"} 2');
    expect(text).toContain('tagplan_collector_events_bad_total{environment="web-frontend",event="item_viewed",version="1",reason="invalid_data"} 1');
    // A version the catalog does not have never becomes a label value.
    expect(text).toContain('tagplan_collector_events_bad_total{environment="web-frontend",event="item_viewed",version="(unknown)",reason="unknown_version"} 1');
    expect(text).toContain('tagplan_collector_events_duplicate_total{environment="web-frontend"} 4');
    expect(text).toMatch(/tagplan_collector_request_duration_seconds_bucket\{le="0.05",route="events",status="200"\} \d+/);
    expect(text).toContain('tagplan_collector_request_duration_seconds_count{route="events",status="200"} 2');
    expect(text).toMatch(/tagplan_collector_sink_write_duration_seconds_count\{sink="file",outcome="ok"\} 1\n/);
    expect(text).toMatch(/tagplan_collector_bytes_in_total\{encoding="identity"\} [1-9]\d+/);
    expect(text).toMatch(/tagplan_collector_bytes_in_total\{encoding="gzip"\} [1-9]\d+/);
    expect(text).toMatch(/tagplan_collector_process_cpu_seconds_total \d/);
  });

  it('GET /healthz and /readyz', async () => {
    expect((await send(collector.url, { method: 'GET', path: '/healthz' })).json).toEqual({ status: 'ok' });
    const readyz = await send(collector.url, { method: 'GET', path: '/readyz' });
    expect(readyz.status).toBe(200);
    expect(readyz.json).toEqual({ status: 'ready', ready: true, catalog: { loaded: true, revision: collector.registry.document.revision }, sinks: { file: 'ready' } });
  });

  it('logs one JSON line per request at debug, with what happened', async () => {
    const event = itemViewed();
    await postEvents(collector.url, collector.keys.web.key, payload([event, itemViewed({ event_name: 'nope' })]));
    await postEvents(collector.url, collector.keys.web.key, '{');
    const lines = collector.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['msg'] === 'request');
    expect(lines.at(-2)).toMatchObject({ level: 'debug', method: 'POST', path: '/v1/events', status: 200, environment: 'web-frontend', events: 2, accepted: 1, rejected: 1, duplicates: 0 });
    expect(lines.at(-1)).toMatchObject({ level: 'debug', status: 400, error: 'invalid_json' });
    expect(typeof lines.at(-1)?.['time']).toBe('string');
    expect(typeof lines.at(-1)?.['ms']).toBe('number');
  });

  it('at info, logs no line per request but always the errors', async () => {
    const logs: string[] = [];
    const quiet = await startTestCollector({ start: { logger: createJsonLogger('info', (line) => logs.push(line)) } });
    try {
      await postEvents(quiet.url, quiet.keys.web.key, payload([itemViewed()]));
      expect(logs.some((line) => line.includes('"msg":"request"'))).toBe(false);
      await quiet.registry.stop();
      await eventually(() => logs.some((line) => line.includes('"level":"error"') && line.includes('catalog refresh failed')) || undefined, 'the error line');
    } finally {
      await quiet.close();
    }
  });
});
