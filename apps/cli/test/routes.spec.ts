import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { writeKeyDigest } from '@tagplan/collector';
import { startTestRegistry } from '../../registry/test/support/test-registry';
import { cliFor, jsonOf, tempFolder } from './support/cli';

type Started = Awaited<ReturnType<typeof startTestRegistry>>;
type Folder = Awaited<ReturnType<typeof tempFolder>>;

/** Routes in catalog files (DESIGN §4, §7): `tagplan apply` sets them, `tagplan export` writes them back. */
describe('routes with tagplan apply and export', () => {
  let registry: Started;
  let folder: Folder;
  let tagplan: ReturnType<typeof cliFor>;
  let base: Record<string, any>;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode: 'embedded' });
    tagplan = cliFor(registry, registry.adminToken);
    folder = await tempFolder('tagplan-cli-routes-');
    base = parse(await readFile(path.join(__dirname, 'fixtures', 'catalog.yaml'), 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
    await folder?.remove();
  }, 60_000);

  const routingVersions = async () => (await registry.sql(`SELECT version FROM routing_versions ORDER BY version`)).map((row) => row['version']);

  test('a routes: section written in YAML, "*" included, becomes routing version 1 with the catalog', async () => {
    const text = `${await readFile(path.join(__dirname, 'fixtures', 'catalog.yaml'), 'utf8')}routes:\n  web-frontend:\n    '*': [file]\n    item_viewed: [file, nats]\n`;
    const file = await folder.write('with-routes.yaml', text);
    const dry = await tagplan(['apply', '--dry-run', file]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('  + routing@1 (new)');
    expect(dry.stdout).toContain('Dry run: 7 version(s) and routing version 1 would be created; nothing was written.');
    expect(await routingVersions()).toEqual([]);
    const applied = await tagplan(['apply', file]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Created 7 version(s) and routing version 1.');
    expect((await registry.call('GET', '/api/routes')).body.routes).toEqual([
      { environment: 'web-frontend', event: '*', sinks: ['file'] },
      { environment: 'web-frontend', event: 'item_viewed', sinks: ['file', 'nats'] },
    ]);
  }, 60_000);

  test('changed routes alone make the next routing version, with the changes listed', async () => {
    const file = await folder.write('changed.yaml', stringify({ ...base, message: 'Item views to NATS only', routes: { 'web-frontend': { '*': ['file'], item_viewed: ['nats'] } } }));
    const applied = await tagplan(['apply', file]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe(['  ~ routing@2', '      replace /routes/web-frontend/item_viewed: ["file","nats"] -> ["nats"]', 'Created routing version 2.', ''].join('\n'));
    const json = jsonOf(await tagplan(['--json', 'apply', '--dry-run', file]));
    expect(json).toEqual({ dry_run: true, message: 'Item views to NATS only', versions: [] });
  }, 60_000);

  test('export writes the routes, and applying the export changes nothing', async () => {
    const out = path.join(folder.path, 'exported.yaml');
    const exported = await tagplan(['export', '-o', out]);
    expect(exported.code).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(parse(text).routes).toEqual({ 'web-frontend': { '*': ['file'], item_viewed: ['nats'] } });
    const again = await tagplan(['apply', out]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`Nothing to do: the registry already matches ${out}.\n`);
    expect(await routingVersions()).toEqual([1, 2]);
  }, 60_000);

  test('routes naming what is not in the catalog are refused with their place in the file', async () => {
    const file = await folder.write('unknown.yaml', stringify({ ...base, routes: { 'web-frontend': { cart_opened: ['file'] }, 'android-app': { '*': ['file'] } } }));
    const result = await tagplan(['apply', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('/routes/web-frontend/cart_opened: there is no event named cart_opened');
    expect(result.stderr).toContain('/routes/android-app: there is no environment named android-app');
    expect(await routingVersions()).toEqual([1, 2]);
  }, 60_000);

  test('export --snapshot carries the routes; export --collector the keys as digests, and needs a token', async () => {
    const snapshot = jsonOf(await tagplan(['export', '--snapshot']));
    expect(snapshot.routes).toEqual([
      { environment: 'web-frontend', event: '*', sinks: ['file'] },
      { environment: 'web-frontend', event: 'item_viewed', sinks: ['nats'] },
    ]);
    const key = jsonOf(await tagplan(['--json', 'keys', 'create', '--env', 'web-frontend']));
    const collector = jsonOf(await tagplan(['export', '--collector']));
    expect(collector).toMatchObject({ format: 'tagplan-collector-catalog/1', routes: snapshot.routes, write_keys: [{ id: key.id, environment: 'web-frontend', ...writeKeyDigest(key.key), revoked: false }] });
    expect(collector.versions).toEqual(snapshot.versions);
    const anonymous = await cliFor(registry, undefined)(['export', '--collector']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('credentials are required');
    const both = await tagplan(['export', '--collector', '--snapshot']);
    expect(both.code).toBe(2);
  }, 60_000);
});
