import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildLangpackModel } from '@tagplan/codegen-core';
import { demoCatalog, startSchemaCheckingCollector } from '@tagplan/codegen-testing';
import { schemasFromCatalog } from '@tagplan/json-schema';
import { FIXTURES, installFromArtifact, removeDir, runOk, tempDir } from './php-toolchain';

/**
 * The generated PHP client over real HTTP: a local server in this process (node:http on
 * 127.0.0.1) and the PHP process talking to it, then end to end against the stand-in
 * collector that checks every event with ajv.
 */
jest.setTimeout(120_000);

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const WRITE_KEY = 'test-write-key';

interface Answer {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
}

interface Recorded {
  headers: IncomingHttpHeaders;
  gzipped: boolean;
  body: { payload_version: number; sent_ts: number; events: { event_id: string; event_name: string; data: Record<string, unknown> }[] };
}

/** Records every POST, answers from a script (200 once it runs out); GET /requests tells how many came. */
async function startRecordingServer() {
  const requests: Recorded[] = [];
  const answers: Answer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ requests: requests.length }));
        return;
      }
      const raw = Buffer.concat(chunks);
      const gzipped = request.headers['content-encoding'] === 'gzip';
      requests.push({ headers: request.headers, gzipped, body: JSON.parse((gzipped ? gunzipSync(raw) : raw).toString('utf8')) as Recorded['body'] });
      const answer = answers.shift() ?? { status: 200 };
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(JSON.stringify(answer.status < 300 ? { accepted: 1, rejected: [] } : { error: 'scripted' }));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    answer: (...next: Answer[]) => answers.push(...next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Server = Awaited<ReturnType<typeof startRecordingServer>>;

interface Report {
  errors: { kind: string; status: number | null; eventCount: number; attempts: number; message: string }[];
  tracked: boolean[];
  statsBeforeClose: Record<string, number>;
  probe: { requests: number } | null;
  stats: Record<string, number> | null;
}

let work: string;
let project: string;
let server: Server;

beforeAll(async () => {
  work = await tempDir('client');
  project = await installFromArtifact(work, buildLangpackModel(demoCatalog(), 'web-frontend'));
});

beforeEach(async () => {
  server = await startRecordingServer();
});

afterEach(() => server.close());

afterAll(() => removeDir(work));

/** Runs client-scenario.php; fast retries unless the test says otherwise. */
async function scenario(config: Record<string, unknown>, options: Record<string, unknown> = {}): Promise<Report> {
  const full = {
    autoload: path.join(project, 'vendor/autoload.php'),
    endpoint: server.url,
    writeKey: WRITE_KEY,
    events: 'clicks',
    count: 1,
    ...config,
    options: { retryBaseDelay: 0.01, retryMaxDelay: 0.05, ...options },
  };
  const { stdout } = await runOk('php', [path.join(FIXTURES, 'client-scenario.php'), JSON.stringify(full)]);
  return JSON.parse(stdout) as Report;
}

test('batches by count: track() sends each full batch, close() the rest, gzipped', async () => {
  const report = await scenario({ count: 12 }, { batchSize: 5, flushInterval: 60 });
  expect(report.statsBeforeClose).toMatchObject({ sent: 10, queued: 2 });
  expect(server.requests.map((request) => request.body.events.length)).toEqual([5, 5, 2]);
  for (const request of server.requests) {
    expect(request.gzipped).toBe(true);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['authorization']).toBe(`Bearer ${WRITE_KEY}`);
    expect(request.headers['user-agent']).toMatch(/^tagplan-php\/0\.1\.\d+ \(acme\/tagplan-web-frontend\)$/);
  }
  const items = server.requests.flatMap((request) => request.body.events.map((event) => event.data['item_id']));
  expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  expect(report.stats).toMatchObject({ sent: 12, queued: 0, failed: 0, rejected: 0 });
  expect(report.errors).toEqual([]);
});

test('batches by time: a track() after flushInterval sends what waited', async () => {
  const report = await scenario({ count: 3, sleepMs: 250 }, { batchSize: 100, flushInterval: 0.2 });
  // The second track() finds the first event 250 ms old and sends both; the third waits for close().
  expect(report.statsBeforeClose).toMatchObject({ sent: 2, queued: 1 });
  expect(server.requests.map((request) => request.body.events.length)).toEqual([2, 1]);
});

test('plain JSON when gzip is off', async () => {
  await scenario({ count: 2 }, { gzip: false });
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0]?.gzipped).toBe(false);
  expect(server.requests[0]?.headers['content-encoding']).toBeUndefined();
});

test('with deferSending, track() never reaches the network; close() sends everything', async () => {
  const report = await scenario({ count: 25, probe: `${server.url}/requests` }, { batchSize: 10, flushInterval: 0, deferSending: true });
  expect(report.probe).toEqual({ requests: 0 });
  expect(report.statsBeforeClose).toMatchObject({ queued: 25, sent: 0 });
  expect(server.requests.map((request) => request.body.events.length)).toEqual([10, 10, 5]);
});

test('retries 5xx and 429 with backoff, resending the same event ids', async () => {
  server.answer({ status: 503 }, { status: 500 }, { status: 429, headers: { 'retry-after': '0' } });
  const report = await scenario({ count: 2 });
  expect(server.requests).toHaveLength(4);
  const ids = server.requests.map((request) => request.body.events.map((event) => event.event_id).join(','));
  expect(new Set(ids).size).toBe(1);
  expect(report.stats).toMatchObject({ sent: 2, failed: 0 });
  expect(report.errors).toEqual([]);
});

test('does not retry a 4xx, which goes to the error callback', async () => {
  server.answer({ status: 400 });
  const report = await scenario({ count: 3 });
  expect(server.requests).toHaveLength(1);
  expect(report.errors).toEqual([expect.objectContaining({ kind: 'rejected', status: 400, eventCount: 3, attempts: 1 })]);
  expect(report.stats).toMatchObject({ sent: 0, rejected: 3 });
});

test('a wrong write key is a 401 from the collector, reported and not retried', async () => {
  const collector = await startSchemaCheckingCollector(schemasFromCatalog(demoCatalog(), 'web-frontend'), 'the-right-key');
  try {
    const report = await scenario({ endpoint: collector.url, count: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ kind: 'rejected', status: 401, eventCount: 1 })]);
    expect(collector.batches).toHaveLength(0);
  } finally {
    await collector.close();
  }
});

test('retries a refused connection, then gives the batch up and reports it', async () => {
  const closed = await startRecordingServer();
  await closed.close();
  const report = await scenario({ endpoint: closed.url, count: 2 }, { maxRetries: 3 });
  expect(report.errors).toEqual([expect.objectContaining({ kind: 'failed', status: null, eventCount: 2, attempts: 4 })]);
  expect(report.errors[0]?.message).toMatch(/given up after 4 attempts/);
  expect(report.stats).toMatchObject({ sent: 0, failed: 2 });
});

test('a response slower than the timeout is a network error, and retried', async () => {
  server.answer({ status: 200, delayMs: 1500 });
  const report = await scenario({ count: 1 }, { timeout: 0.3 });
  expect(server.requests.length).toBeGreaterThanOrEqual(2);
  expect(report.stats).toMatchObject({ sent: 1, failed: 0 });
});

test('a full queue drops the newest events, counts and reports them', async () => {
  const report = await scenario({ count: 8 }, { maxQueueSize: 5, deferSending: true });
  expect(report.tracked).toEqual([true, true, true, true, true, false, false, false]);
  expect(report.errors.map((error) => error.kind)).toEqual(['queue_full', 'queue_full', 'queue_full']);
  expect(report.stats).toMatchObject({ sent: 5, droppedQueueFull: 3 });
  expect(server.requests.map((request) => request.body.events.length)).toEqual([5]);
});

test('the queue is sent when the script ends without close()', async () => {
  const report = await scenario({ count: 4, close: false }, { deferSending: true });
  expect(report.stats).toBeNull();
  expect(server.requests.map((request) => request.body.events.length)).toEqual([4]);
});

describe('end to end against the schema-checking collector', () => {
  const model = buildLangpackModel(demoCatalog(), 'web-frontend');

  test('every event of the demo web-frontend langpack arrives valid, in the wire format', async () => {
    const collector = await startSchemaCheckingCollector(schemasFromCatalog(demoCatalog(), 'web-frontend'), WRITE_KEY);
    try {
      const before = Date.now();
      const report = await scenario({ endpoint: collector.url, events: 'every' });
      expect(report.errors).toEqual([]);
      expect(collector.batches).toHaveLength(1);
      const batch = collector.batches[0] as (typeof collector.batches)[number];
      expect(batch.headers['content-encoding']).toBe('gzip');
      expect(batch.body.payload_version).toBe(1);
      expect(batch.body.sent_ts).toBeGreaterThanOrEqual(before);
      expect(batch.verdicts).toHaveLength(model.events.length);
      expect(batch.verdicts.filter((verdict) => !verdict.valid)).toEqual([]);
      expect(new Set(batch.body.events.map((event) => event['event_name']))).toEqual(new Set(model.events.map((event) => event.name)));
      for (const event of batch.body.events) {
        expect(event['event_id']).toMatch(UUID_V7);
        expect(event['created_ts']).toEqual(expect.any(Number));
        expect(event['created_ts'] as number).toBeGreaterThanOrEqual(before);
        expect(event['created_ts'] as number).toBeLessThanOrEqual(batch.body.sent_ts);
        expect(event['event_version']).toBe(model.events.find((candidate) => candidate.name === event['event_name'])?.version);
        expect(event['stack_ctx']).toEqual({ langpack: 'php', langpack_version: model.packageVersion });
      }
      const search = batch.body.events.find((event) => event['event_name'] === 'search_performed');
      expect(search?.['data']).toMatchObject({ search_query: 'vélo de route 🚲', sort_order: 'price_low_to_high', top_result_ids: [7, 3, 9] });
    } finally {
      await collector.close();
    }
  });

  test("the README's example runs as written and its event is valid", async () => {
    const readme = await readFile(path.join(project, 'vendor/acme/tagplan-web-frontend/README.md'), 'utf8');
    const example = /## Track an event\n\n```php\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const collector = await startSchemaCheckingCollector(schemasFromCatalog(demoCatalog(), 'web-frontend'), WRITE_KEY);
    try {
      const script = path.join(project, 'readme-example.php');
      await writeFile(script, (example as string).replace('https://collector.example.com', collector.url));
      await runOk('php', [script], { cwd: project, env: { ...process.env, TAGPLAN_WRITE_KEY: WRITE_KEY } });
      expect(collector.batches).toHaveLength(1);
      expect(collector.batches[0]?.verdicts).toEqual([expect.objectContaining({ event_name: model.events[0]?.name, valid: true })]);
    } finally {
      await collector.close();
    }
  });
});

test('the per-event benchmark script runs (its figures are printed by the benchmark, not asserted)', async () => {
  const { stdout } = await runOk('php', [path.join(FIXTURES, 'bench.php'), path.join(project, 'vendor/autoload.php'), '2000']);
  const figures = JSON.parse(stdout) as Record<string, number>;
  expect(figures).toMatchObject({ events: 2000, queued: 2000 });
  expect(figures['ns_per_event_build_validate_enqueue']).toEqual(expect.any(Number));
});
