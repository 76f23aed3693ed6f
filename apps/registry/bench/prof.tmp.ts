/**
 * The registry benchmark of issue 2 (`npm run bench:registry`): prints figures, asserts
 * nothing. It starts the real registry (NestJS + TypeORM) on a fresh embedded PostgreSQL
 * in a temporary folder — or on the PostgreSQL server named by DATABASE_URL, which must
 * hold an empty database — loads a large catalog through the API, then measures:
 *
 *   - GET /api/environments/{env}/versions/{v}/schemas: the first (uncached) request of
 *     each of the 50 environment versions, then the steady state of one;
 *   - POST /api/events/{name}/versions: a new version each time;
 *   - GET /api/changelog: the first page (default limit 50);
 *   - `tagplan apply` of a 1,000-event catalog file that changes 10% of its events, run as
 *     the real CLI (wall clock, node start-up included), and the same kind of apply as one
 *     HTTP request.
 *
 * Requests are sequential, over loopback, on one keep-alive connection (node:http), so
 * the figures are latencies, not throughput. Progress goes to stderr; the table and one
 * `BENCH_JSON {...}` line go to stdout.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { stringify } from 'yaml';
import { loadRegistryConfig, startRegistry, type RunningRegistry } from '@tagplan/registry';

// ---------------------------------------------------------------------------------------
// The data set (issue 2): 2,000 fields, 5,000 events of 3 versions, 50 environments of 100.

const FIELD_COUNT = 2000;
const EVENT_COUNT = 5000;
const EVENT_VERSIONS = 3;
const ENVIRONMENT_COUNT = 50;
const EVENTS_PER_ENVIRONMENT = 100;
const EVENT_CHUNK = 500;
const ENVIRONMENT_CHUNK = 10;
/** Fields every environment adds to its events; no event carries them itself. */
const COMMON_FIELDS = ['session_id', 'app_version', 'device_id'] as const;

/** The apply file: events 1000..1999 (environments app-10..app-19), 10% of them changed. */
const APPLY_FIRST_EVENT = 1000;
const APPLY_EVENT_COUNT = 1000;
const APPLY_CHANGED_EVERY = 10;
const APPLY_RUNS = 3;

const SCHEMA_SAMPLES = 1000;
const POST_SAMPLES = 500;
const CHANGELOG_SAMPLES = 300;
/** New versions for the POST benchmark go to events the apply file does not contain. */
const POST_FIRST_EVENT = 4000;

const TARGETS = { schemasP99Ms: 20, newVersionP99Ms: 30, applySeconds: 5 };

type FieldSpec = Record<string, unknown> & { type: string; description: string };
interface EventSpec {
  owner: string;
  description: string;
  /** field name -> required */
  fields: Map<string, boolean>;
}
interface EnvironmentSpec {
  owner: string;
  description: string;
  events: string[];
}

const fieldName = (index: number) => `field_${String(index).padStart(4, '0')}`;
const eventName = (index: number) => `event_${String(index).padStart(4, '0')}`;
const environmentName = (index: number) => `app-${String(index).padStart(2, '0')}`;
const GENERIC_FIELDS = FIELD_COUNT - COMMON_FIELDS.length;

function fieldSpec(index: number): FieldSpec {
  const description = `Generated field ${index} of the benchmark catalog`;
  switch (index % 6) {
    case 0:
      return { type: 'string', maxLength: 256, description };
    case 1:
      return { type: 'integer', minimum: 0, description };
    case 2:
      return { type: 'number', minimum: -1000, maximum: 1000, description };
    case 3:
      return { type: 'boolean', description };
    case 4:
      return { type: 'string', enum: ['alpha', 'beta', 'gamma', 'delta'], description };
    default:
      return { type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 10, description };
  }
}

function initialEvent(index: number): EventSpec {
  const fields = new Map<string, boolean>();
  const count = 6 + (index % 7); // 6 to 12 fields, 3 of them required
  for (let k = 0; fields.size < count; k += 1) {
    const name = fieldName((index * 31 + k * 97 + k * k) % GENERIC_FIELDS);
    if (!fields.has(name)) fields.set(name, fields.size < 3);
  }
  return { owner: `team-${index % 25}`, description: eventDescription(index, 1), fields };
}

function eventDescription(index: number, revision: number): string {
  return `Benchmark event ${index}: something a user did (revision ${revision})`;
}

function environmentSpec(index: number): EnvironmentSpec {
  const events: string[] = [];
  for (let k = 0; k < EVENTS_PER_ENVIRONMENT; k += 1) events.push(eventName((index * EVENTS_PER_ENVIRONMENT + k) % EVENT_COUNT));
  return { owner: `team-${index % 25}`, description: `Benchmark app ${index}`, events };
}

const commonFieldRefs = (): Record<string, string> => ({ session_id: 'required', app_version: 'optional', device_id: 'optional' });

function eventText(spec: EventSpec): Record<string, unknown> {
  const fields: Record<string, string> = {};
  for (const [name, required] of spec.fields) fields[name] = required ? 'required' : 'optional';
  return { owner: spec.owner, description: spec.description, fields };
}

function environmentText(spec: EnvironmentSpec): Record<string, unknown> {
  return { owner: spec.owner, description: spec.description, common_fields: commonFieldRefs(), events: spec.events };
}

// ---------------------------------------------------------------------------------------
// HTTP: one keep-alive connection, sequential requests.

interface Answer {
  status: number;
  text: string;
}

class Http {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly base: URL;

  constructor(
    url: string,
    private readonly token: string,
  ) {
    this.base = new URL(url);
  }

  request(method: 'GET' | 'POST', route: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: this.base.hostname, port: this.base.port, method, path: route, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** The request, failing unless the status is the expected one. */
  async expect(status: number, method: 'GET' | 'POST', route: string, body?: unknown): Promise<string> {
    const answer = await this.request(method, route, body);
    if (answer.status !== status) throw new Error(`${method} ${route}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 1000)}`);
    return answer.text;
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------
// Statistics.

interface Stats {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    n: sorted.length,
    min: round(sorted[0] ?? NaN),
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length)),
  };
}

async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await action();
  return { ms: performance.now() - start, value };
}

async function sample(count: number, warmUp: number, run: (index: number, warm: boolean) => Promise<unknown>): Promise<number[]> {
  for (let index = 0; index < warmUp; index += 1) await run(index, true);
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) samples.push((await timed(() => run(index, false))).ms);
  return samples;
}

const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);

// ---------------------------------------------------------------------------------------

interface ApplyRun {
  via: 'cli' | 'http';
  seconds: number;
  created: number;
}

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'] || undefined;
  const mode = databaseUrl ? 'server (DATABASE_URL)' : 'embedded PostgreSQL (fresh temp dir)';
  const temp = '/tmp/tp-prof'; await (await import('node:fs/promises')).mkdir(temp, { recursive: true });
  await chmod(temp, 0o755); // PostgreSQL runs as 'postgres' when we are root
  const adminToken = 'bench-admin-token-fixed-123456';
  let registry: RunningRegistry | undefined;
  let client: Http | undefined;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    progress('interrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  };
  const cleanUp = async () => {
    client?.close();
    await registry?.close().catch((error: unknown) => progress(`closing the registry failed: ${String(error)}`));
    registry = undefined;
    void rm;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    progress(`starting the registry on ${mode}`);
    const config = loadRegistryConfig(
      { port: 0, dataDir: path.join(temp, 'data'), adminToken, seedDemo: false, openReads: true, ...(databaseUrl ? { databaseUrl } : {}) },
      {},
    );
    const started = await timed(() => startRegistry(config));
    registry = started.value;
    progress(`registry at ${registry.url} (${registry.database}) in ${(started.ms / 1000).toFixed(1)} s`);
    client = new Http(registry.url, adminToken);
    const api = client;

    const fieldsNow = JSON.parse(await api.expect(200, 'GET', '/api/fields?limit=1')) as { total: number };
    if (fieldsNow.total > 0) throw new Error('the database is not empty: point DATABASE_URL at an empty database (the benchmark creates thousands of versions)');
    const postgresVersion = await serverVersion(registry.databaseUrl);

    // ---- load ------------------------------------------------------------------------
    const loadStart = performance.now();
    const apply = async (catalog: Record<string, unknown>, message: string, dryRun = false) =>
      JSON.parse(await api.expect(200, 'POST', '/api/catalog/apply', { catalog, message, dry_run: dryRun })) as { versions: { kind: string; name: string; version: number }[] };

    const fields: Record<string, FieldSpec> = {};
    for (let index = 0; index < GENERIC_FIELDS; index += 1) fields[fieldName(index)] = fieldSpec(index);
    fields['session_id'] = { type: 'string', format: 'uuid', description: 'The session the event was sent in' };
    fields['app_version'] = { type: 'string', maxLength: 32, description: 'The version of the sending app' };
    fields['device_id'] = { type: 'string', maxLength: 64, description: 'A stable device identifier', pii: 'hash' };
    let step = await timed(() => apply({ fields }, 'Benchmark: fields'));
    progress(`loaded ${FIELD_COUNT} fields in ${(step.ms / 1000).toFixed(1)} s`);

    const events = new Map<string, EventSpec>();
    for (let index = 0; index < EVENT_COUNT; index += 1) events.set(eventName(index), initialEvent(index));
    let versionCount = FIELD_COUNT;
    for (let revision = 1; revision <= EVENT_VERSIONS; revision += 1) {
      const roundStart = performance.now();
      for (let first = 0; first < EVENT_COUNT; first += EVENT_CHUNK) {
        const chunk: Record<string, unknown> = {};
        for (let index = first; index < Math.min(EVENT_COUNT, first + EVENT_CHUNK); index += 1) {
          const spec = events.get(eventName(index)) as EventSpec;
          spec.description = eventDescription(index, revision);
          chunk[eventName(index)] = eventText(spec);
        }
        step = await timed(() => apply({ events: chunk }, `Benchmark: events, revision ${revision}`));
        const created = (step.value as { versions: unknown[] }).versions.length;
        if (created !== Object.keys(chunk).length) throw new Error(`expected ${Object.keys(chunk).length} new event versions, the apply created ${created}`);
        versionCount += created;
        progress(`events revision ${revision}: ${Math.min(EVENT_COUNT, first + EVENT_CHUNK)}/${EVENT_COUNT} (chunk of ${created} in ${(step.ms / 1000).toFixed(2)} s)`);
      }
      progress(`events revision ${revision} done in ${((performance.now() - roundStart) / 1000).toFixed(1)} s`);
    }

    const environments = new Map<string, EnvironmentSpec>();
    for (let index = 0; index < ENVIRONMENT_COUNT; index += 1) environments.set(environmentName(index), environmentSpec(index));
    for (let first = 0; first < ENVIRONMENT_COUNT; first += ENVIRONMENT_CHUNK) {
      const chunk: Record<string, unknown> = {};
      for (let index = first; index < Math.min(ENVIRONMENT_COUNT, first + ENVIRONMENT_CHUNK); index += 1) {
        chunk[environmentName(index)] = environmentText(environments.get(environmentName(index)) as EnvironmentSpec);
      }
      step = await timed(() => apply({ environments: chunk }, 'Benchmark: environments'));
      versionCount += Object.keys(chunk).length;
      progress(`environments: ${Math.min(ENVIRONMENT_COUNT, first + ENVIRONMENT_CHUNK)}/${ENVIRONMENT_COUNT} in ${(step.ms / 1000).toFixed(2)} s`);
    }
    const loadSeconds = (performance.now() - loadStart) / 1000;
    progress(`loaded ${versionCount} versions in ${loadSeconds.toFixed(1)} s`);

    // ---- warm-up of the HTTP stack (not of the measured routes' caches) -----------------
    for (let index = 0; index < 50; index += 1) {
      await api.expect(200, 'GET', '/api/health');
      await api.expect(200, 'GET', `/api/events/${eventName(index)}/versions/1`);
    }

    // ---- schemas: first (uncached) request of each environment version -----------------
    progress('measuring GET .../schemas');
    const schemasPath = (index: number) => `/api/environments/${environmentName(index)}/versions/1/schemas`;
    const firstRequests: number[] = [];
    let schemaBytes = 0;
    for (let index = 0; index < ENVIRONMENT_COUNT; index += 1) {
      const { ms, value } = await timed(() => api.expect(200, 'GET', schemasPath(index)));
      firstRequests.push(ms);
      if (index === 0) {
        schemaBytes = Buffer.byteLength(value);
        const parsed = JSON.parse(value) as { schemas: unknown[] };
        if (parsed.schemas.length !== EVENTS_PER_ENVIRONMENT) throw new Error(`expected ${EVENTS_PER_ENVIRONMENT} schemas, got ${parsed.schemas.length}`);
      }
    }
    const schemasFirst = stats(firstRequests);
    // ---- schemas: steady state of one environment version ------------------------------
    const schemasSteady = stats(await sample(SCHEMA_SAMPLES, 100, () => api.expect(200, 'GET', schemasPath(0))));

    // ---- POST a new event version ----------------------------------------------------
    progress('measuring POST /api/events/{name}/versions');
    let postCount = 0;
    const postVersion = async (index: number) => {
      const name = eventName(index);
      const spec = events.get(name) as EventSpec;
      postCount += 1;
      spec.description = `${eventDescription(index, EVENT_VERSIONS)} — benchmark edit ${postCount}`;
      const body = {
        owner: spec.owner,
        description: spec.description,
        fields: [...spec.fields].map(([field, required]) => ({ name: field, required })),
        message: `Benchmark: new version ${postCount}`,
      };
      return api.expect(201, 'POST', `/api/events/${name}/versions`, body);
    };
    const postWarmUp = 30;
    const postSamples = await sample(POST_SAMPLES, postWarmUp, (index, warm) =>
      postVersion(POST_FIRST_EVENT + ((warm ? index : postWarmUp + index) % (EVENT_COUNT - POST_FIRST_EVENT))),
    );
    const newVersion = stats(postSamples);

    // ---- changelog first page ----------------------------------------------------------
    progress('measuring GET /api/changelog');
    const firstPage = JSON.parse(await api.expect(200, 'GET', '/api/changelog')) as { entries: unknown[] };
    if (firstPage.entries.length !== 50) throw new Error(`expected a first page of 50 entries, got ${firstPage.entries.length}`);
    const changelogBytes = Buffer.byteLength(JSON.stringify(firstPage));
    const changelog = stats(await sample(CHANGELOG_SAMPLES, 30, () => api.expect(200, 'GET', '/api/changelog')));

    // ---- tagplan apply of a 1,000-event file changing 10% of its events -----------------
    progress('measuring tagplan apply');
    const applyEvents = Array.from({ length: APPLY_EVENT_COUNT }, (_, k) => eventName(APPLY_FIRST_EVENT + k));
    const applyEnvironments = [...environments.entries()].filter(([, spec]) => spec.events.some((event) => applyEvents.includes(event))).map(([name]) => name);
    const catalogFile = (label: string): Record<string, unknown> => {
      const fileFields: Record<string, FieldSpec> = {};
      const fileEvents: Record<string, unknown> = {};
      for (const name of applyEvents) {
        const spec = events.get(name) as EventSpec;
        fileEvents[name] = eventText(spec);
        for (const field of spec.fields.keys()) fileFields[field] = fields[field] as FieldSpec;
      }
      for (const field of COMMON_FIELDS) fileFields[field] = fields[field] as FieldSpec;
      const fileEnvironments: Record<string, unknown> = {};
      for (const name of applyEnvironments) fileEnvironments[name] = environmentText(environments.get(name) as EnvironmentSpec);
      return { message: `Benchmark apply: ${label}`, fields: fileFields, events: fileEvents, environments: fileEnvironments };
    };
    /** Changes 10% of the file's events: half get a new optional field, half a new description. */
    const change = (run: number) => {
      for (let k = run % APPLY_CHANGED_EVERY; k < APPLY_EVENT_COUNT; k += APPLY_CHANGED_EVERY) {
        const index = APPLY_FIRST_EVENT + k;
        const spec = events.get(eventName(index)) as EventSpec;
        if ((k / APPLY_CHANGED_EVERY) % 2 < 1) {
          let extra = (index * 7 + run * 13) % GENERIC_FIELDS;
          while (spec.fields.has(fieldName(extra))) extra = (extra + 1) % GENERIC_FIELDS;
          spec.fields.set(fieldName(extra), false);
        } else {
          spec.description = `${spec.description} (apply run ${run})`;
        }
      }
    };

    // The unchanged file must be a no-op: checks that the file matches the registry.
    const noop = await timed(() => apply(catalogFile('unchanged'), 'Benchmark apply: unchanged', true));
    if (noop.value.versions.length !== 0) throw new Error(`the unchanged apply file plans ${noop.value.versions.length} versions, expected none`);
    const fileStats = { fields: Object.keys(catalogFile('x')['fields'] as object).length, events: applyEvents.length, environments: applyEnvironments.length };
    const expectedVersions = APPLY_EVENT_COUNT / APPLY_CHANGED_EVERY + applyEnvironments.length;

    const startup = await timed(() => runCli(['--help']));
    const applyRuns: ApplyRun[] = [];
    for (let run = 0; run < APPLY_RUNS * 2; run += 1) {
      change(run);
      const catalog = catalogFile(`run ${run}`);
      const via = run % 2 === 0 ? 'cli' : 'http';
      let seconds: number;
      let created: number;
      if (via === 'cli') {
        const file = path.join(temp, `catalog-${run}.yaml`);
        await writeFile(file, stringify(catalog));
        const result = await timed(() => runCli(['apply', file, '--url', registry!.url, '--token', adminToken]));
        if (result.value.code !== 0) throw new Error(`tagplan apply failed (exit ${result.value.code}):\n${result.value.stderr}${result.value.stdout.slice(-2000)}`);
        const match = /Created (\d+) version/.exec(result.value.stdout);
        created = match ? Number(match[1]) : -1;
        seconds = result.ms / 1000;
      } else {
        const result = await timed(() => apply(catalog, `Benchmark apply: run ${run}`));
        created = result.value.versions.length;
        seconds = result.ms / 1000;
      }
      if (created !== expectedVersions) throw new Error(`apply run ${run} created ${created} versions, expected ${expectedVersions}`);
      applyRuns.push({ via, seconds, created });
      progress(`apply run ${run} via ${via}: ${created} versions in ${seconds.toFixed(2)} s`);
    }
    const cliSeconds = applyRuns.filter((run) => run.via === 'cli').map((run) => run.seconds);
    const httpSeconds = applyRuns.filter((run) => run.via === 'http').map((run) => run.seconds);

    // ---- report ----------------------------------------------------------------------
    const cpus = os.cpus();
    const machine = {
      cpus: cpus.length,
      cpu_model: cpus[0]?.model.trim() ?? 'unknown',
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      load_average: os.loadavg().map((value) => Math.round(value * 100) / 100),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      database: mode,
      postgres: postgresVersion,
    };
    const applyMax = Math.max(...cliSeconds);
    const verdict = (value: number, target: number) => (value < target ? 'PASS' : 'MISS');
    const ms = (value: number) => value.toFixed(2).padStart(8);
    const line = (label: string, s: Stats, target?: string) =>
      `${label.padEnd(46)}${String(s.n).padStart(5)}${ms(s.min)}${ms(s.p50)}${ms(s.p90)}${ms(s.p99)}${ms(s.max)}   ${target ?? ''}`;
    const out: string[] = [];
    out.push('');
    out.push('Tagplan registry benchmark');
    out.push(`machine   ${machine.cpus} cpus (${machine.cpu_model}), ${machine.memory_gb} GB, load ${machine.load_average.join(' ')}; node ${machine.node} ${machine.platform}`);
    out.push(`database  ${mode}; ${postgresVersion}`);
    out.push(`data      ${FIELD_COUNT} fields, ${EVENT_COUNT} events x ${EVENT_VERSIONS} versions, ${ENVIRONMENT_COUNT} environments x ${EVENTS_PER_ENVIRONMENT} events (${versionCount} versions)`);
    out.push(`load      ${loadSeconds.toFixed(1)} s through POST /api/catalog/apply (fields in 1 request, events in chunks of ${EVENT_CHUNK}, environments in chunks of ${ENVIRONMENT_CHUNK})`);
    out.push('');
    out.push(`${'latency (ms), sequential, keep-alive'.padEnd(46)}${'n'.padStart(5)}${'min'.padStart(8)}${'p50'.padStart(8)}${'p90'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}   target`);
    out.push(line('GET schemas, first request (50 env versions)', schemasFirst));
    out.push(line('GET schemas, steady state (app-00@1)', schemasSteady, `p99 < ${TARGETS.schemasP99Ms} ms: ${verdict(schemasSteady.p99, TARGETS.schemasP99Ms)}`));
    out.push(line('POST /api/events/{name}/versions', newVersion, `p99 < ${TARGETS.newVersionP99Ms} ms: ${verdict(newVersion.p99, TARGETS.newVersionP99Ms)}`));
    out.push(line('GET /api/changelog (first page, 50)', changelog, '(no target)'));
    out.push(`  response sizes: schemas ${(schemaBytes / 1024).toFixed(0)} KiB (100 events), changelog page ${(changelogBytes / 1024).toFixed(0)} KiB`);
    out.push('');
    out.push(`apply: file with ${fileStats.events} events (${APPLY_EVENT_COUNT / APPLY_CHANGED_EVERY} changed), ${fileStats.fields} fields, ${fileStats.environments} environments -> ${expectedVersions} new versions per run`);
    out.push(`  tagplan apply (CLI, wall clock)   ${cliSeconds.map((value) => `${value.toFixed(2)} s`).join(', ')}   max ${applyMax.toFixed(2)} s   target < ${TARGETS.applySeconds} s: ${verdict(applyMax, TARGETS.applySeconds)}`);
    out.push(`  POST /api/catalog/apply alone     ${httpSeconds.map((value) => `${value.toFixed(2)} s`).join(', ')}`);
    out.push(`  CLI start-up alone (tagplan --help) ${(startup.ms / 1000).toFixed(2)} s; dry run of the unchanged file ${(noop.ms / 1000).toFixed(2)} s`);
    out.push('');
    process.stdout.write(`${out.join('\n')}\n`);
    const json = {
      machine,
      data: { fields: FIELD_COUNT, events: EVENT_COUNT, event_versions: EVENT_VERSIONS, environments: ENVIRONMENT_COUNT, events_per_environment: EVENTS_PER_ENVIRONMENT, versions: versionCount },
      load_seconds: round3(loadSeconds),
      schemas_first_ms: schemasFirst,
      schemas_steady_ms: schemasSteady,
      new_version_ms: newVersion,
      changelog_ms: changelog,
      apply: { file: fileStats, versions_per_run: expectedVersions, cli_seconds: cliSeconds.map(round3), http_seconds: httpSeconds.map(round3), cli_startup_seconds: round3(startup.ms / 1000), dry_run_unchanged_seconds: round3(noop.ms / 1000) },
      targets: {
        schemas_p99_ms: { target: TARGETS.schemasP99Ms, value: schemasSteady.p99, pass: schemasSteady.p99 < TARGETS.schemasP99Ms },
        new_version_p99_ms: { target: TARGETS.newVersionP99Ms, value: newVersion.p99, pass: newVersion.p99 < TARGETS.newVersionP99Ms },
        apply_seconds: { target: TARGETS.applySeconds, value: round3(applyMax), pass: applyMax < TARGETS.applySeconds },
      },
    };
    process.stdout.write(`BENCH_JSON ${JSON.stringify(json)}\n`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (!interrupted) {
      progress('closing the registry and removing the temp dir');
      await cleanUp();
    }
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function serverVersion(url: string): Promise<string> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const rows = (await pg.query<{ server_version: string }>('SHOW server_version')).rows;
    return `PostgreSQL ${rows[0]?.server_version ?? '?'}`;
  } finally {
    await pg.end();
  }
}

/** Runs the real CLI (`node bin/tagplan ...`) from the repository root. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = '/work/main';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'tagplan'), ...args], {
      cwd: root,
      env: { ...process.env, TAGPLAN_URL: '', TAGPLAN_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }));
  });
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
