import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { generateWriteKey } from '@tagplan/collector';
import { freePort, startNatsServer } from '../../../libs/sinks/test/support/nats-server';
import { BatchFactory, demoDocument, EVENTS_PER_BATCH, eventTemplates, syntheticDocument } from './bench-payloads';

/**
 * `npm run bench:collector` (issue 4): what one collector process on one core validates,
 * enriches and writes with fsync, against what this machine can parse and validate at all.
 *
 * The collector runs as it does in production (apps/collector/src/main.ts, configured by
 * the environment, the demo catalog from a file) pinned to core 0; this process is the
 * load generator, pinned to core 1, sending batches of 100 events of about 400 bytes over
 * loopback from CONCURRENCY keep-alive connections. Each event has a fresh event_id. In
 * the same run, on core 0 too: the ceiling (JSON.parse + the same ajv validators over the
 * same bodies, ceiling.ts), the naive server the issue compares with (naive-server.ts), the
 * NATS sink (nats-server on core 1) and the start-up with 1,000 event types (startup.ts).
 *
 * Prints figures and the targets; `--json` prints them as JSON. Not a test: absolute
 * rates drift on shared machines, the ratios of one run hold. BENCH_SECONDS sets the length
 * of each measured phase (default 8), BENCH_CONCURRENCY the connections (default 16), and
 * BENCH_COLLECTOR_NODE_ARGS extra node arguments of the collector (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const WARM_UP_SECONDS = 3;
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const STARTUP_EVENT_TYPES = 1000;
const COLLECTOR_CORE = 0;
const LOAD_CORE = 1;
const ROOT = path.resolve(__dirname, '../../..');
const PII_SECRET = 'bench-pii-secret-0123456789';
const json = process.argv.includes('--json');

interface Figures {
  [name: string]: number | string | boolean;
}

const pinning = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;

function progress(message: string): void {
  process.stderr.write(`[bench:collector] ${message}\n`);
}

/** `node -r tools/register.js <script>`, on the collector's core when the machine has two. */
function nodeCommand(script: string, args: string[], nodeArgs: string[] = []): [string, string[]] {
  const command = [process.execPath, ...nodeArgs, '-r', path.join(ROOT, 'tools/register.js'), path.join(ROOT, script), ...args];
  return pinning ? ['taskset', ['-c', String(COLLECTOR_CORE), ...command]] : [command[0] as string, command.slice(1)];
}

/** Runs a helper script to its end and returns the JSON of its last line. */
async function runJson(script: string, args: string[]): Promise<Record<string, number>> {
  const [command, commandArgs] = nodeCommand(script, args);
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, number>;
}

interface CollectorProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startCollectorProcess(env: Record<string, string>, script = 'apps/collector/src/main.ts'): Promise<CollectorProcess> {
  const port = await freePort();
  const nodeArgs = process.env['BENCH_COLLECTOR_NODE_ARGS']?.split(' ').filter((arg) => arg !== '') ?? [];
  const [command, args] = nodeCommand(script, [], nodeArgs);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, TAGPLAN_COLLECTOR_PORT: String(port), TAGPLAN_COLLECTOR_PII_SECRET: PII_SECRET, TAGPLAN_COLLECTOR_INSTANCE_ID: 'bench', TAGPLAN_COLLECTOR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the collector exited with ${child.exitCode} before it was ready`);
    const status = await fetch(`${url}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error('the collector was not ready within 60 s');
    await sleep(100);
  }
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Sender {
  post(body: string): Promise<{ status: number; accepted: number; rejected: number }>;
}

function sender(url: string, writeKey: string, sockets: number): Sender {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const target = new URL('/v1/events', url);
  return {
    post: (body) =>
      new Promise((resolve, reject) => {
        const outgoing = request(
          target,
          { method: 'POST', agent, headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              const status = response.statusCode ?? 0;
              if (status !== 200) return resolve({ status, accepted: 0, rejected: 0 });
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { accepted: number; rejected: unknown[] };
              resolve({ status, accepted: answer.accepted, rejected: answer.rejected.length });
            });
            response.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      }),
  };
}

interface Tally {
  accepted: number;
  rejected: number;
  failed: number;
}

/** CONCURRENCY senders, each posting its next batch when the previous is answered; events/s over the measured seconds. */
async function sustained(client: Sender, factory: BatchFactory, tally: Tally): Promise<{ eventsPerSecond: number; requests: number }> {
  let measuring = false;
  let events = 0;
  let requests = 0;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const answer = await client.post(factory.body());
      tally.accepted += answer.accepted;
      tally.rejected += answer.rejected;
      if (answer.status !== 200) {
        tally.failed++;
        continue;
      }
      if (measuring) {
        events += answer.accepted + answer.rejected;
        requests++;
      }
    }
  };
  const loops = Array.from({ length: CONCURRENCY }, loop);
  await sleep(WARM_UP_SECONDS * 1000);
  measuring = true;
  const started = performance.now();
  await sleep(SECONDS * 1000);
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(loops);
  return { eventsPerSecond: events / seconds, requests };
}

/**
 * Batches sent on a fixed schedule (not when the previous answer came: a slow answer must
 * not slow the load), latency measured from the time each batch was due, after the same
 * warm-up as the sustained phases.
 */
async function paced(client: Sender, factory: BatchFactory, eventsPerSecond: number, tally: Tally): Promise<{ p50: number; p99: number; max: number; sentPerSecond: number }> {
  const interval = (EVENTS_PER_BATCH / eventsPerSecond) * 1000;
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const measureFrom = performance.now() + WARM_UP_SECONDS * 1000;
  const end = measureFrom + SECONDS * 1000;
  let next = performance.now();
  let sent = 0;
  while (next < end) {
    const now = performance.now();
    while (next <= now && next < end) {
      const due = next;
      next += interval;
      if (due >= measureFrom) sent++;
      const answer = client.post(factory.body()).then((result) => {
        tally.accepted += result.accepted;
        tally.rejected += result.rejected;
        if (result.status !== 200) tally.failed++;
        else if (due >= measureFrom) latencies.push(performance.now() - due);
      });
      inFlight.add(answer);
      void answer.finally(() => inFlight.delete(answer));
    }
    await sleep(Math.max(0, Math.min(1, next - performance.now())));
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, sentPerSecond: (sent * EVENTS_PER_BATCH) / SECONDS };
}

/** Lines under <dir>/<kind>: what the file sink wrote, to check against what was acknowledged. */
async function countLines(dir: string): Promise<number> {
  let lines = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
    for await (const chunk of createReadStream(path.join(entry.parentPath, entry.name))) {
      const buffer = chunk as Buffer;
      for (let at = buffer.indexOf(0x0a); at !== -1; at = buffer.indexOf(0x0a, at + 1)) lines++;
    }
  }
  return lines;
}

async function main(): Promise<void> {
  if (pinning) spawnSync('taskset', ['-a', '-p', '-c', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  else progress('one core or no taskset: the collector and the load generator share the machine; the ratios are less telling');
  const work = await mkdtemp(path.join(tmpdir(), 'tagplan-bench-collector-'));
  const figures: Figures = { cores_pinned: pinning, concurrency: CONCURRENCY, seconds_per_phase: SECONDS };
  try {
    const writeKey = generateWriteKey();
    const catalogFile = path.join(work, 'catalog.json');
    await writeFile(catalogFile, JSON.stringify(demoDocument(writeKey)));
    const templates = eventTemplates();
    const valid = new BatchFactory(templates);
    const tenPercentInvalid = new BatchFactory(templates, 10);
    figures['event_bytes'] = valid.eventBytes;

    // The ceiling is measured before and after the collector's phases and averaged: the
    // machine's speed drifts, and the ratio should compare like with like.
    const ceilingRun = async (when: string) => {
      progress(`ceiling (${when}): JSON.parse + ajv over the same bodies, ${SECONDS} s`);
      return (await runJson('apps/collector/bench/ceiling.ts', [String(SECONDS)]))['eventsPerSecond'] as number;
    };
    const ceilingBefore = await ceilingRun('before');

    // Each phase on a fresh collector and a fresh folder: gigabytes of files from the phase
    // before slow this VM's kernel down (system time doubles once a few GB are written, on
    // disk and on tmpfs alike), which would penalise whichever phase comes later.
    const totals: Tally = { accepted: 0, rejected: 0, failed: 0 };
    const filePhase = async <T>(name: string, run: (client: Sender, tally: Tally) => Promise<T>): Promise<T> => {
      progress(`collector with the file sink: ${name}`);
      const dataDir = path.join(work, 'file-sink');
      const tally: Tally = { accepted: 0, rejected: 0, failed: 0 };
      const collector = await startCollectorProcess({ TAGPLAN_COLLECTOR_CATALOG_FILE: catalogFile, TAGPLAN_COLLECTOR_DATA_DIR: dataDir });
      let result: T;
      try {
        result = await run(sender(collector.url, writeKey, CONCURRENCY), tally);
      } finally {
        await collector.stop();
      }
      const goodLines = await countLines(path.join(dataDir, 'events', 'good'));
      const badLines = await countLines(path.join(dataDir, 'events', 'bad'));
      if (goodLines !== tally.accepted || badLines !== tally.rejected) {
        throw new Error(`${name}: the file sink holds ${goodLines} records and ${badLines} bad rows, but ${tally.accepted} and ${tally.rejected} were acknowledged`);
      }
      totals.accepted += tally.accepted;
      totals.rejected += tally.rejected;
      totals.failed += tally.failed;
      await rm(dataDir, { recursive: true, force: true });
      return result;
    };
    const file = await filePhase(`sustained, all valid (${WARM_UP_SECONDS} s warm-up + ${SECONDS} s)`, (client, tally) => sustained(client, valid, tally));
    figures['file_events_per_s'] = Math.round(file.eventsPerSecond);
    const invalid = await filePhase('sustained, 10% invalid', (client, tally) => sustained(client, tenPercentInvalid, tally));
    figures['file_10pct_invalid_events_per_s'] = Math.round(invalid.eventsPerSecond);
    const half = await filePhase(`paced at half the all-valid rate (${Math.round(file.eventsPerSecond / 2)} events/s, ${WARM_UP_SECONDS} s warm-up + ${SECONDS} s)`, (client, tally) =>
      paced(client, valid, file.eventsPerSecond / 2, tally),
    );
    figures['half_load_events_per_s'] = Math.round(half.sentPerSecond);
    figures['half_load_p50_ms'] = round(half.p50);
    figures['half_load_p99_ms'] = round(half.p99);
    figures['half_load_max_ms'] = round(half.max);
    figures['file_acknowledged'] = totals.accepted + totals.rejected;
    figures['file_non_200'] = totals.failed;

    const ceilingAfter = await ceilingRun('after');
    figures['ceiling_before_events_per_s'] = Math.round(ceilingBefore);
    figures['ceiling_after_events_per_s'] = Math.round(ceilingAfter);
    figures['ceiling_events_per_s'] = Math.round((ceilingBefore + ceilingAfter) / 2);

    progress('the naive reference: node:http, parse, ajv, enrich, write + fdatasync per request');
    const naiveDir = path.join(work, 'naive');
    await mkdir(naiveDir);
    const naive = await startCollectorProcess({ TAGPLAN_COLLECTOR_DATA_DIR: naiveDir }, 'apps/collector/bench/naive-server.ts');
    try {
      const result = await sustained(sender(naive.url, writeKey, CONCURRENCY), valid, { accepted: 0, rejected: 0, failed: 0 });
      figures['naive_events_per_s'] = Math.round(result.eventsPerSecond);
    } finally {
      await naive.stop();
    }
    await rm(naiveDir, { recursive: true, force: true });

    progress('collector with the NATS JetStream sink (nats-server on the load generator core)');
    const nats = await startNatsServer();
    try {
      const natsTally: Tally = { accepted: 0, rejected: 0, failed: 0 };
      const collector = await startCollectorProcess({
        TAGPLAN_COLLECTOR_CATALOG_FILE: catalogFile,
        TAGPLAN_COLLECTOR_DATA_DIR: path.join(work, 'nats-collector'),
        TAGPLAN_COLLECTOR_SINKS: JSON.stringify([{ name: 'nats', type: 'nats', servers: nats.url }]),
      });
      try {
        const result = await sustained(sender(collector.url, writeKey, CONCURRENCY), valid, natsTally);
        figures['nats_events_per_s'] = Math.round(result.eventsPerSecond);
        figures['nats_non_200'] = natsTally.failed;
      } finally {
        await collector.stop();
      }
    } finally {
      await nats.destroy();
    }

    progress(`start-up with ${STARTUP_EVENT_TYPES} event types`);
    const synthetic = path.join(work, 'synthetic.json');
    await writeFile(synthetic, JSON.stringify(syntheticDocument(STARTUP_EVENT_TYPES, writeKey).document));
    figures['startup_collector_ms'] = round((await runJson('apps/collector/bench/startup.ts', ['collector', synthetic]))['ms'] as number);
    figures['startup_parse_ms'] = round((await runJson('apps/collector/bench/startup.ts', ['parse', synthetic]))['ms'] as number);
    figures['startup_ajv_compile_ms'] = round((await runJson('apps/collector/bench/startup.ts', ['ajv', String(STARTUP_EVENT_TYPES)]))['ms'] as number);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  report(figures);
}

function report(figures: Figures): void {
  const num = (name: string) => figures[name] as number;
  const ratio = num('file_events_per_s') / num('ceiling_events_per_s');
  const invalidRatio = num('file_10pct_invalid_events_per_s') / num('file_events_per_s');
  const natsRatio = num('nats_events_per_s') / num('file_events_per_s');
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const targets = {
    file_vs_ceiling: { value: round(ratio), target: '>= 0.40', pass: ratio >= 0.4 },
    invalid_vs_valid: { value: round(invalidRatio), target: '>= 0.90', pass: invalidRatio >= 0.9 },
    half_load_p99_ms: { value: num('half_load_p99_ms'), target: '< 50', pass: num('half_load_p99_ms') < 50 },
    startup_vs_ajv: { value: num('startup_collector_ms'), target: `< ${num('startup_ajv_compile_ms')}`, pass: num('startup_collector_ms') < num('startup_ajv_compile_ms') },
    nats_vs_file: { value: round(natsRatio), target: '>= 0.50', pass: natsRatio >= 0.5 },
  };
  if (json) {
    process.stdout.write(`${JSON.stringify({ figures, targets }, null, 2)}\n`);
    return;
  }
  const lines = [
    `collector benchmark: ${CONCURRENCY} connections, batches of ${EVENTS_PER_BATCH} events of ${num('event_bytes')} bytes, ${SECONDS} s per phase, ${pinning ? 'collector on core 0, load on core 1' : 'no core pinning'}`,
    `ceiling (JSON.parse + ajv, one core):      ${fmt(num('ceiling_events_per_s'))} events/s (before ${fmt(num('ceiling_before_events_per_s'))}, after ${fmt(num('ceiling_after_events_per_s'))})`,
    `file sink, fsync, all valid:               ${fmt(num('file_events_per_s'))} events/s = ${round(ratio)} of the ceiling   target >= 0.40: ${verdict(targets.file_vs_ceiling.pass)}`,
    `naive node:http server, fsync per request: ${fmt(num('naive_events_per_s'))} events/s = ${round(num('naive_events_per_s') / num('ceiling_events_per_s'))} of the ceiling (the collector: ${round(num('file_events_per_s') / num('naive_events_per_s'))}x)`,
    `file sink, 10% invalid:                    ${fmt(num('file_10pct_invalid_events_per_s'))} events/s = ${round(invalidRatio)} of all valid   target >= 0.90: ${verdict(targets.invalid_vs_valid.pass)}`,
    `ack latency at half load (${fmt(num('half_load_events_per_s'))} events/s): p50 ${num('half_load_p50_ms')} ms, p99 ${num('half_load_p99_ms')} ms, max ${num('half_load_max_ms')} ms   target p99 < 50 ms: ${verdict(targets.half_load_p99_ms.pass)}`,
    `NATS JetStream sink, all valid:            ${fmt(num('nats_events_per_s'))} events/s = ${round(natsRatio)} of the file sink   target >= 0.50: ${verdict(targets.nats_vs_file.pass)}`,
    `start-up, ${STARTUP_EVENT_TYPES} event types: ${num('startup_collector_ms')} ms (reading the document ${num('startup_parse_ms')} ms); ajv compiling their schemas: ${num('startup_ajv_compile_ms')} ms   target faster: ${verdict(targets.startup_vs_ajv.pass)}`,
    `durability check: every one of the ${fmt(num('file_acknowledged'))} events acknowledged is a line in the file sink; answers other than 200: file ${num('file_non_200')}, nats ${num('nats_non_200')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:collector failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
