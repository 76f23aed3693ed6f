import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import type { EnrichedRecord, SinkBatch } from '@tagplan/collector';
import { NatsSink } from '../src';
import { startNatsServer, type TestNatsServer } from '../test/support/nats-server';

/**
 * The NATS JetStream sink's throughput against a real nats-server on loopback (issue 4):
 * records/s for batches of 100 events of about 400 bytes (enriched records of about 690), one writer and several
 * concurrent writers, each write awaiting every JetStream ack; beside it the same records
 * published one by one (await each ack) and raw nats.js publishes with no sink, so the
 * ratios show what pipelining per batch buys and what the sink costs. Prints figures; it is
 * not a test. Run: node -r ./tools/register.js libs/sinks/bench/nats-sink.bench.ts
 * Absolute rates drift on shared machines (and nats-server shares the 2 cores); ratios of
 * one run hold.
 */
const WIRE_EVENT_BYTES = 400;
const BATCH = 100;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);

/** An event as a langpack sends it (DESIGN §3), padded to about WIRE_EVENT_BYTES of JSON. */
function wireEvent() {
  const event = {
    event_id: randomUUID(),
    event_name: 'item_viewed',
    event_version: 2,
    created_ts: 1_763_870_399_001,
    data: { user_id: 'u-42', item_id: 1001, source: 'search', session_id: 's-7f3a9c', page_url: '' },
    stack_ctx: { langpack: 'go', langpack_version: '0.1.7' },
  };
  event.data.page_url = 'https://shop.example/items/1001?q=';
  event.data.page_url += 'q'.repeat(Math.max(0, WIRE_EVENT_BYTES - JSON.stringify(event).length));
  return event;
}

/** The enriched record the collector makes of it: what the sink publishes. */
function record(): EnrichedRecord {
  const event = wireEvent();
  return {
    ...event,
    environment: 'web-frontend',
    sent_ts: 1_763_870_400_123,
    received_ts: 1_763_870_400_200,
    ts: 1_763_870_399_078,
    data: { ...event.data, user_id: 'h:5f0c0ad4e1d3b6f1' },
    stack_ctx: { ...event.stack_ctx, collector_version: '0.1.0' },
    query_ctx: { user_agent: 'tagplan-go/0.1.7', ip_hash: '9c1185a5c5e9fc54', content_encoding: 'gzip', write_key_id: 'wk_01', request_id: 'r-1' },
  };
}

/** Built once: the timed loops only give each record a new event_id, so their CPU figure is the sink's. */
const TEMPLATE = record();

function batch(size = BATCH): SinkBatch {
  return { records: Array.from({ length: size }, () => ({ ...TEMPLATE, event_id: randomUUID() })), badRows: [] };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Figure {
  recordsPerSecond: number;
  /** CPU time of this process (the sink and the client, not nats-server) per record. */
  cpuMicrosPerRecord: number;
  p50Ms: number;
  p99Ms: number;
}

/** `writers` loops, each writing one batch after the other for SECONDS. */
async function measure(write: (b: SinkBatch) => Promise<void>, writers: number, size = BATCH): Promise<Figure> {
  const latencies: number[] = [];
  let records = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const end = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < end) {
        const next = batch(size);
        const t0 = performance.now();
        await write(next);
        latencies.push(performance.now() - t0);
        records += next.records.length;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return { recordsPerSecond: records / elapsed, cpuMicrosPerRecord: (used.user + used.system) / records, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

function line(label: string, figure: Figure, reference?: Figure): string {
  const ratio = reference ? `  (${(figure.recordsPerSecond / reference.recordsPerSecond).toFixed(2)}x the first line)` : '';
  return `${label.padEnd(58)} ${Math.round(figure.recordsPerSecond).toString().padStart(8)} records/s   ${figure.cpuMicrosPerRecord.toFixed(1).padStart(5)} µs CPU/record   write p50 ${figure.p50Ms.toFixed(1)} ms, p99 ${figure.p99Ms.toFixed(1)} ms${ratio}`;
}

async function main(): Promise<void> {
  const server: TestNatsServer = await startNatsServer();
  let counter = 0;
  const sinkOn = async () => {
    counter += 1;
    const sink = new NatsSink({ servers: server.url, stream: `BENCH${counter}`, subjectPrefix: `bench${counter}`, publishTimeoutMs: 30_000 });
    await sink.waitUntilReady(10_000);
    return sink;
  };
  try {
    console.log(`NATS sink benchmark: nats-server ${server.url}, JetStream file storage in ${server.storeDir}`);
    console.log(
      `events of ${JSON.stringify(wireEvent()).length} bytes on the wire, published as enriched records of ${JSON.stringify(record()).length} bytes of JSON; ${SECONDS} s per line, node ${process.version}\n`,
    );

    const warm = await sinkOn();
    await measure((b) => warm.write(b), 4, BATCH).catch(() => undefined);
    await warm.close();

    const one = await sinkOn();
    const sequential = await measure((b) => one.write(b), 1);
    console.log(line('sink.write, batches of 100, 1 writer', sequential));
    await one.close();

    for (const writers of [4, 16]) {
      const sink = await sinkOn();
      const figure = await measure((b) => sink.write(b), writers);
      console.log(line(`sink.write, batches of 100, ${writers} concurrent writers`, figure, sequential));
      await sink.close();
    }

    const single = await sinkOn();
    const perEvent = await measure((b) => single.write(b), 1, 1);
    console.log(line('sink.write, one record per write (await each ack)', perEvent, sequential));
    await single.close();

    // No sink: JSON.stringify + js.publish pipelined per batch, the client's own ceiling.
    const probe = await sinkOn();
    await probe.close();
    const nc = await connect({ servers: server.url });
    const js = nc.jetstream({ timeout: 30_000 });
    const raw = await measure(async (b) => {
      await Promise.all(b.records.map((r) => js.publish(`bench${counter}.web-frontend.item_viewed.v2`, JSON.stringify(r), { msgID: r.event_id })));
    }, 4);
    console.log(line('raw nats.js js.publish, batches of 100, 4 writers', raw, sequential));
    await nc.close();
  } finally {
    await server.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
