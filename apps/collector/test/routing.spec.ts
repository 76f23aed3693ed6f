import path from 'node:path';
import { catalogDocument, exampleEvent, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents } from '../../../libs/collector/test/support/http-client';
import { readLines, startTestCollector, type TestCollector } from './support/test-collector';

/**
 * Routing (DESIGN §4): routes come with the catalog, sinks with the configuration. Two file
 * sinks in different directories stand for two recipients; the files show who got what.
 */
describe('routing', () => {
  let collector: TestCollector;
  let archive: string;

  beforeAll(async () => {
    collector = await startTestCollector({
      document: (keys) =>
        catalogDocument({
          keys: Object.values(keys),
          routes: [
            { environment: 'web-frontend', event: 'item_viewed', sinks: ['archive'] },
            { environment: 'web-frontend', event: '*', sinks: ['file'] },
            { environment: 'ios-app', event: '*', sinks: ['archive', 'file'] },
            { environment: 'backend-items', event: 'api_error', sinks: ['kafka'] },
          ],
        }),
      configure: (dir) => {
        archive = path.join(dir, 'archive');
        return { sinks: [{ name: 'file', type: 'file' }, { name: 'archive', type: 'file', dir: archive }], defaultSinks: ['file'] };
      },
    });
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
