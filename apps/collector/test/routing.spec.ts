import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RouteRecord } from '@tagplan/collector';
import { catalogDocument, exampleEvent, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents, send } from '../../../libs/collector/test/support/http-client';
import { readLines, startTestCollector, type TestCollector } from './support/test-collector';

/** A collector with two file sinks, the default `file` and `archive` in a folder of its own, and these routes. */
async function startWithArchive(routes: RouteRecord[]): Promise<{ collector: TestCollector; archive: string }> {
  let archive = '';
  const collector = await startTestCollector({
    document: (keys) => catalogDocument({ keys: Object.values(keys), routes }),
    configure: (dir) => {
      archive = path.join(dir, 'archive');
      return { sinks: [{ name: 'file', type: 'file' }, { name: 'archive', type: 'file', dir: archive }], defaultSinks: ['file'] };
    },
  });
  return { collector, archive };
}

/**
 * Routing (DESIGN §4): routes come with the catalog, sinks with the configuration. Two file
 * sinks in different directories stand for two recipients; the files show who got what.
 */
describe('routing', () => {
  let collector: TestCollector;
  let archive: string;

  beforeAll(async () => {
    ({ collector, archive } = await startWithArchive([
      { environment: 'web-frontend', event: 'item_viewed', sinks: ['archive'] },
      { environment: 'web-frontend', event: '*', sinks: ['file'] },
      { environment: 'ios-app', event: '*', sinks: ['archive', 'file'] },
      { environment: 'backend-items', event: 'api_error', sinks: ['kafka'] },
    ]));
  });
  afterAll(async () => {
    await collector?.close();
  });

  const ids = async (root: string, kind: 'good' | 'bad') => (await readLines(root, kind, '')).map((line) => line.event_id as string);

  it('sends each event to the sinks of its route: its own, else the environment\'s "*", else the default', async () => {
    const itemViewed = exampleEvent('web-frontend', 'item_viewed');
    const pageViewed = exampleEvent('web-frontend', 'page_viewed');
    const screenViewed = exampleEvent('ios-app', 'screen_viewed');
    const apiError = exampleEvent('backend-items', 'api_error');
    const published = exampleEvent('backend-items', 'item_published');
    for (const [key, events] of [
      [collector.keys.web.key, [itemViewed, pageViewed]],
      [collector.keys.ios.key, [screenViewed]],
      [collector.keys.backend.key, [apiError, published]],
    ] as const) {
      const answer = await postEvents(collector.url, key, payload([...events]));
      expect(answer.json).toEqual({ accepted: events.length, rejected: [] });
    }
    const main = await ids(path.join(collector.dir, 'events'), 'good');
    const archived = await ids(archive, 'good');
    expect(archived.sort()).toEqual([itemViewed['event_id'], screenViewed['event_id']].sort());
    // api_error's route names a sink this collector does not have: the default gets it rather than nobody.
    expect(main.sort()).toEqual([pageViewed['event_id'], screenViewed['event_id'], apiError['event_id'], published['event_id']].sort());
    expect(collector.logs.join('')).toContain('names the sink \\"kafka\\", which this collector does not have');
  });

  it("sends bad rows to every sink that gets the environment's events", async () => {
    const badWeb = exampleEvent('web-frontend', 'page_viewed', { event_name: 'item_teleported' });
    const badIos = exampleEvent('ios-app', 'screen_viewed', { event_version: 99 });
    const badBackend = exampleEvent('backend-items', 'api_error', { data: {} });
    await postEvents(collector.url, collector.keys.web.key, payload([badWeb]));
    await postEvents(collector.url, collector.keys.ios.key, payload([badIos]));
    await postEvents(collector.url, collector.keys.backend.key, payload([badBackend]));
    const main = await ids(path.join(collector.dir, 'events'), 'bad');
    const archived = await ids(archive, 'bad');
    expect(main.sort()).toEqual([badWeb['event_id'], badIos['event_id'], badBackend['event_id']].sort());
    expect(archived.sort()).toEqual([badWeb['event_id'], badIos['event_id']].sort());
  });
});

/** DESIGN §3 (written once) with several sinks: each sink has its own de-duplication window. */
describe('an event routed to two sinks, one of which fails', () => {
  let collector: TestCollector;
  let archive: string;

  beforeAll(async () => {
    ({ collector, archive } = await startWithArchive([{ environment: 'ios-app', event: '*', sinks: ['archive', 'file'] }]));
  });
  afterAll(async () => {
    await collector?.close();
  });

  const ids = async (root: string, kind: 'good' | 'bad') => (await readLines(root, kind, '')).map((line) => line.event_id as string);
  it('is written once to each when the first try failed in one of them and the sender retries', async () => {
    // The archive cannot write (a file where its folder must be).
    const good = path.join(archive, 'good');
    await mkdir(archive, { recursive: true });
    await writeFile(good, 'not a directory');
    const first = exampleEvent('ios-app', 'screen_viewed');
    const second = exampleEvent('ios-app', 'screen_viewed');
    const bad = exampleEvent('ios-app', 'screen_viewed', { event_version: 99 });
    const batch = payload([first, second, bad]);
    const failed = await postEvents(collector.url, collector.keys.ios.key, batch);
    expect({ status: failed.status, error: failed.json.error }).toEqual({ status: 503, error: 'sink_unavailable' });
    expect(failed.json.message).toMatch(/sink archive/);
    const main = path.join(collector.dir, 'events');
    // The main sink wrote its part durably before the answer; nothing of it is undone.
    expect((await ids(main, 'good')).filter((id) => id === first['event_id'] || id === second['event_id'])).toHaveLength(2);

    await rm(good);
    expect((await postEvents(collector.url, collector.keys.ios.key, batch)).json).toEqual({
      accepted: 2,
      rejected: [expect.objectContaining({ index: 2, reason: 'unknown_version' })],
    });
    const sent = [first['event_id'], second['event_id']];
    const count = (list: string[], id: unknown) => list.filter((entry) => entry === id).length;
    const mainGood = await ids(main, 'good');
    const archiveGood = await ids(archive, 'good');
    for (const id of sent) expect({ id, main: count(mainGood, id), archive: count(archiveGood, id) }).toEqual({ id, main: 1, archive: 1 });
    expect({ main: count(await ids(main, 'bad'), bad['event_id']), archive: count(await ids(archive, 'bad'), bad['event_id']) }).toEqual({ main: 1, archive: 1 });
    // The retry is the events' first acknowledgement: counted once.
    const metrics = (await send(collector.url, { method: 'GET', path: '/metrics' })).text;
    expect(metrics).toMatch(/^tagplan_collector_events_accepted_total\{environment="ios-app",event="screen_viewed",version="[0-9]+"\} 2$/m);
    expect(metrics).not.toMatch(/tagplan_collector_events_duplicate_total\{environment="ios-app"\}/);
  });
});
