import path from 'node:path';
import { DEFAULT_LIMITS } from '@tagplan/collector';
import { FileSink } from '@tagplan/sinks';
import { itemViewed, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents, send } from '../../../libs/collector/test/support/http-client';
import { eventually, readLines, startTestCollector, type TestCollector } from './support/test-collector';

/**
 * Overload: past its limits of requests (or bytes) under way, the collector answers 503 with
 * Retry-After at once instead of holding ever more requests in memory, and takes requests
 * again as soon as those under way are answered. The sink is held at its fsync (a test hook)
 * so that requests stay under way for as long as the test needs.
 */
describe('an overloaded collector', () => {
  let collector: TestCollector;
  let release: (() => void) | undefined;
  let holding = false;

  async function start(limits: Partial<typeof DEFAULT_LIMITS>) {
    collector = await startTestCollector({
      config: { limits: { ...DEFAULT_LIMITS, ...limits } },
      start: {
        sinkFactories: {
          file: async (config, context) =>
            FileSink.open({
              name: config.name,
              dir: path.join(context.dataDir, 'events'),
              instanceId: context.instanceId,
              hooks: {
                beforeFsync: async () => {
                  if (holding) await new Promise<void>((resolve) => (release = resolve));
                },
              },
            }),
        },
      },
    });
  }

  afterEach(async () => {
    holding = false;
    release?.();
    await collector?.close();
  });

  async function inFlight(): Promise<{ requests: number; bytes: number }> {
    const text = (await send(collector.url, { method: 'GET', path: '/metrics' })).text;
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    return { requests: value('tagplan_collector_requests_in_flight'), bytes: value('tagplan_collector_bytes_in_flight') };
  }

  it('answers 503 with Retry-After past its limit of requests under way, writes nothing of them, and recovers', async () => {
    await start({ maxRequestsInFlight: 2 });
    holding = true;
    const held = [payload([itemViewed()]), payload([itemViewed()])];
    const first = held.map((batch) => postEvents(collector.url, collector.keys.web.key, batch));
    await eventually(async () => (await inFlight()).requests === 2, 'two requests under way');

    const refused = payload([itemViewed()]);
    const answer = await postEvents(collector.url, collector.keys.web.key, refused);
    expect({ status: answer.status, error: answer.json.error, retryAfter: answer.headers['retry-after'] }).toEqual({ status: 503, error: 'overloaded', retryAfter: '1' });
    expect(answer.json.message).toMatch(/2 requests are under way, the collector's limit \(TAGPLAN_COLLECTOR_MAX_REQUESTS_IN_FLIGHT\)/);
    // The collector itself stays healthy: it only sheds load.
    expect((await send(collector.url, { method: 'GET', path: '/healthz' })).status).toBe(200);

    holding = false;
    release?.();
    expect((await Promise.all(first)).map((done) => done.status)).toEqual([200, 200]);
    expect(await inFlight()).toEqual({ requests: 0, bytes: 0 });
    // The refused batch, sent again, is taken.
    expect((await postEvents(collector.url, collector.keys.web.key, refused)).json).toEqual({ accepted: 1, rejected: [] });
    const written = (await readLines(collector.dir, 'good')).map((line) => line.event_id).sort();
    const sent = [...held, refused].map((batch) => (batch['events'] as { event_id: string }[])[0]?.event_id).sort();
    expect(written).toEqual(sent);
  });

  it('answers 503 once the bodies under way hold more than its limit of bytes', async () => {
    await start({ maxBytesInFlight: 1024 * 1024 });
    holding = true;
    // One batch of about 1.2 MB of events fills the budget while it waits for its fsync.
    const big = payload(Array.from({ length: 1000 }, () => itemViewed({}, { app_version: `4.1.0+${'b'.repeat(900)}` })));
    const first = postEvents(collector.url, collector.keys.web.key, big);
    await eventually(async () => (await inFlight()).bytes > 1024 * 1024, 'the big batch read and under way');

    const answer = await postEvents(collector.url, collector.keys.web.key, payload([itemViewed()]));
    expect({ status: answer.status, error: answer.json.error }).toEqual({ status: 503, error: 'overloaded' });
    expect(answer.json.message).toMatch(/the requests under way hold \d+ bytes, the collector's limit \(TAGPLAN_COLLECTOR_MAX_BYTES_IN_FLIGHT\)/);

    holding = false;
    release?.();
    expect((await first).status).toBe(200);
    expect((await postEvents(collector.url, collector.keys.web.key, payload([itemViewed()]))).status).toBe(200);
  });
});
