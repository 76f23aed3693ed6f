import path from 'node:path';
import { FileSink } from '@tagplan/sinks';
import { itemViewed, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents } from '../../../libs/collector/test/support/http-client';
import { eventually, readLines, startTestCollector, type TestCollector } from './support/test-collector';

/**
 * Concurrent requests share fsyncs, and none is answered before the fsync covering it.
 * Counted through the file sink's test hook, not timed: the first commit is held at its
 * fsync while the other requests arrive.
 */
describe('group commit over HTTP', () => {
  let collector: TestCollector;
  let sink: FileSink | undefined;
  let held: (() => void) | undefined;
  let hookCalls = 0;

  beforeAll(async () => {
    collector = await startTestCollector({
      start: {
        sinkFactories: {
          file: async (config, context) => {
            sink = await FileSink.open({
              name: config.name,
              dir: path.join(context.dataDir, 'events'),
              instanceId: context.instanceId,
              hooks: {
                beforeFsync: async () => {
                  hookCalls++;
                  if (hookCalls === 1) await new Promise<void>((resolve) => (held = resolve));
                },
              },
            });
            return sink;
          },
        },
      },
    });
  });
  afterAll(async () => {
    held?.();
    await collector?.close();
  });

  it('appends ten concurrent requests in two commits, answering each after its fsync', async () => {
    const answered: number[] = [];
    const sendOne = (index: number) =>
      postEvents(collector.url, collector.keys.web.key, payload([itemViewed(), itemViewed()])).then((answer) => {
        answered.push(index);
        return answer;
      });
    const first = sendOne(0);
    await eventually(() => held, 'the first commit at its fsync');
    const others = Array.from({ length: 9 }, (_, index) => sendOne(index + 1));
    await eventually(() => (sink?.stats().writes === 10 ? true : undefined), 'all ten requests handed to the sink');
    expect(answered).toEqual([]);
    held?.();
    const answers = await Promise.all([first, ...others]);
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(answered[0]).toBe(0);
    expect(sink?.stats()).toEqual({ writes: 10, commits: 2, fsyncs: 2, failedCommits: 0 });
    expect(await readLines(collector.dir, 'good')).toHaveLength(20);
  });
});
