import { randomUUID } from 'node:crypto';
import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

const MINUTE = 60_000;

/** The minute `minutesAgo` minutes before now, as a collector names it. */
const minuteAgo = (minutesAgo: number) => new Date(Math.floor((Date.now() - minutesAgo * MINUTE) / MINUTE) * MINUTE).toISOString();

/** Counts per event version (issue 4 §6): collectors report them, owners and the web UI read them. */
describe.each(databaseModes())('event counts on the %s database', (mode) => {
  let registry: StartedTestRegistry;
  let viewer: string;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    expectStatus(
      await registry.call('POST', '/api/catalog/apply', {
        catalog: {
          message: 'Start',
          fields: { item_id: { type: 'integer' }, query: { type: 'string' } },
          events: { item_viewed: { owner: 'team-items', fields: { item_id: 'required' } }, search_performed: { owner: 'team-search', fields: { query: 'required' } } },
          environments: { 'web-frontend': { owner: 'team-web', events: ['item_viewed', 'search_performed'] }, 'ios-app': { owner: 'team-mobile', events: ['item_viewed'] } },
        },
      }),
      200,
    );
    expectStatus(await registry.call('POST', '/api/events/item_viewed/versions', { owner: 'team-catalog', fields: [{ name: 'item_id', required: true }], message: 'New owner' }), 201);
    expectStatus(await registry.call('POST', '/api/admin/users', { username: 'vi', role: 'viewer' }), 201);
    viewer = expectStatus(await registry.call('POST', '/api/admin/tokens', { name: 'viewer', username: 'vi', scopes: ['read'] }), 201).token;
    // A bucket older than the retention, as an earlier run of the registry could have left it.
    await registry.sql(`INSERT INTO event_counts (environment, event_name, event_version, minute, accepted, bad) VALUES ('web-frontend', 'item_viewed', 1, date_trunc('minute', now()) - interval '9 days', 5, 5)`);
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const report = (body: unknown, token?: string | null) => registry.call('POST', '/api/collector/counts', body, token);
  const buckets = async () =>
    (await registry.sql(`SELECT environment, event_name, event_version, minute, accepted::int AS accepted, bad::int AS bad FROM event_counts ORDER BY minute, environment, event_name, event_version`)).map(
      (row) => `${row['environment']} ${row['event_name']}@${row['event_version']} ${(row['minute'] as Date).toISOString()} ${row['accepted']}/${row['bad']}`,
    );

  test('counts are added to their minute buckets; the first write prunes buckets older than 8 days', async () => {
    const minute = minuteAgo(10);
    const answer = expectStatus(
      await report({
        counts: [
          { environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute, accepted: 10, bad: 1 },
          { environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: new Date(Date.parse(minute) + 30_000).toISOString(), accepted: 5, bad: 0 },
          { environment: 'ios-app', event_name: 'item_viewed', event_version: 1, minute, accepted: 7, bad: 2 },
        ],
      }),
      200,
    );
    expect(answer).toEqual({ recorded: 3, skipped: 0, duplicate: false });
    expect(await buckets()).toEqual([`ios-app item_viewed@1 ${minute} 7/2`, `web-frontend item_viewed@1 ${minute} 15/1`]);
    expectStatus(await report({ counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute, accepted: 100, bad: 10 }] }), 200);
    expect(await buckets()).toEqual([`ios-app item_viewed@1 ${minute} 7/2`, `web-frontend item_viewed@1 ${minute} 115/11`]);
  });

  test('counts land in the windows their minutes fall in; older than the retention they are skipped', async () => {
    const answer = expectStatus(
      await report({
        counts: [
          { environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(180), accepted: 1000, bad: 100 },
          { environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(2 * 1440), accepted: 50_000, bad: 5000 },
          { environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(9 * 1440), accepted: 1, bad: 1 },
          { environment: 'web-frontend', event_name: 'item_viewed', event_version: 2, minute: minuteAgo(1), accepted: 3, bad: 4 },
        ],
      }),
      200,
    );
    expect(answer).toEqual({ recorded: 3, skipped: 1, duplicate: false });
    const counts = expectStatus(await registry.call('GET', '/api/events/item_viewed/versions/1/counts', undefined, null), 200);
    expect(counts).toEqual({
      event_name: 'item_viewed',
      event_version: 1,
      as_of: expect.stringMatching(/^\d{4}-/),
      last_hour: { accepted: 122, bad: 13 },
      last_day: { accepted: 1122, bad: 113 },
      by_environment: [
        { environment: 'ios-app', last_hour: { accepted: 7, bad: 2 }, last_day: { accepted: 7, bad: 2 } },
        { environment: 'web-frontend', last_hour: { accepted: 115, bad: 11 }, last_day: { accepted: 1115, bad: 111 } },
      ],
    });
    const second = expectStatus(await registry.call('GET', '/api/events/item_viewed/versions/2/counts'), 200);
    expect(second).toMatchObject({ last_hour: { accepted: 3, bad: 4 }, last_day: { accepted: 3, bad: 4 } });
  });

  test('an event version nothing was counted for has zeros', async () => {
    const counts = expectStatus(await registry.call('GET', '/api/events/search_performed/versions/1/counts'), 200);
    expect(counts).toMatchObject({ last_hour: { accepted: 0, bad: 0 }, last_day: { accepted: 0, bad: 0 }, by_environment: [] });
  });

  test("the collector's own report shape is taken: counts fall in the minute of to_ts; a resent report_id counts once", async () => {
    const toTs = Date.now() - 5 * MINUTE;
    const body = {
      format: 'tagplan-collector-counts/1',
      collector_id: 'collector-1',
      from_ts: toTs - 5000,
      to_ts: toTs,
      report_id: randomUUID(),
      counts: [{ environment: 'web-frontend', event_name: 'search_performed', event_version: 1, accepted: 40, bad: 2 }],
    };
    expect(expectStatus(await report(body), 200)).toEqual({ recorded: 1, skipped: 0, duplicate: false });
    expect(expectStatus(await report(body), 200)).toEqual({ recorded: 0, skipped: 0, duplicate: true });
    const rows = await registry.sql(`SELECT minute, accepted::int AS accepted, bad::int AS bad FROM event_counts WHERE event_name = 'search_performed'`);
    expect(rows).toEqual([{ minute: new Date(Math.floor((toTs - 1) / MINUTE) * MINUTE), accepted: 40, bad: 2 }]);
    // The same counts under a new report id are new counts.
    expectStatus(await report({ ...body, report_id: randomUUID() }), 200);
    expect((await registry.call('GET', '/api/events/search_performed/versions/1/counts')).body.last_hour).toEqual({ accepted: 80, bad: 4 });
  });

  test('the listing has every event version of the catalog, and counted versions the catalog lacks', async () => {
    expectStatus(await report({ counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 9, minute: minuteAgo(2), accepted: 0, bad: 6 }] }), 200);
    const hour = expectStatus(await registry.call('GET', '/api/counts?window=hour', undefined, null), 200);
    expect(hour).toMatchObject({ window: 'hour', since: expect.stringMatching(/^\d{4}-/), as_of: expect.stringMatching(/^\d{4}-/) });
    expect(Date.parse(hour.as_of) - Date.parse(hour.since)).toBeLessThanOrEqual(60 * MINUTE);
    const summary = (listing: { items: { event_name: string; event_version: number; in_catalog: boolean; accepted: number; bad: number }[] }) =>
      listing.items.map((item) => `${item.event_name}@${item.event_version} ${item.in_catalog ? 'known' : 'unknown'} ${item.accepted}/${item.bad}`);
    expect(summary(hour)).toEqual(['item_viewed@1 known 122/13', 'item_viewed@2 known 3/4', 'item_viewed@9 unknown 0/6', 'search_performed@1 known 80/4']);
    expect(hour.items[0].by_environment).toEqual([
      { environment: 'ios-app', accepted: 7, bad: 2 },
      { environment: 'web-frontend', accepted: 115, bad: 11 },
    ]);
    const day = expectStatus(await registry.call('GET', '/api/counts?window=day'), 200);
    expect(summary(day)).toEqual(['item_viewed@1 known 1122/113', 'item_viewed@2 known 3/4', 'item_viewed@9 unknown 0/6', 'search_performed@1 known 80/4']);
    expect(expectStatus(await registry.call('GET', '/api/counts'), 200).window).toBe('hour');
    expectError(await registry.call('GET', '/api/counts?window=week'), 400);
  });

  test.each([
    ['a list for a body', '[]', ''],
    ['no counts', {}, '/counts'],
    ['counts not a list', { counts: {} }, '/counts'],
    ['an unknown property', { counts: [], extra: 1 }, '/extra'],
    ['a wrong format', { format: 'counts/2', counts: [] }, '/format'],
    ['a report id that is not a UUID', { report_id: 'r-1', counts: [] }, '/report_id'],
    ['from_ts after to_ts', { from_ts: 2000, to_ts: 1000, counts: [] }, '/from_ts'],
    ['a count that is not an object', { counts: [5] }, '/counts/0'],
    ['a bad environment name', { counts: [{ environment: 'Web', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(1), accepted: 1, bad: 0 }] }, '/counts/0/environment'],
    ['an empty event name', { counts: [{ environment: 'web-frontend', event_name: '', event_version: 1, minute: minuteAgo(1), accepted: 1, bad: 0 }] }, '/counts/0/event_name'],
    ['a version that is not a whole number', { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1.5, minute: minuteAgo(1), accepted: 1, bad: 0 }] }, '/counts/0/event_version'],
    ['no minute and no to_ts', { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, accepted: 1, bad: 0 }] }, '/counts/0/minute'],
    ['a minute that is not a date-time', { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: 'yesterday', accepted: 1, bad: 0 }] }, '/counts/0/minute'],
    ['a minute without an offset', { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: '2026-01-01T12:00', accepted: 1, bad: 0 }] }, '/counts/0/minute'],
    ['a minute a day ahead', { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(-1440), accepted: 1, bad: 0 }] }, '/counts/0/minute'],
    ['a negative count', { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(1), accepted: -1, bad: 0 }] }, '/counts/0/accepted'],
    ['a count as text', { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(1), accepted: 1, bad: '2' }] }, '/counts/0/bad'],
    ['too many counts', { counts: Array.from({ length: 10_001 }, () => ({})) }, '/counts'],
  ])('%s is a 400 naming its place, and counts nothing (not even the valid counts beside it)', async (_what, body, path) => {
    const before = await buckets();
    const withValid =
      typeof body === 'object' && Array.isArray((body as { counts?: unknown }).counts) && (body as { counts: unknown[] }).counts.length === 1
        ? { ...(body as object), counts: [{ environment: 'ios-app', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(1), accepted: 1, bad: 0 }, ...(body as { counts: unknown[] }).counts] }
        : body;
    const shifted = withValid !== body ? path.replace('/counts/0', '/counts/1') : path;
    expectError(await report(withValid), 400, shifted);
    expect(await buckets()).toEqual(before);
  });

  test('reporting needs the write scope; reading counts does not', async () => {
    const body = { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: minuteAgo(1), accepted: 1, bad: 0 }] };
    expectError(await report(body, null), 401);
    expectError(await report(body, viewer), 403);
    expectStatus(await registry.call('GET', '/api/events/item_viewed/versions/1/counts', undefined, viewer), 200);
  });

  test('counts of an event or version the catalog does not have are a 404; malformed ones a 400', async () => {
    expectError(await registry.call('GET', '/api/events/cart_opened/versions/1/counts'), 404);
    expectError(await registry.call('GET', '/api/events/item_viewed/versions/9/counts'), 404);
    expectError(await registry.call('GET', '/api/events/item_viewed/versions/zero/counts'), 400);
    expectError(await registry.call('GET', '/api/events/Item/versions/1/counts'), 400);
  });

  test('many collectors adding to the same buckets at once lose no count', async () => {
    const minute = minuteAgo(20);
    const counts = (sign: number) =>
      ['ios-app', 'web-frontend'].flatMap((environment) => [1, 2].map((version) => ({ environment, event_name: 'item_viewed', event_version: version, minute, accepted: 1, bad: sign })));
    const answers = await Promise.all(Array.from({ length: 16 }, (_, index) => report({ counts: index % 2 === 0 ? counts(1) : [...counts(0)].reverse() })));
    for (const answer of answers) expectStatus(answer, 200);
    const rows = await registry.sql(`SELECT sum(accepted)::int AS accepted, sum(bad)::int AS bad, count(*)::int AS buckets FROM event_counts WHERE minute = $1`, [minute]);
    expect(rows).toEqual([{ accepted: 64, bad: 32, buckets: 4 }]);
  });
});
