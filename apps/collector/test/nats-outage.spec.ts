import { itemViewed, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { postEvents, send, type HttpAnswer } from '../../../libs/collector/test/support/http-client';
import { startNatsServer, type TestNatsServer } from '../../../libs/sinks/test/support/nats-server';
import { readStream } from '../../../libs/sinks/test/support/nats-stream-reader';
import { eventually, startTestCollector, type TestCollector } from './support/test-collector';

const STREAM = 'OUTAGE';
const SENDERS = 8;
const EVENTS_PER_BATCH = 100;
/** Batches acknowledged before each outage. */
const LOAD_BATCHES = 20;
/**
 * Each stop lands at another point of the load. Now and then JetStream has stored a batch
 * whose acks the stopping server never sent: the collector answered 503, the sender
 * resends, and only Nats-Msg-Id keeps the stream from holding those events twice.
 */
const OUTAGES = 3;
const RETRY_AFTER_SECONDS = 1;

/** 'down': nats-server has exited and has not been started again. */
type Phase = 'up' | 'down' | 'restarting';

interface Sender {
  acknowledged: string[];
  /** Answers to requests sent and answered while nats-server was down, with the outage they fell in. */
  whileDown: { outage: number; answer: HttpAnswer }[];
  /** The outage after which this sender last got a 200 for a request sent with the server up (0: before any). */
  acknowledgedAfterOutage: number;
  /** Anything but a 200 or a 503 sink_unavailable, or no answer at all. */
  unexpected: string[];
}

/**
 * Issue 4, item 5: stop nats-server under load from several concurrent senders. The
 * collector, whose default sink is the NATS JetStream sink, answers 503 with Retry-After
 * (never 2xx for what it could not write) and keeps serving; once the server is back on
 * the same port and store, it writes again by itself. Senders resend every batch that got
 * no 2xx, as a langpack does: in the end the stream holds every acknowledged event, once.
 */
describe('nats-server stopped under load', () => {
  let nats: TestNatsServer;
  let collector: TestCollector;

  beforeAll(async () => {
    nats = await startNatsServer();
    collector = await startTestCollector({
      config: {
        // The built-in nats sink type, as TAGPLAN_COLLECTOR_SINKS would configure it.
        sinks: [{ name: 'nats', type: 'nats', servers: nats.url, stream: STREAM, subject_prefix: 'outage', publish_timeout_ms: 3_000, retry_after_seconds: RETRY_AFTER_SECONDS }],
        defaultSinks: ['nats'],
      },
    });
    await eventually(async () => (await send(collector.url, { method: 'GET', path: '/readyz' })).status === 200, 'the collector to be ready');
  });
  afterAll(async () => {
    await collector?.close();
    await nats?.destroy();
  });

  const get = (path: string) => send(collector.url, { method: 'GET', path });

  it('answers 503 with Retry-After while the server is down, stays up, recovers by itself and loses no acknowledged event', async () => {
    let phase: Phase = 'up';
    let outage = 0;
    let stopping = false;
    const deadline = Date.now() + 60_000;
    const senders: Sender[] = [];

    const sender = async (state: Sender) => {
      let batch: Record<string, unknown> | undefined;
      // Once told to stop, a sender still resends its last batch until it is acknowledged.
      while (!stopping || batch) {
        if (Date.now() > deadline) throw new Error(`a sender ran out of time (outage ${outage}, ${phase}):\n${nats.log().slice(-2_000)}`);
        batch ??= payload(Array.from({ length: EVENTS_PER_BATCH }, () => itemViewed()));
        const sentIn = phase;
        const sentInOutage = outage;
        let answer: HttpAnswer;
        try {
          answer = await postEvents(collector.url, collector.keys.web.key, batch);
        } catch (error) {
          state.unexpected.push(`no answer (outage ${sentInOutage}, ${sentIn}): ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        // Sent and answered while the server was gone: nothing of it could be written.
        if (sentIn === 'down' && phase === 'down') state.whileDown.push({ outage: sentInOutage, answer });
        if (answer.status === 200) {
          expect(answer.json).toEqual({ accepted: EVENTS_PER_BATCH, rejected: [] });
          state.acknowledged.push(...(batch['events'] as { event_id: string }[]).map((event) => event.event_id));
          if (sentIn === 'up') state.acknowledgedAfterOutage = sentInOutage;
          batch = undefined;
        } else if (answer.status === 503 && answer.json?.error === 'sink_unavailable') {
          // As a langpack does: wait as asked, then resend the same batch (same event_ids).
          await new Promise((resolve) => setTimeout(resolve, Number(answer.headers['retry-after'] ?? 1) * 1_000));
        } else {
          state.unexpected.push(`${answer.status} (outage ${sentInOutage}, ${sentIn}): ${answer.text.slice(0, 300)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const load = Promise.all(
      Array.from({ length: SENDERS }, () => {
        const state: Sender = { acknowledged: [], whileDown: [], acknowledgedAfterOutage: 0, unexpected: [] };
        senders.push(state);
        return sender(state);
      }),
    );
    // A sender that throws must fail the test with its own message, not a timeout of the waits below.
    let failure: unknown;
    load.catch((error: unknown) => (failure = error));
    const acknowledgedCount = () => senders.reduce((sum, state) => sum + state.acknowledged.length, 0);
    const waitFor = <T>(check: () => Promise<T> | T, what: string, timeoutMs?: number) =>
      eventually(async () => {
        if (failure) throw failure;
        return check();
      }, what, timeoutMs);

    try {
      while (outage < OUTAGES) {
        const target = acknowledgedCount() + LOAD_BATCHES * EVENTS_PER_BATCH;
        await waitFor(() => acknowledgedCount() >= target, `${LOAD_BATCHES} more acknowledged batches before outage ${outage + 1}`);
        outage += 1;
        await nats.stop();
        phase = 'down';

        // Every sender hits the outage, resends as told, and is refused again rather than given a 2xx.
        await waitFor(() => senders.every((state) => state.whileDown.filter((entry) => entry.outage === outage).length >= 2), `every sender to be refused twice in outage ${outage}`);
        // Alive, but not ready: a load balancer stops sending here, and nothing restarts it.
        expect((await get('/healthz')).status).toBe(200);
        const readyz = await get('/readyz');
        expect(readyz.status).toBe(503);
        expect(readyz.json.sinks.nats).toMatch(/not connected to NATS/);

        phase = 'restarting';
        await nats.start();
        phase = 'up';
        // The same collector reconnects by itself, and every sender gets 200s again.
        await waitFor(() => senders.every((state) => state.acknowledgedAfterOutage === outage), `every sender to be acknowledged after outage ${outage}`, 20_000);
        await waitFor(async () => (await get('/readyz')).status === 200, `the collector to be ready after outage ${outage}`);
      }
    } finally {
      stopping = true;
      await load;
    }

    expect(senders.flatMap((state) => state.unexpected)).toEqual([]);
    const whileDown = senders.flatMap((state) => state.whileDown.map(({ answer }) => answer));
    // Not one 2xx in any outage, to the very end of it: always 503, come back in a second.
    expect(whileDown.filter((answer) => answer.status !== 503 || answer.headers['retry-after'] !== String(RETRY_AFTER_SECONDS) || answer.json.error !== 'sink_unavailable')).toEqual([]);
    expect(whileDown.filter((answer) => !/^nothing was acknowledged: sink nats: /.test(answer.json.message))).toEqual([]);
    expect(collector.running.server.listening).toBe(true);
    expect((await get('/metrics')).text).toMatch(/tagplan_collector_sink_write_duration_seconds_count\{sink="nats",outcome="error"\} [1-9]/);

    // Read back on a connection of its own: every acknowledged event is there, once, and
    // nothing else (every batch was resent until it was acknowledged).
    const messages = await readStream(nats.url, STREAM);
    expect(messages.filter((message) => message.msgId !== message.json.event_id || message.subject !== 'outage.web-frontend.item_viewed.v1')).toEqual([]);
    const stored = messages.map((message) => message.json.event_id as string);
    const acknowledged = senders.flatMap((state) => state.acknowledged);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    const copies = new Map<string, number>();
    for (const id of stored) copies.set(id, (copies.get(id) ?? 0) + 1);
    expect(acknowledged.filter((id) => !copies.has(id))).toEqual([]);
    expect([...copies].filter(([, count]) => count > 1)).toEqual([]);
    expect(stored.slice().sort()).toEqual(acknowledged.slice().sort());
  }, 90_000);
});
