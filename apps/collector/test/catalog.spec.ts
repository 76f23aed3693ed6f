import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSnapshot, type EntityVersion, type EventBody } from '@tagplan/catalog';
import { createJsonLogger, generateWriteKey } from '@tagplan/collector';
import { ANONYMOUS_ID, catalogDocument, demoVersions, itemViewed, nextEnvironmentVersion, payload, SESSION_ID } from '../../../libs/collector/test/support/catalog-fixtures';
import { CatalogServer } from '../../../libs/collector/test/support/catalog-server';
import { postEvents, send } from '../../../libs/collector/test/support/http-client';
import { loadCollectorConfig, startCollector, type RunningCollector } from '../src';
import { eventually, PII_SECRET, readLines, startTestCollector, type TestCollector } from './support/test-collector';

/** The catalog as the registry changes it: item_viewed@2 (with `referrer_url`) and a new event, pinned by web-frontend@5. */
function changedCatalog(versions: EntityVersion[]): EntityVersion[] {
  const now = new Date().toISOString();
  const itemViewedV1 = versions.find((entry) => entry.kind === 'event' && entry.name === 'item_viewed' && entry.version === 1) as EntityVersion<'event'>;
  const v2: EventBody = { ...itemViewedV1.body, fields: [...itemViewedV1.body.fields, { name: 'discount_ratio', version: 1, required: true }] };
  const added: EntityVersion[] = [
    { ...itemViewedV1, version: 2, body: v2, message: 'discount_ratio required', created_at: now },
    { kind: 'event', name: 'item_shared', version: 1, body: { description: 'A user shared an item', owner: 'team-items', fields: [{ name: 'item_id', version: 1, required: true }] }, author: 'test', message: 'new', created_at: now },
  ];
  const next = [...versions, ...added];
  next.push(
    nextEnvironmentVersion(next, 'web-frontend', (body) => ({
      ...body,
      events: [...body.events.filter((ref) => ref.name !== 'item_viewed'), { name: 'item_viewed', version: 2 }, { name: 'item_shared', version: 1 }],
    })),
  );
  return next;
}

const metric = async (url: string, pattern: RegExp) => pattern.exec((await send(url, { method: 'GET', path: '/metrics' })).text);

describe('the catalog from a registry', () => {
  let collector: TestCollector;

  beforeEach(async () => {
    collector = await startTestCollector();
  });
  afterEach(async () => {
    await collector?.close();
  });

  it('accepts a new event version and a new event within seconds of the change, without a restart', async () => {
    const v2 = itemViewed({ event_version: 2 }, { discount_ratio: 0.2 });
    const before = await postEvents(collector.url, collector.keys.web.key, payload([v2]));
    expect(before.json.rejected[0].reason).toBe('unknown_version');
    // Unchanged catalog: the collector asks with If-None-Match and gets 304s.
    await eventually(() => collector.registry.notModified > 0 || undefined, 'a 304 from the registry');

    collector.registry.document = { ...collector.registry.document, revision: randomUUID(), versions: changedCatalog(collector.registry.document.versions) };
    const accepted = await eventually(async () => {
      const event = itemViewed({ event_version: 2 }, { discount_ratio: 0.2 });
      const answer = await postEvents(collector.url, collector.keys.web.key, payload([event]));
      return answer.json.accepted === 1 ? event : undefined;
    }, 'item_viewed@2 accepted', 5_000);
    const shared: Record<string, unknown> = { ...itemViewed({ event_name: 'item_shared' }), data: { item_id: 5, session_id: SESSION_ID, anonymous_id: ANONYMOUS_ID, app_version: '4.1.0' } };
    expect((await postEvents(collector.url, collector.keys.web.key, payload([shared]))).json).toEqual({ accepted: 1, rejected: [] });
    // Older senders keep working: item_viewed@1 is still pinned by web-frontend@1-4.
    expect((await postEvents(collector.url, collector.keys.web.key, payload([itemViewed()]))).json).toEqual({ accepted: 1, rejected: [] });
    const ids = (await readLines(collector.dir, 'good')).map((line) => line.event_id);
    expect(ids).toEqual(expect.arrayContaining([accepted['event_id'], shared['event_id']]));
    expect(await metric(collector.url, /tagplan_collector_catalog_revision_info\{revision="([^"]+)"\} 1/)).toEqual(expect.arrayContaining([collector.registry.document.revision]));
  });

  it('keeps working on its last catalog while the registry is away, and follows it again when it is back', async () => {
    await collector.registry.stop();
    await eventually(() => metric(collector.url, /tagplan_collector_catalog_loads_total\{outcome="error"\} [1-9]/), 'a failed refresh');
    expect((await postEvents(collector.url, collector.keys.web.key, payload([itemViewed()]))).json).toEqual({ accepted: 1, rejected: [] });
    expect((await send(collector.url, { method: 'GET', path: '/readyz' })).status).toBe(200);
    expect(collector.logs.join('')).toContain('catalog refresh failed; keeping the catalog in force');

    collector.registry.document = { ...collector.registry.document, revision: randomUUID(), versions: changedCatalog(collector.registry.document.versions) };
    await collector.registry.start();
    await eventually(async () => {
      const answer = await postEvents(collector.url, collector.keys.web.key, payload([itemViewed({ event_version: 2 }, { discount_ratio: 0.5 })]));
      return answer.json.accepted === 1 || undefined;
    }, 'the changed catalog after the registry came back', 5_000);
    expect(collector.logs.join('')).toContain('catalog source reachable again');
  });

  it('reports accepted and bad counts per event version to the registry, resending an unacknowledged report as it was', async () => {
    const valid = () => itemViewed();
    const invalid = () => itemViewed({}, { item_id: -1 });
    await postEvents(collector.url, collector.keys.web.key, payload([valid(), valid(), valid(), invalid(), invalid()]));
    await eventually(() => collector.registry.totals().get('web-frontend/item_viewed@1')?.accepted === 3 || undefined, 'the first report');
    await collector.registry.stop();
    await postEvents(collector.url, collector.keys.web.key, payload([valid(), valid(), invalid()]));
    await eventually(() => metric(collector.url, /tagplan_collector_counts_reports_total\{outcome="error"\} [1-9]/), 'a failed report');
    // Back, but the answer to the next report is lost: the collector resends it with the same report_id.
    collector.registry.loseNextCountsAnswer = true;
    await collector.registry.start();
    await eventually(() => metric(collector.url, /tagplan_collector_counts_reports_total\{outcome="ok"\} 2/), 'the resent report');
    expect(collector.registry.totals().get('web-frontend/item_viewed@1')).toEqual({ accepted: 5, bad: 3 });
    const [lost, resent] = collector.registry.reports.slice(-2);
    expect(resent).toEqual(lost);
    expect(resent?.counts).toEqual([{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, accepted: 2, bad: 1 }]);
    const report = collector.registry.reports[0];
    expect(report).toMatchObject({ format: 'tagplan-collector-counts/1', collector_id: 'test-1' });
    expect(report?.to_ts).toBeGreaterThan(report?.from_ts ?? Infinity);
    // Unknown events are not the registry's to file: only in /metrics, as "(unknown)".
    await postEvents(collector.url, collector.keys.web.key, payload([itemViewed({ event_name: 'nope' })]));
    await postEvents(collector.url, collector.keys.web.key, payload([valid()]));
    await eventually(() => collector.registry.totals().get('web-frontend/item_viewed@1')?.accepted === 6 || undefined, 'the next report');
    expect([...collector.registry.totals().keys()]).toEqual(['web-frontend/item_viewed@1']);
    expect(await metric(collector.url, /tagplan_collector_events_bad_total\{environment="web-frontend",event="\(unknown\)",version="\(unknown\)",reason="unknown_event"\} 1/)).not.toBeNull();
  });
});

describe('a registry not reachable at start', () => {
  it('starts anyway, answers 503 with Retry-After until the catalog loads, then accepts', async () => {
    const keys = { web: { environment: 'web-frontend', key: generateWriteKey() } };
    const registry = new CatalogServer(catalogDocument({ keys: [keys.web] }));
    await registry.start();
    await registry.stop();
    const dir = await mkdtemp(path.join(tmpdir(), 'tagplan-collector-'));
    const running = await startCollector(
      loadCollectorConfig({ port: 0, catalog: { kind: 'registry', registryUrl: registry.url, token: registry.token }, piiSecret: PII_SECRET, instanceId: 'late', dataDir: dir, refreshMs: 200 }, {}),
      { logger: createJsonLogger('error', () => undefined) },
    );
    try {
      const early = await postEvents(running.url, keys.web.key, payload([itemViewed()]));
      expect({ status: early.status, error: early.json.error, retryAfter: early.headers['retry-after'] }).toEqual({ status: 503, error: 'catalog_not_loaded', retryAfter: '2' });
      const readyz = await send(running.url, { method: 'GET', path: '/readyz' });
      expect({ status: readyz.status, catalog: readyz.json.catalog }).toEqual({ status: 503, catalog: { loaded: false, revision: null } });
      await registry.start();
      await eventually(async () => (await postEvents(running.url, keys.web.key, payload([itemViewed()]))).status === 200 || undefined, 'the first load');
      expect((await send(running.url, { method: 'GET', path: '/readyz' })).status).toBe(200);
    } finally {
      await running.close();
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the catalog from a file, with no registry at all', () => {
  let dir: string;
  let running: RunningCollector | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tagplan-collector-'));
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = (file: string, writeKeys: { environment: string; key: string }[]) =>
    startCollector(loadCollectorConfig({ port: 0, catalog: { kind: 'file', file, writeKeys }, piiSecret: PII_SECRET, instanceId: 'from-file', dataDir: dir, refreshMs: 200 }, {}), {
      logger: createJsonLogger('error', () => undefined),
    });

  it('runs from a `tagplan export --snapshot` file and write keys from the configuration', async () => {
    const file = path.join(dir, 'snapshot.json');
    await writeFile(file, JSON.stringify(buildSnapshot(demoVersions(), new Date())));
    const key = generateWriteKey();
    running = await start(file, [{ environment: 'web-frontend', key }]);
    expect((await postEvents(running.url, key, payload([itemViewed()]))).json).toEqual({ accepted: 1, rejected: [] });
    expect((await postEvents(running.url, generateWriteKey(), payload([itemViewed()]))).status).toBe(401);
  });

  it('runs from a collector catalog document, and reloads it when the file changes', async () => {
    const file = path.join(dir, 'catalog.json');
    const first = { environment: 'web-frontend', key: generateWriteKey() };
    await writeFile(file, JSON.stringify(catalogDocument({ keys: [first] })));
    running = await start(file, []);
    expect((await postEvents(running.url, first.key, payload([itemViewed()]))).json).toEqual({ accepted: 1, rejected: [] });
    const second = { environment: 'web-frontend', key: generateWriteKey() };
    await writeFile(file, JSON.stringify(catalogDocument({ keys: [{ ...first, revoked: true }, second] })));
    const url = running.url;
    await eventually(async () => (await postEvents(url, second.key, payload([itemViewed()]))).status === 200 || undefined, 'the new key');
    expect((await postEvents(url, first.key, payload([itemViewed()]))).json.error).toBe('revoked_write_key');
  });

  it('refuses to start on a snapshot without write keys, or on a file that is not a catalog', async () => {
    const snapshot = path.join(dir, 'snapshot.json');
    await writeFile(snapshot, JSON.stringify(buildSnapshot(demoVersions(), new Date())));
    await expect(start(snapshot, [])).rejects.toThrow(/cannot load the catalog/);
    const other = path.join(dir, 'other.json');
    await writeFile(other, '{"hello": "world"}');
    await expect(start(other, [])).rejects.toThrow(/cannot load the catalog/);
    // A failed start leaves nothing locked: the same directory and instance start fine afterwards.
    await writeFile(other, JSON.stringify(catalogDocument({ keys: [] })));
    running = await start(other, []);
  });
});
