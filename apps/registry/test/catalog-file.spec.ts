import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

/** The catalog file of DESIGN §7, as the CLI sends it (JSON). */
const catalog = () => ({
  message: 'Add the item page events',
  fields: {
    user_id: { type: 'string', description: 'Stable id of a signed-in user', pii: 'hash' },
    item_id: { type: 'integer', minimum: 1 },
    source: { type: 'string', enum: ['search', 'feed', 'recommendation'] },
    tags: { type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 10 },
    session_id: { type: 'string', format: 'uuid' },
    query: { type: 'string', maxLength: 200, examples: ['red shoes'] },
  } as Record<string, Record<string, unknown>>,
  events: {
    item_viewed: { owner: 'team-items', description: 'A user opened an item page', fields: { user_id: 'required', item_id: 'required', source: 'optional', tags: 'optional' } },
    search_performed: { owner: 'team-search', fields: { query: 'required' } },
  } as Record<string, Record<string, unknown>>,
  environments: {
    'web-frontend': { owner: 'team-web', description: 'The public website', common_fields: { session_id: 'required' }, events: ['item_viewed', 'search_performed'] },
    'ios-app': { owner: 'team-mobile', events: ['search_performed'] },
  } as Record<string, Record<string, unknown>>,
});

interface Planned {
  kind: string;
  name: string;
  version: number;
  body: any;
  changes: { op: string; path: string; breaking: boolean }[];
}

const keys = (versions: Planned[]) => versions.map((version) => `${version.kind}:${version.name}@${version.version}`).sort();

describe.each(databaseModes())('catalog as code over HTTP on the %s database', (mode) => {
  let registry: StartedTestRegistry;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const rows = async (): Promise<string[]> =>
    (await registry.sql(`SELECT kind, name, version FROM catalog_versions ORDER BY kind, name, version`)).map((row) => `${row['kind']}:${row['name']}@${row['version']}`);
  const apply = (body: Record<string, unknown>) => registry.call('POST', '/api/catalog/apply', body);

  test('a dry run on an empty registry plans everything and writes nothing', async () => {
    const plan = expectStatus(await apply({ catalog: catalog(), dry_run: true }), 200);
    expect(plan.dry_run).toBe(true);
    expect(plan.versions).toHaveLength(10);
    expect(await rows()).toEqual([]);
  });

  test('applying creates every field, event and environment at version 1, with the message of the file', async () => {
    const plan = expectStatus(await apply({ catalog: catalog() }), 200);
    expect(plan).toMatchObject({ dry_run: false, message: 'Add the item page events' });
    expect(keys(plan.versions)).toEqual([
      'environment:ios-app@1',
      'environment:web-frontend@1',
      'event:item_viewed@1',
      'event:search_performed@1',
      'field:item_id@1',
      'field:query@1',
      'field:session_id@1',
      'field:source@1',
      'field:tags@1',
      'field:user_id@1',
    ]);
    expect(await rows()).toEqual(keys(plan.versions));
    const event = expectStatus(await registry.call('GET', '/api/events/item_viewed/versions/1'), 200);
    expect(event).toMatchObject({ author: 'admin', message: 'Add the item page events' });
    expect(event.body).toEqual({
      description: 'A user opened an item page',
      owner: 'team-items',
      fields: [
        { name: 'user_id', version: 1, required: true },
        { name: 'item_id', version: 1, required: true },
        { name: 'source', version: 1, required: false },
        { name: 'tags', version: 1, required: false },
      ],
    });
    const schemas = expectStatus(await registry.call('GET', '/api/environments/web-frontend/versions/1/schemas'), 200);
    expect(schemas.schemas[0].schema.required).toEqual(['user_id', 'item_id', 'session_id']);
  });

  test('re-applying the same file is a no-op', async () => {
    const before = await rows();
    const plan = expectStatus(await apply({ catalog: catalog(), message: 'Again' }), 200);
    expect(plan.versions).toEqual([]);
    expect(await rows()).toEqual(before);
  });

  test('a changed field gives new versions of the events that carry it and the environments that send them', async () => {
    const file = catalog();
    file.fields['query'] = { type: 'string', maxLength: 100, examples: ['red shoes'] };
    const dry = expectStatus(await apply({ catalog: file, dry_run: true, message: 'Shorter queries' }), 200);
    const before = await rows();
    const plan = expectStatus(await apply({ catalog: file, message: 'Shorter queries' }), 200);
    expect(plan.versions).toEqual(dry.versions);
    expect(keys(plan.versions)).toEqual(['environment:ios-app@2', 'environment:web-frontend@2', 'event:search_performed@2', 'field:query@2']);
    expect((await rows()).length).toBe(before.length + 4);
    const field = plan.versions.find((version: Planned) => version.kind === 'field');
    expect(field.changes).toEqual([{ op: 'replace', path: '/maxLength', before: 200, after: 100, breaking: true }]);
    const event = expectStatus(await registry.call('GET', '/api/events/search_performed/versions/2'), 200);
    expect(event).toMatchObject({ message: 'Shorter queries', body: { fields: [{ name: 'query', version: 2, required: true }] } });
    const web = expectStatus(await registry.call('GET', '/api/environments/web-frontend/versions/2'), 200);
    expect(web.body.events).toEqual([
      { name: 'item_viewed', version: 1 },
      { name: 'search_performed', version: 2 },
    ]);
    expectError(await registry.call('GET', '/api/events/item_viewed/versions/2'), 404);
    const again = expectStatus(await apply({ catalog: file, message: 'Again' }), 200);
    expect(again.versions).toEqual([]);
  });

  test('an entity in the registry but not in the file is left alone', async () => {
    expectStatus(await registry.call('POST', '/api/fields', { name: 'legacy_flag', type: 'boolean', message: 'Old' }), 201);
    const file = catalog();
    file.fields['query'] = { type: 'string', maxLength: 100, examples: ['red shoes'] };
    file.fields['is_new'] = { type: 'boolean' };
    delete file.fields['tags'];
    delete file.events['item_viewed'];
    const plan = expectStatus(await apply({ catalog: { fields: file.fields }, message: 'A new field only' }), 200);
    expect(keys(plan.versions)).toEqual(['field:is_new@1']);
    expectStatus(await registry.call('GET', '/api/fields/legacy_flag'), 200);
    expectStatus(await registry.call('GET', '/api/fields/tags'), 200);
  });

  describe('an invalid file writes nothing', () => {
    const rejected: [string, () => Record<string, unknown>, string, string][] = [
      [
        'a bad field among good ones',
        () => ({ ...catalog(), fields: { ...catalog().fields, brand_new: { type: 'string' }, bad_range: { type: 'integer', minimum: 9, maximum: 1 } } }),
        '/fields/bad_range/minimum',
        'invalid_range',
      ],
      ['an unportable pattern', () => ({ fields: { fresh: { type: 'string' }, code: { type: 'string', pattern: '(?<=x)y' } } }), '/fields/code/pattern', 'unportable_pattern'],
      ['a name that is not snake_case', () => ({ fields: { fresh: { type: 'string' }, BadName: { type: 'string' } } }), '/fields/BadName', 'invalid_name'],
      ['an environment name that is not kebab-case', () => ({ environments: { web_frontend: { owner: 'team-web' } } }), '/environments/web_frontend', 'invalid_name'],
      ['an example of the wrong type', () => ({ fields: { fresh: { type: 'string' }, count: { type: 'integer', examples: [1, 'two'] } } }), '/fields/count/examples/1', 'invalid_value'],
      ['a field flag that is neither required nor optional', () => ({ events: { fresh_event: { owner: 'me', fields: { user_id: 'mandatory' } } } }), '/events/fresh_event/fields/user_id', 'invalid_value'],
      ['an event without an owner', () => ({ events: { fresh_event: { fields: { user_id: 'required' } } } }), '/events/fresh_event/owner', 'required'],
      ['an unknown section', () => ({ fields: { fresh: { type: 'string' } }, sinks: {} }), '/sinks', 'unknown_property'],
      // references are written as maps and lists: issues point at the map's key or the list's item
      ['a pinned field version that does not exist', () => ({ events: { fresh_event: { owner: 'me', fields: { item_id: 'required', 'user_id@9': 'optional' } } } }), '/events/fresh_event/fields/user_id@9', 'unknown_reference'],
      ['a field name that is not snake_case in an event', () => ({ events: { fresh_event: { owner: 'me', fields: { 'User-Id': 'required' } } } }), '/events/fresh_event/fields/User-Id', 'invalid_name'],
      ['an unknown common field', () => ({ environments: { 'fresh-env': { owner: 'me', common_fields: { session_id: 'required', nowhere: 'optional' } } } }), '/environments/fresh-env/common_fields/nowhere', 'unknown_reference'],
      ['an unknown event', () => ({ environments: { 'fresh-env': { owner: 'me', events: ['item_viewed', 'nowhere'] } } }), '/environments/fresh-env/events/1', 'unknown_reference'],
      ['an event version that does not exist', () => ({ environments: { 'fresh-env': { owner: 'me', events: ['item_viewed@7'] } } }), '/environments/fresh-env/events/0', 'unknown_reference'],
    ];

    test.each(rejected)('%s is a 400 naming the place in the file', async (_what, file, path, code) => {
      const before = await rows();
      const error = expectError(await apply({ catalog: file(), message: 'Try' }), 400, path, code);
      expect(error.error).toBe('invalid_body');
      expect(await rows()).toEqual(before);
    });

    test('a reference to nothing, or a clash, anywhere in the file rejects the whole file', async () => {
      const before = await rows();
      const unknown = { ...catalog(), fields: { ...catalog().fields, fresh: { type: 'string' } }, events: { fresh_event: { owner: 'me', fields: { user_id: 'required', nowhere: 'optional' } } } };
      const error = expectError(await apply({ catalog: unknown, message: 'Try' }), 400, '/events/fresh_event/fields/nowhere', 'unknown_reference');
      expect(error.message).toContain('nowhere');
      const clash = {
        fields: { fresh: { type: 'string' }, item_id: { type: 'integer', minimum: 1, maximum: 10 } },
        environments: { 'fresh-env': { owner: 'me', common_fields: { item_id: 'required' }, events: ['item_viewed'] } },
      };
      const clashError = expectError(await apply({ catalog: clash, message: 'Try' }), 400, '/environments/fresh-env/common_fields/item_id', 'field_clash');
      expect(clashError.message).toMatch(/item_id@2.*item_id@1/);
      expect(await rows()).toEqual(before);
    });

    test.each([
      ['no message in the file or the request', { catalog: { fields: { fresh: { type: 'string' } } } }, '/message'],
      ['a blank message', { catalog: { fields: { fresh: { type: 'string' } } }, message: ' ' }, '/message'],
      ['no catalog', { message: 'Try' }, '/catalog'],
      ['a catalog that is a list', { catalog: [], message: 'Try' }, ''],
      ['a dry_run that is not a boolean', { catalog: { fields: { fresh: { type: 'string' } } }, message: 'Try', dry_run: 'yes' }, '/dry_run'],
    ])('%s is a 400', async (_what, body, path) => {
      const before = await rows();
      expectError(await apply(body), 400, path);
      expect(await rows()).toEqual(before);
    });
  });

  describe('export and snapshot', () => {
    beforeAll(async () => {
      // History the file form must keep: pins to older versions, examples, pii, arrays.
      expectStatus(await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 64, pii: 'drop', examples: ['u-1'], message: 'Drop it' }), 201);
      expectStatus(
        await registry.call('POST', '/api/events', { name: 'pinned_event', owner: 'team-old', fields: [{ name: 'user_id', version: 1, required: true }, { name: 'tags' }], message: 'Pinned' }),
        201,
      );
      expectStatus(await registry.call('POST', '/api/events/pinned_event/versions', { owner: 'team-old', fields: [{ name: 'tags' }], message: 'Unpinned' }), 201);
      expectStatus(
        await registry.call('POST', '/api/environments', { name: 'old-app', owner: 'team-old', common_fields: [{ name: 'user_id', version: 1 }], events: [{ name: 'pinned_event', version: 1 }, { name: 'item_viewed' }], message: 'Old app' }),
        201,
      );
    });

    test('the export is the catalog file of the latest versions, pinning only what is not the latest', async () => {
      const file = expectStatus(await registry.call('GET', '/api/catalog/export'), 200);
      expect(Object.keys(file.fields).sort()).toEqual(['is_new', 'item_id', 'legacy_flag', 'query', 'session_id', 'source', 'tags', 'user_id']);
      expect(file.fields.user_id).toEqual({ type: 'string', maxLength: 64, examples: ['u-1'], pii: 'drop' });
      expect(file.fields.tags).toEqual({ type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 10 });
      expect(file.events.item_viewed).toEqual({
        owner: 'team-items',
        description: 'A user opened an item page',
        fields: { 'user_id@1': 'required', item_id: 'required', source: 'optional', tags: 'optional' },
      });
      expect(file.environments['old-app']).toEqual({ owner: 'team-old', common_fields: { 'user_id@1': 'optional' }, events: ['pinned_event@1', 'item_viewed'] });
    });

    test('export then apply is a no-op', async () => {
      const before = await rows();
      const file = expectStatus(await registry.call('GET', '/api/catalog/export'), 200);
      const plan = expectStatus(await apply({ catalog: file, message: 'Round trip' }), 200);
      expect(plan.versions).toEqual([]);
      // a file that changes nothing needs no message
      expect(expectStatus(await apply({ catalog: file }), 200).versions).toEqual([]);
      expect(await rows()).toEqual(before);
    });

    test('the snapshot lists every version of everything, numbered', async () => {
      const snapshot = expectStatus(await registry.call('GET', '/api/catalog/snapshot'), 200);
      expect(snapshot.format).toBe('tagplan-snapshot/1');
      expect(Date.parse(snapshot.exported_at)).not.toBeNaN();
      const listed = snapshot.versions.map((version: Planned) => `${version.kind}:${version.name}@${version.version}`);
      expect([...listed].sort()).toEqual(await rows());
      expect(listed.slice(0, 3)).toEqual(['field:is_new@1', 'field:item_id@1', 'field:legacy_flag@1']);
      expect(listed[listed.length - 1]).toBe('environment:web-frontend@2');
      const stored = await registry.sql(`SELECT body, author, message FROM catalog_versions WHERE kind = 'event' AND name = 'pinned_event' AND version = 1`);
      const pinned = snapshot.versions.find((version: Planned) => version.name === 'pinned_event' && version.version === 1);
      expect(pinned).toMatchObject({ ...stored[0], kind: 'event', created_at: expect.any(String) });
    });
  });
});
