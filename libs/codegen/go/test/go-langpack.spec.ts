import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageNames } from '@tagplan/codegen-core';
import { goModuleZip, goProxyEntries } from '@tagplan/codegen-packaging';
import { CONFORMANCE_DIR, conformanceCatalog, conformanceVectors, demoCatalog, startSchemaCheckingCollector, toolchainTest } from '@tagplan/codegen-testing';
import { schemasFromCatalog } from '@tagplan/json-schema';
import { escapingCatalog, largeCatalog } from './catalogs';
import { consumerModule, expectSuccess, FIXTURES, generateModule, go, gofmt, temporaryDirectory, type GeneratedModule } from './go-toolchain';

/**
 * The generated Go langpacks in Go's own toolchain: gofmt, go vet, go test (with the race
 * detector on the client), a program that must not compile, the shared conformance
 * vectors, an end-to-end send to a schema-checking collector, the per-event benchmark and
 * an install through a GOPROXY=file:// layout. Everything runs offline in a temporary
 * folder; the consumer module reaches the langpacks through replace directives.
 */
describe('Go langpacks in the Go toolchain', () => {
  let root: string;
  let remove: () => Promise<void>;
  let consumer: string;
  const modules: Record<string, GeneratedModule> = {};
  const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  beforeAll(async () => {
    ({ dir: root, remove } = await temporaryDirectory('tagplan-go-'));
    const demo = demoCatalog();
    for (const environment of ['web-frontend', 'ios-app', 'backend-items']) modules[environment] = await generateModule(root, demo, environment);
    modules['conformance-env'] = await generateModule(root, conformanceCatalog(), 'conformance-env');
    modules['class-list'] = await generateModule(root, escapingCatalog(), 'class-list');
    // White-box tests of the runtime (format scanners, encoders, UUIDv7) beside the code.
    await cp(path.join(FIXTURES, 'langpack', 'internals_test.go'), path.join(modules['web-frontend']!.dir, 'internals_test.go'));
    consumer = path.join(root, 'consumer');
    await consumerModule(consumer, Object.values(modules), ['conformance', 'typedapi', 'client', 'e2e', 'bench']);
    await mkdir(path.join(consumer, 'testdata', 'compilefail'), { recursive: true });
    await cp(path.join(FIXTURES, 'compile-fail', 'main.go'), path.join(consumer, 'testdata', 'compilefail', 'main.go'));
    // Each demo README's usage example, as a program: it must compile as written.
    for (const environment of ['web-frontend', 'ios-app', 'backend-items']) {
      const readme = await readFile(path.join(modules[environment]!.dir, 'README.md'), 'utf8');
      const example = /```go\n([\s\S]*?)```/.exec(readme)?.[1];
      if (!example) throw new Error(`the ${environment} README has no Go example`);
      await mkdir(path.join(consumer, 'readme', modules[environment]!.packageName), { recursive: true });
      await writeFile(path.join(consumer, 'readme', modules[environment]!.packageName, 'main.go'), example);
    }
  }, 120_000);

  afterAll(async () => {
    await remove?.();
  });

  test('gofmt finds nothing to change in any langpack', async () => {
    const result = await gofmt(['-l', ...Object.values(modules).map((entry) => entry.dir)], root);
    expect(expectSuccess(result, 'gofmt -l')).toBe('');
  }, 120_000);

  test('go vet passes on every langpack (the demo, the conformance and the reserved-words one), the README examples and the tests', async () => {
    const packages = Object.values(modules).map((entry) => entry.module);
    expectSuccess(await go(['vet', ...packages, './...'], consumer), 'go vet');
  }, 600_000);

  test('a langpack of 1,000 events of 10 fields is gofmt-clean and passes go vet', async () => {
    const large = await generateModule(path.join(root, 'large'), largeCatalog(1000, 10), 'bench-env');
    expect(expectSuccess(await gofmt(['-l', '.'], large.dir), 'gofmt -l')).toBe('');
    expectSuccess(await go(['vet', './...'], large.dir), 'go vet');
  }, 600_000);

  test('leaving out a required constructor argument does not compile', async () => {
    const result = await go(['build', './testdata/compilefail'], consumer);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('not enough arguments in call to webfrontend.NewItemViewed');
    expect(result.stderr).toMatch(/want \(int64, string, string, string\)/);
  }, 300_000);

  test('the conformance vectors: Validate gives ajv’s verdict on every case, with json.Number and with float64', async () => {
    const vectors = conformanceVectors();
    const output = expectSuccess(await go(['run', './conformance', path.join(CONFORMANCE_DIR, 'vectors.json')], consumer), 'the conformance driver');
    const verdicts = JSON.parse(output) as { name: string; decoder: string; valid: boolean; errors: { field: string; rule: string }[] }[];
    expect(verdicts).toHaveLength(vectors.cases.length * 2);
    const key = (errors: { field: string; rule: string }[]) => [...new Set(errors.map((error) => `${error.field}:${error.rule}`))].sort();
    const disagreements = verdicts.flatMap((verdict) => {
      const expected = vectors.cases.find((entry) => entry.name === verdict.name);
      if (!expected) return [`${verdict.name}: not a vector`];
      const same = verdict.valid === expected.valid && JSON.stringify(key(verdict.errors)) === JSON.stringify(key(expected.errors ?? []));
      return same ? [] : [`${verdict.name} (${verdict.decoder}): got ${JSON.stringify(verdict)}, want ${JSON.stringify(expected)}`];
    });
    expect(disagreements).toEqual([]);
  }, 300_000);

  test('the typed API: required fields, rules, typed errors, NaN and infinities, enums, the wire data (go test)', async () => {
    expectSuccess(await go(['test', '-count=1', './typedapi'], consumer), 'go test ./typedapi');
  }, 300_000);

  test('the runtime: format scanners equal the JSON Schema regexes, encoders equal encoding/json, UUIDv7 (go test)', async () => {
    expectSuccess(await go(['test', '-count=1', '.'], modules['web-frontend']!.dir), 'go test in the langpack');
  }, 300_000);

  test('the client against httptest: batches by count and time, gzip, retries, 4xx, overflow, flush and close (go test)', async () => {
    expectSuccess(await go(['test', '-count=1', '-v', './client'], consumer), 'go test ./client');
  }, 300_000);

  // The race detector needs cgo, so a C compiler; without one the test says so and is skipped.
  toolchainTest(hasCCompiler(), 'no C compiler for the Go race detector')('the client under the race detector (go test -race)', async () => {
    expectSuccess(await go(['test', '-race', '-count=1', './client'], consumer, { CGO_ENABLED: '1' }), 'go test -race ./client');
  }, 900_000);

  test('end to end: the real client sends batches that the schema-checking collector accepts', async () => {
    const { model } = modules['web-frontend']!;
    const collector = await startSchemaCheckingCollector(schemasFromCatalog(demoCatalog(), 'web-frontend'), 'e2e-write-key');
    try {
      collector.failNext(1, 503);
      const started = Date.now();
      const output = expectSuccess(await go(['run', './e2e'], consumer, { COLLECTOR_URL: collector.url, TAGPLAN_WRITE_KEY: 'e2e-write-key' }), 'the e2e program');
      expect(JSON.parse(output)).toEqual({ sent: 5, failed: 0, dropped: 0, errors: [] });
      expect(collector.batches.map((batch) => batch.body.events.length)).toEqual([4, 1]);
      const ids = new Set<string>();
      for (const batch of collector.batches) {
        expect(batch.headers['content-encoding']).toBe('gzip');
        expect(batch.headers['content-type']).toBe('application/json');
        expect(batch.headers['authorization']).toBe('Bearer e2e-write-key');
        expect(batch.body.payload_version).toBe(1);
        expect(batch.body.sent_ts).toBeGreaterThanOrEqual(started);
        expect(batch.verdicts.filter((verdict) => !verdict.valid)).toEqual([]);
        for (const event of batch.body.events) {
          expect(String(event['event_id'])).toMatch(UUID_V7);
          ids.add(String(event['event_id']));
          expect(event['created_ts']).toEqual(expect.any(Number));
          expect(event['created_ts'] as number).toBeGreaterThanOrEqual(started);
          expect(event['created_ts'] as number).toBeLessThanOrEqual(batch.body.sent_ts);
          expect(event['stack_ctx']).toEqual({ langpack: 'go', langpack_version: model.packageVersion });
          const version = model.events.find((entry) => entry.name === event['event_name'])?.version;
          expect(event['event_version']).toBe(version);
        }
      }
      expect(ids.size).toBe(5);
      const itemViewed = collector.batches[0]?.body.events.find((event) => event['event_name'] === 'item_viewed');
      expect(itemViewed?.['data']).toEqual({
        item_id: 1001,
        source: 'search',
        item_category: 'sports_leisure',
        item_price: 12.5,
        currency: 'EUR',
        discount_ratio: 0.2,
        item_listed_at: '2016-12-31T23:59:60Z',
        session_id: '3f0c8f8e-4a57-4d0e-9b7a-2b1f6c1d9e10',
        anonymous_id: '9b2d7c34-0f6e-4c1a-8e55-7a3b1d2c4f60',
        app_version: '4.1.0',
        user_id: 'u-42',
        locale: 'pt-BR',
        viewport_width: 1440,
      });
      const search = collector.batches[0]?.body.events.find((event) => event['event_name'] === 'search_performed');
      expect((search?.['data'] as Record<string, unknown>)['search_query']).toBe('vintage road bike 🚲');
    } finally {
      await collector.close();
    }
  }, 300_000);

  test('benchmark: build + validate + enqueue per event (printed, not asserted)', async () => {
    const output = expectSuccess(await go(['test', '-run', '^$', '-bench', '.', '-benchmem', '-benchtime', '200000x', './bench'], consumer), 'go test -bench');
    const lines = output.split('\n').filter((line) => line.startsWith('Benchmark'));
    console.log(`Go langpack per-event cost (${lines.length} benchmarks):\n${lines.join('\n')}`);
    expect(lines.some((line) => /BuildValidateEnqueue.*ns\/op.*allocs\/op/.test(line))).toBe(true);
  }, 300_000);

  test('installs with go get from a GOPROXY=file:// layout of the module zip', async () => {
    const { files, model } = modules['web-frontend']!;
    const { goModule } = packageNames('web-frontend');
    const version = `v${model.packageVersion}`;
    const proxy = path.join(root, 'proxy');
    const goMod = files.find((entry) => entry.path === 'go.mod')?.content as string;
    for (const entry of goProxyEntries(goModule, version, goMod, await goModuleZip(files, goModule, version))) {
      await mkdir(path.dirname(path.join(proxy, entry.path)), { recursive: true });
      await writeFile(path.join(proxy, entry.path), entry.content);
    }
    const project = path.join(root, 'install');
    await mkdir(project, { recursive: true });
    await writeFile(path.join(project, 'go.mod'), 'module tagplan.test/install\n\ngo 1.21\n');
    await cp(path.join(consumer, 'readme', 'webfrontend', 'main.go'), path.join(project, 'main.go'));
    const env = { GOPROXY: `file://${proxy}`, GOSUMDB: 'off', GOMODCACHE: path.join(root, 'modcache'), GOFLAGS: '-mod=mod -modcacherw' };
    expectSuccess(await go(['get', `${goModule}@${version}`], project, env), 'go get');
    expectSuccess(await go(['build', '-o', path.join(root, 'install-bin'), '.'], project, env), 'go build');
    expect(await readFile(path.join(project, 'go.sum'), 'utf8')).toContain(`${goModule} ${version} h1:`);
  }, 300_000);
});

function hasCCompiler(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$(go env CC)"'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
