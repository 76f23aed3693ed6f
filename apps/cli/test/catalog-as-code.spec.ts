import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startTestRegistry } from '../../registry/test/support/test-registry';
import { cliFor, jsonOf, tempFolder } from './support/cli';

type Started = Awaited<ReturnType<typeof startTestRegistry>>;
type Folder = Awaited<ReturnType<typeof tempFolder>>;
type Catalog = Record<string, any>;

/** DESIGN §7: `tagplan apply`, `tagplan export` and `tagplan diff` against a real registry. */
describe('catalog as code: tagplan apply, export and diff', () => {
  let registry: Started;
  let folder: Folder;
  let tagplan: ReturnType<typeof cliFor>;
  let base: Catalog;
  let baseFile: string;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode: 'embedded' });
    tagplan = cliFor(registry, registry.adminToken);
    folder = await tempFolder('tagplan-cli-catalog-');
    base = parse(await readFile(path.join(__dirname, 'fixtures', 'catalog.yaml'), 'utf8')) as Catalog;
    baseFile = await folder.write('catalog.yaml', await readFile(path.join(__dirname, 'fixtures', 'catalog.yaml'), 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
    await folder?.remove();
  }, 60_000);

  /** Every version in the registry, as `kind:name@version`. */
  async function storedVersions(): Promise<string[]> {
    const response = await registry.call('GET', '/api/catalog/snapshot');
    expect(response.status).toBe(200);
    return (response.body.versions as { kind: string; name: string; version: number }[]).map((entry) => `${entry.kind}:${entry.name}@${entry.version}`).sort();
  }

  async function entity(kind: 'fields' | 'events' | 'environments', name: string): Promise<{ latest_version: number; versions: { version: number; body: any; message: string }[] }> {
    const response = await registry.call('GET', `/api/${kind}/${name}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  /** The base catalog with `change` applied to a deep copy, written to a file. */
  async function variant(name: string, change: (catalog: Catalog) => void): Promise<string> {
    const catalog = structuredClone(base);
    change(catalog);
    return folder.write(name, stringify(catalog));
  }

  const created = [
    'environment:web-frontend@1',
    'event:item_viewed@1',
    'field:item_id@1',
    'field:session_id@1',
    'field:source@1',
    'field:tags@1',
    'field:user_id@1',
  ];

  describe('apply', () => {
    test('--dry-run prints the plan and writes nothing', async () => {
      const result = await tagplan(['apply', '--dry-run', baseFile]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('+ field item_id@1 (new)');
      expect(result.stdout).toContain('+ event item_viewed@1 (new)');
      expect(result.stdout).toContain('+ environment web-frontend@1 (new)');
      expect(result.stdout).toContain('Dry run: 7 version(s) would be created; nothing was written.');
      expect(await storedVersions()).toEqual([]);
    }, 60_000);

    test('--dry-run --json gives the plan as JSON', async () => {
      const result = await tagplan(['--json', 'apply', '--dry-run', baseFile]);
      expect(result.code).toBe(0);
      const plan = jsonOf(result);
      expect(plan.dry_run).toBe(true);
      expect(plan.message).toBe('Add the item page events');
      expect(plan.versions.map((entry: any) => `${entry.kind}:${entry.name}@${entry.version}`).sort()).toEqual(created);
      const environment = plan.versions.find((entry: any) => entry.kind === 'environment');
      expect(environment.body).toEqual({
        owner: 'team-web',
        description: 'The public website',
        common_fields: [{ name: 'session_id', version: 1, required: true }],
        events: [{ name: 'item_viewed', version: 1 }],
      });
      expect(await storedVersions()).toEqual([]);
    }, 60_000);

    test('creates everything the file describes and lists the versions', async () => {
      const result = await tagplan(['apply', baseFile]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      for (const version of created) {
        const [kind, name] = version.split(':') as [string, string];
        expect(result.stdout).toContain(`+ ${kind} ${name} (new)`);
      }
      expect(result.stdout).toContain('Created 7 version(s).');
      expect(await storedVersions()).toEqual(created);

      const event = await entity('events', 'item_viewed');
      expect(event.versions[0]?.body).toEqual({
        owner: 'team-items',
        description: 'A user opened an item page',
        fields: [
          { name: 'user_id', version: 1, required: true },
          { name: 'item_id', version: 1, required: true },
          { name: 'source', version: 1, required: false },
          { name: 'tags', version: 1, required: false },
        ],
      });
      expect(event.versions[0]?.message).toBe('Add the item page events');
      const field = await entity('fields', 'tags');
      expect(field.versions[0]?.body).toMatchObject({ type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 10 });
    }, 60_000);

    test('re-applying the same file changes nothing', async () => {
      const human = await tagplan(['apply', baseFile]);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('Nothing to do');
      const machine = await tagplan(['--json', 'apply', baseFile]);
      expect(machine.code).toBe(0);
      expect(jsonOf(machine).versions).toEqual([]);
      expect(await storedVersions()).toEqual(created);
    }, 60_000);

    test('with no message in the file and no -m: a clear error, nothing written', async () => {
      const file = await variant('no-message.yaml', (catalog) => {
        delete catalog['message'];
        catalog['fields'].user_id.description = 'Stable id of a signed-in user, from the accounts service';
      });
      const result = await tagplan(['apply', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/message/);
      expect(result.stderr).toContain('-m');
      expect(await storedVersions()).toEqual(created);
    }, 60_000);

    test('a changed field gives new versions of the field, the events carrying it and the environments sending them', async () => {
      const file = await variant('item-id-min-10.yaml', (catalog) => {
        catalog['message'] = 'Item ids start at 10';
        catalog['fields'].item_id.minimum = 10;
      });
      const result = await tagplan(['apply', file]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('~ field item_id@2  (1 breaking)');
      expect(result.stdout).toMatch(/replace \/minimum: 1 -> 10 {2}BREAKING/);
      // Re-pinned to a breaking version of item_id: breaking too, up to the environment.
      expect(result.stdout).toContain('~ event item_viewed@2  (1 breaking)');
      expect(result.stdout).toMatch(/replace \/fields\/item_id\/version: 1 -> 2 {2}BREAKING\n/);
      expect(result.stdout).toContain('~ environment web-frontend@2  (1 breaking)');
      expect(result.stdout).toContain('Created 3 version(s).');

      expect(await storedVersions()).toEqual([...created, 'environment:web-frontend@2', 'event:item_viewed@2', 'field:item_id@2'].sort());
      const field = await entity('fields', 'item_id');
      expect(field.latest_version).toBe(2);
      expect(field.versions.find((entry) => entry.version === 2)?.body).toMatchObject({ type: 'integer', minimum: 10 });
      const event = await entity('events', 'item_viewed');
      const byVersion = (version: number) => event.versions.find((entry) => entry.version === version)?.body.fields;
      expect(byVersion(2)).toEqual(expect.arrayContaining([{ name: 'item_id', version: 2, required: true }, { name: 'user_id', version: 1, required: true }]));
      // The old version still pins the old field: versions are immutable.
      expect(byVersion(1)).toEqual(expect.arrayContaining([{ name: 'item_id', version: 1, required: true }]));
      const environment = await entity('environments', 'web-frontend');
      expect(environment.versions.find((entry) => entry.version === 2)?.body.events).toEqual([{ name: 'item_viewed', version: 2 }]);
      expect(environment.versions.find((entry) => entry.version === 2)?.message).toBe('Item ids start at 10');
      expect((await entity('fields', 'user_id')).latest_version).toBe(1);
    }, 60_000);

    test('-m overrides the message in the file, and the change log shows it', async () => {
      const file = await variant('source-email.yaml', (catalog) => {
        catalog['message'] = 'The message in the file';
        catalog['fields'].item_id.minimum = 10;
        catalog['fields'].source.enum = ['search', 'feed', 'recommendation', 'email'];
      });
      const result = await tagplan(['apply', file, '-m', 'Count visits from e-mails']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('~ field source@2');
      expect(result.stdout).toContain('Created 3 version(s).');
      const changelog = await registry.call('GET', '/api/changelog?limit=3');
      expect(changelog.status).toBe(200);
      const entries = changelog.body.entries as { kind: string; name: string; version: number; message: string }[];
      expect(entries.map((entry) => `${entry.kind}:${entry.name}@${entry.version}`).sort()).toEqual(['environment:web-frontend@3', 'event:item_viewed@3', 'field:source@2']);
      for (const entry of entries) expect(entry.message).toBe('Count visits from e-mails');
      base['fields'].item_id.minimum = 10;
      base['fields'].source.enum = ['search', 'feed', 'recommendation', 'email'];
    }, 60_000);

    const invalidFiles: [string, (catalog: Catalog) => string | void, RegExp][] = [
      ['bad YAML', () => 'message: broken\nfields:\n  user_id: { type: string\n', /not valid YAML/],
      [
        'an unknown property',
        (catalog) => {
          catalog['fields'].item_id.colour = 'red';
        },
        /\/fields\/item_id\/colour: unknown property "colour"/,
      ],
      [
        'minimum above maximum',
        (catalog) => {
          catalog['fields'].item_id.maximum = 5;
        },
        /\/fields\/item_id\/(minimum|maximum): .*maximum/,
      ],
      [
        'a reference to an unknown field',
        (catalog) => {
          catalog['events'].item_viewed.fields.referrer_url = 'optional';
        },
        /\/events\/item_viewed\/fields\/\S*: .*referrer_url/,
      ],
      [
        'a reference to an unknown event',
        (catalog) => {
          catalog['environments']['web-frontend'].events.push('item_shared');
        },
        /\/environments\/web-frontend\/events\/\S*: .*item_shared/,
      ],
      [
        'an unknown section',
        (catalog) => {
          catalog['sinks'] = {};
        },
        /\/sinks: unknown section/,
      ],
    ];

    test.each(invalidFiles)('an invalid file (%s) gets an error naming the path; nothing is written', async (what, spoil, expected) => {
      const before = await storedVersions();
      const catalog = structuredClone(base);
      // A valid change beside the defect: it must not be written either.
      catalog['fields'].user_id.description = 'Changed beside the defect';
      catalog['fields'].referrer = { type: 'string', format: 'uri' };
      const custom = spoil(catalog);
      const file = await folder.write(`invalid-${what.replace(/\W+/g, '-')}.yaml`, typeof custom === 'string' ? custom : stringify(catalog));
      const result = await tagplan(['apply', file]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).toContain(file);
      expect(await storedVersions()).toEqual(before);
    }, 60_000);

    test('--json reports an invalid file as JSON, every problem with its path', async () => {
      const file = await variant('two-problems.yaml', (catalog) => {
        catalog['fields'].item_id.maximum = 5;
        catalog['fields'].tags.maxItems = 'ten';
      });
      const result = await tagplan(['--json', 'apply', file]);
      expect(result.code).toBe(1);
      const error = jsonOf(result);
      expect(error.error).toBe('invalid_body');
      expect(error.details).toEqual(expect.arrayContaining([expect.stringMatching(/^\/fields\/item_id\/(minimum|maximum): /), expect.stringMatching(/^\/fields\/tags\/maxItems: /)]));
    }, 60_000);

    test('a file that cannot be read: a clear error', async () => {
      const result = await tagplan(['apply', path.join(folder.path, 'missing.yaml')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot read ${path.join(folder.path, 'missing.yaml')}`);
    }, 60_000);
  });

  describe('export', () => {
    test('prints the catalog as YAML that matches the registry', async () => {
      const result = await tagplan(['export']);
      expect(result.code).toBe(0);
      const exported = parse(result.stdout) as Catalog;
      expect(Object.keys(exported['fields']).sort()).toEqual(['item_id', 'session_id', 'source', 'tags', 'user_id']);
      expect(exported['fields'].item_id).toMatchObject({ type: 'integer', minimum: 10 });
      expect(exported['fields'].source.enum).toEqual(['search', 'feed', 'recommendation', 'email']);
      expect(exported['events'].item_viewed).toMatchObject({
        owner: 'team-items',
        fields: { user_id: 'required', item_id: 'required', source: 'optional', tags: 'optional' },
      });
      expect(exported['environments']['web-frontend']).toMatchObject({ owner: 'team-web', common_fields: { session_id: 'required' }, events: ['item_viewed'] });
      const json = await tagplan(['--json', 'export']);
      expect(json.code).toBe(0);
      expect(jsonOf(json)).toEqual(exported);
    }, 60_000);

    test('--out FILE writes the same catalog to a file', async () => {
      const out = path.join(folder.path, 'exported.yaml');
      const [written, printed] = await Promise.all([tagplan(['export', '--out', out]), tagplan(['export'])]);
      expect(written.code).toBe(0);
      expect(written.stdout).toBe('');
      expect(written.stderr).toContain(`Wrote ${out}`);
      expect(await readFile(out, 'utf8')).toBe(printed.stdout);
    }, 60_000);

    test('export then apply changes nothing', async () => {
      const out = path.join(folder.path, 'round-trip.yaml');
      expect((await tagplan(['export', '--out', out])).code).toBe(0);
      const before = await storedVersions();
      // -m: the registry asks for a message before it knows that there is nothing to do.
      const result = await tagplan(['apply', out, '-m', 'Round trip']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Nothing to do');
      expect(await storedVersions()).toEqual(before);
    }, 60_000);

    test('--snapshot writes every version of everything, numbered, as JSON', async () => {
      const out = path.join(folder.path, 'snapshot.json');
      const result = await tagplan(['export', '--snapshot', '--out', out]);
      expect(result.code).toBe(0);
      const snapshot = JSON.parse(await readFile(out, 'utf8'));
      expect(snapshot.format).toBe('tagplan-snapshot/1');
      expect(Number.isNaN(Date.parse(snapshot.exported_at))).toBe(false);
      const versions = snapshot.versions as { kind: string; name: string; version: number; body: any; message: string }[];
      expect(versions.map((entry) => `${entry.kind}:${entry.name}@${entry.version}`).sort()).toEqual(await storedVersions());
      expect(versions.find((entry) => entry.kind === 'field' && entry.name === 'item_id' && entry.version === 1)?.body).toMatchObject({ minimum: 1 });
      expect(versions.find((entry) => entry.kind === 'field' && entry.name === 'item_id' && entry.version === 2)?.body).toMatchObject({ minimum: 10 });

      const printed = await tagplan(['export', '--snapshot']);
      expect(printed.code).toBe(0);
      expect(jsonOf(printed).versions).toEqual(snapshot.versions);
    }, 60_000);
  });

  describe('diff', () => {
    test('FIELD@1 FIELD@2 shows the changes with JSON pointers and BREAKING labels', async () => {
      const result = await tagplan(['diff', 'item_id@1', 'item_id@2']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('field item_id@1 -> item_id@2: 1 change(s), BREAKING');
      expect(result.stdout).toMatch(/replace +\/minimum +1 -> 10 +BREAKING/);

      // A re-pin is as breaking as the change between the two versions of the field.
      const event = await tagplan(['diff', 'item_viewed@1', 'item_viewed@3']);
      expect(event.code).toBe(0);
      expect(event.stdout).toContain('event item_viewed@1 -> item_viewed@3: 2 change(s), BREAKING');
      expect(event.stdout).toMatch(/replace +\/fields\/item_id\/version +1 -> 2 +BREAKING\n/);
      expect(event.stdout).toMatch(/replace +\/fields\/source\/version +1 -> 2\n/);
    }, 60_000);

    test('--json gives the changes as data', async () => {
      const result = await tagplan(['--json', 'diff', 'source@1', 'source@2']);
      expect(result.code).toBe(0);
      const diff = jsonOf(result);
      expect(diff).toMatchObject({ kind: 'field', from: 'source@1', to: 'source@2' });
      expect(diff.changes.length).toBeGreaterThan(0);
      for (const change of diff.changes) expect(change.path).toMatch(/^\/enum/);
      expect(diff.breaking).toBe(false);
    }, 60_000);

    test('an identical pair of versions is reported as identical', async () => {
      const result = await tagplan(['diff', 'user_id@1', 'user_id@1']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('identical');
    }, 60_000);

    test('an unknown version: exit 1 with the reason', async () => {
      const result = await tagplan(['diff', 'item_id@1', 'item_id@9']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('item_id@9');
      const unknown = await tagplan(['diff', 'no_such_thing@1', 'no_such_thing@2']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('no_such_thing@1');
    }, 60_000);

    test('a reference without a version is a usage error', async () => {
      const result = await tagplan(['diff', 'item_id', 'item_id@2']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('item_id@1');
    }, 60_000);

    test('a name that is both a field and an event needs its kind', async () => {
      const field = await registry.call('POST', '/api/fields', { name: 'item_viewed', type: 'boolean', description: 'Whether the item was seen', message: 'A field that shares its name with an event' });
      expect(field.status).toBe(201);
      const ambiguous = await tagplan(['diff', 'item_viewed@1', 'item_viewed@2']);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain('field:item_viewed@1');
      expect(ambiguous.stderr).toContain('event:item_viewed@1');

      const result = await tagplan(['diff', 'event:item_viewed@1', 'event:item_viewed@2']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('event item_viewed@1 -> item_viewed@2');
      const mixed = await tagplan(['diff', 'field:item_viewed@1', 'event:item_viewed@2']);
      expect(mixed.code).toBe(1);
      expect(mixed.stderr).toContain('cannot compare a field with an event');
    }, 60_000);
  });
});
