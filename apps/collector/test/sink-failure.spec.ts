import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hourPath } from '@tagplan/sinks';
import { itemViewed, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents, send } from '../../../libs/collector/test/support/http-client';
import { readLines, startTestCollector, type TestCollector } from './support/test-collector';

/** Issue 4, item 5: a full disk or an unwritable sink directory gives 503, not a crash, and the collector recovers by itself. */
describe('a file sink that cannot write', () => {
  let collector: TestCollector;

  beforeEach(async () => {
    collector = await startTestCollector();
  });
  afterEach(async () => {
    await collector?.close();
  });

  async function expectUnavailable(batch: unknown) {
    const answer = await postEvents(collector.url, collector.keys.web.key, batch);
    expect({ status: answer.status, error: answer.json.error, retryAfter: answer.headers['retry-after'] }).toEqual({ status: 503, error: 'sink_unavailable', retryAfter: '2' });
    expect(answer.json.message).toMatch(/^nothing was acknowledged: sink file: cannot write durably under /);
    expect((await send(collector.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    return answer;
  }

  it('answers 503 with Retry-After while its directory is unwritable, and writes again once it is', async () => {
    // Root ignores permissions, so make the directory impossible instead: a file where it must be.
    const good = path.join(collector.dir, 'events', 'good');
    await rm(good, { recursive: true, force: true });
    await writeFile(good, 'not a directory');
    const batch = payload([itemViewed(), itemViewed()]);
    const answer = await expectUnavailable(batch);
    expect(answer.json.message).toMatch(/EEXIST|ENOTDIR/);
    const readyz = await send(collector.url, { method: 'GET', path: '/readyz' });
    expect(readyz.status).toBe(503);
    expect(readyz.json.sinks.file).toMatch(/is not writable/);
    expect(collector.logs.join('')).toMatch(/"level":"error","msg":"request failed".*"status":503/);

    await rm(good);
    // The sender retries the same batch: written once, in full.
    expect((await postEvents(collector.url, collector.keys.web.key, batch)).json).toEqual({ accepted: 2, rejected: [] });
    expect((await send(collector.url, { method: 'GET', path: '/readyz' })).status).toBe(200);
    const ids = (await readLines(collector.dir, 'good')).map((line) => line.event_id);
    expect(ids).toEqual((batch['events'] as { event_id: string }[]).map((event) => event.event_id));
  });

  it('answers 503 when the disk is full (ENOSPC), leaves nothing half-written, and recovers', async () => {
    // Not across an hour boundary: the file to break is the current hour's.
    const untilNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (untilNextHour < 5_000) await new Promise((resolve) => setTimeout(resolve, untilNextHour + 100));
    const file = path.join(collector.dir, 'events', 'good', hourPath(Date.now()), 'test-1.jsonl');
    await mkdir(path.dirname(file), { recursive: true });
    // Every write to /dev/full fails with ENOSPC, exactly as on a full disk.
    await symlink('/dev/full', file);
    const batch = payload([itemViewed()]);
    const answer = await expectUnavailable(batch);
    expect(answer.json.message).toMatch(/the disk is full/);
    await expectUnavailable(batch);

    await rm(file);
    expect((await postEvents(collector.url, collector.keys.web.key, batch)).json).toEqual({ accepted: 1, rejected: [] });
    const lines = await readLines(collector.dir, 'good');
    expect(lines.map((line) => line.event_id)).toEqual([(batch['events'] as { event_id: string }[])[0]?.event_id]);
    const metrics = (await send(collector.url, { method: 'GET', path: '/metrics' })).text;
    expect(metrics).toMatch(/tagplan_collector_sink_write_duration_seconds_count\{sink="file",outcome="error"\} 2/);
  });
});
