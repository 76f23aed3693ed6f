import { createAjv } from '@tagplan/json-schema';
import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

interface EventSchemaAnswer {
  event_name: string;
  event_version: number;
  schema: Record<string, any>;
}

describe.each(databaseModes())('environments and their schemas over HTTP on the %s database', (mode) => {
  let registry: StartedTestRegistry;

  const fields = [
    { name: 'user_id', type: 'string', minLength: 1, maxLength: 64, description: 'Stable id of a signed-in user', examples: ['u-42'], pii: 'hash' },
    { name: 'item_id', type: 'integer', minimum: 1 },
    { name: 'source', type: 'string', enum: ['search', 'feed', 'recommendation'] },
    { name: 'tags', type: 'array', items: { type: 'string', maxLength: 8 }, maxItems: 3, uniqueItems: true },
    { name: 'session_id', type: 'string', format: 'uuid' },
    { name: 'price', type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
    { name: 'first_visit_on', type: 'string', format: 'date' },
    { name: 'country', type: 'string', minLength: 2, maxLength: 2 },
    { name: 'sku', type: 'string', pattern: '^[A-Z]{3}-[0-9]+$' },
    { name: 'is_new', type: 'boolean' },
    { name: 'query', type: 'string' },
  ];

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    for (const field of fields) expectStatus(await registry.call('POST', '/api/fields', { ...field, message: `Add ${field.name}` }), 201);
    expectStatus(
      await registry.call('POST', '/api/events', {
        name: 'item_viewed',
        owner: 'team-items',
        description: 'A user opened an item page',
        fields: [
          { name: 'user_id', required: true },
          { name: 'item_id', required: true },
          { name: 'source' },
          { name: 'tags' },
          { name: 'price' },
          { name: 'sku' },
          { name: 'is_new' },
          { name: 'session_id' },
        ],
        message: 'Track item pages',
      }),
      201,
    );
    expectStatus(
      await registry.call('POST', '/api/events', { name: 'search_performed', owner: 'team-search', fields: [{ name: 'query', required: true }], message: 'Search' }),
      201,
    );
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  test('POST /api/environments pins its common fields and events', async () => {
    const created = expectStatus(
      await registry.call('POST', '/api/environments', {
        name: 'web-frontend',
        owner: 'team-web',
        description: 'The public website',
        common_fields: [{ name: 'session_id', required: true }, { name: 'first_visit_on' }, { name: 'country' }],
        events: [{ name: 'item_viewed' }, { name: 'search_performed', version: 1 }],
        message: 'The website',
      }),
      201,
    );
    expect(created).toMatchObject({ kind: 'environment', name: 'web-frontend', version: 1 });
    expect(created.body).toEqual({
      description: 'The public website',
      owner: 'team-web',
      common_fields: [
        { name: 'session_id', version: 1, required: true },
        { name: 'first_visit_on', version: 1, required: false },
        { name: 'country', version: 1, required: false },
      ],
      events: [
        { name: 'item_viewed', version: 1 },
        { name: 'search_performed', version: 1 },
      ],
    });
  });

  describe('GET /api/environments/{name}/versions/{version}/schemas', () => {
    let schemas: EventSchemaAnswer[];
    let itemViewed: Record<string, any>;

    beforeAll(async () => {
      const answer = await registry.call('GET', '/api/environments/web-frontend/versions/1/schemas');
      const body = expectStatus(answer, 200);
      expect(body).toMatchObject({ environment: 'web-frontend', version: 1 });
      expect(answer.headers.get('cache-control')).toMatch(/immutable/);
      schemas = body.schemas;
      itemViewed = schemas.find((entry) => entry.event_name === 'item_viewed')?.schema ?? {};
    });

    test('one draft 2020-12 object schema per event, additionalProperties false', () => {
      expect(schemas.map((entry) => [entry.event_name, entry.event_version])).toEqual([
        ['item_viewed', 1],
        ['search_performed', 1],
      ]);
      for (const { schema } of schemas) {
        expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false });
      }
      expect(itemViewed).toMatchObject({ title: 'item_viewed', description: 'A user opened an item page' });
    });

    test("the event's fields plus the common fields, each required as declared", () => {
      expect(Object.keys(itemViewed['properties'])).toEqual(['user_id', 'item_id', 'source', 'tags', 'price', 'sku', 'is_new', 'session_id', 'first_visit_on', 'country']);
      expect([...itemViewed['required']].sort()).toEqual(['item_id', 'session_id', 'user_id']);
      const search = schemas.find((entry) => entry.event_name === 'search_performed')?.schema ?? {};
      expect(Object.keys(search['properties'])).toEqual(['query', 'session_id', 'first_visit_on', 'country']);
      expect([...search['required']].sort()).toEqual(['query', 'session_id']);
    });

    test('each property is the JSON Schema of its field version', () => {
      const properties = itemViewed['properties'];
      expect(properties['user_id']).toEqual({ type: 'string', minLength: 1, maxLength: 64, description: 'Stable id of a signed-in user', examples: ['u-42'] });
      expect(properties['item_id']).toEqual({ type: 'integer', minimum: 1 });
      expect(properties['source']).toEqual({ type: 'string', enum: ['search', 'feed', 'recommendation'] });
      expect(properties['tags']).toEqual({ type: 'array', items: { type: 'string', maxLength: 8 }, maxItems: 3, uniqueItems: true });
      expect(properties['session_id']).toEqual({ type: 'string', format: 'uuid' });
    });

    const valid = { user_id: 'u-42', item_id: 1001, session_id: '0f8fad5b-d9cb-469f-a165-70867728950e' };
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['the required fields only', valid, true],
      ['every field', { ...valid, source: 'feed', tags: ['new', 'sale'], price: 9.99, sku: 'ABC-12', is_new: false, first_visit_on: '2024-02-29', country: 'FR' }, true],
      ['a missing required event field', { user_id: 'u-42', session_id: valid.session_id }, false],
      ['a missing required common field', { user_id: 'u-42', item_id: 1001 }, false],
      ['a field of no one', { ...valid, colour: 'red' }, false],
      ['null for an optional field', { ...valid, source: null }, false],
      ['a value outside the enum', { ...valid, source: 'email' }, false],
      ['an integer below the minimum', { ...valid, item_id: 0 }, false],
      ['a fraction for an integer', { ...valid, item_id: 1.5 }, false],
      ['a number at the exclusive minimum', { ...valid, price: 0 }, false],
      ['a string too long', { ...valid, user_id: 'u'.repeat(65) }, false],
      ['an empty string under minLength', { ...valid, user_id: '' }, false],
      ['lengths counted in code points', { ...valid, country: '🇫🇷' }, true],
      ['three code points for two', { ...valid, country: 'FRA' }, false],
      ['too many items', { ...valid, tags: ['a', 'b', 'c', 'd'] }, false],
      ['repeated items', { ...valid, tags: ['a', 'a'] }, false],
      ['an item too long', { ...valid, tags: ['much-too-long'] }, false],
      ['a pattern mismatch', { ...valid, sku: 'abc-12' }, false],
      ['a malformed uuid', { ...valid, session_id: 'not-a-uuid' }, false],
      ['a date that is not a calendar day', { ...valid, first_visit_on: '2023-02-29' }, false],
      ['a string for a boolean', { ...valid, is_new: 'yes' }, false],
    ];

    test.each(cases)('validating data with %s gives %s', (_what, data, expected) => {
      const { $id: _id, ...schema } = itemViewed;
      const validate = createAjv().compile(schema);
      expect(validate(data)).toBe(expected);
    });

    test('a schema names its environment and event versions in its $id', () => {
      expect(itemViewed['$id']).toBe('urn:tagplan:web-frontend@1:item_viewed@1');
    });

    test.each([
      ['an unknown environment', '/api/environments/ios-app/versions/1/schemas', 404],
      ['an unknown version', '/api/environments/web-frontend/versions/9/schemas', 404],
      ['a version that is not a number', '/api/environments/web-frontend/versions/latest/schemas', 400],
      ['a name that is not kebab-case', '/api/environments/Web_Frontend/versions/1/schemas', 400],
    ])('%s is a %s', async (_what, route, status) => {
      expectError(await registry.call('GET', route), status);
    });
  });

  describe('new versions', () => {
    test('a common field also carried by an event, at the same version, appears once and is required if either requires it', async () => {
      const second = expectStatus(
        await registry.call('POST', '/api/environments/web-frontend/versions', {
          owner: 'team-web',
          description: 'The public website',
          common_fields: [{ name: 'session_id', required: true }, { name: 'user_id' }],
          events: [{ name: 'item_viewed' }, { name: 'search_performed' }],
          message: 'Send the user everywhere',
        }),
        201,
      );
      expect(second.version).toBe(2);
      const { schemas } = expectStatus(await registry.call('GET', '/api/environments/web-frontend/versions/2/schemas'), 200);
      const [item, search] = schemas as EventSchemaAnswer[];
      expect(Object.keys(item?.schema['properties'])).toEqual(['user_id', 'item_id', 'source', 'tags', 'price', 'sku', 'is_new', 'session_id']);
      expect([...item?.schema['required']].sort()).toEqual(['item_id', 'session_id', 'user_id']);
      expect([...search?.schema['required']].sort()).toEqual(['query', 'session_id']);
    });

    test('a common field that clashes with a different version of an event field is refused, naming the common field', async () => {
      expectStatus(await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', minLength: 1, maxLength: 128, message: 'Longer ids' }), 201);
      const answer = await registry.call('POST', '/api/environments/web-frontend/versions', {
        owner: 'team-web',
        common_fields: [{ name: 'session_id', required: true }, { name: 'user_id' }],
        events: [{ name: 'item_viewed' }],
        message: 'Clash',
      });
      const error = expectError(answer, 400, '/common_fields/1', 'field_clash');
      expect(error.message).toMatch(/user_id@2.*user_id@1.*item_viewed@1/);
      expect((await registry.sql(`SELECT max(version) AS v FROM catalog_versions WHERE kind = 'environment' AND name = 'web-frontend'`))[0]?.['v']).toBe(2);
    });

    test('retiring an event is a new version without it; the older version keeps its schemas', async () => {
      const third = expectStatus(
        await registry.call('POST', '/api/environments/web-frontend/versions', {
          owner: 'team-web',
          common_fields: [{ name: 'session_id', required: true }],
          events: [{ name: 'item_viewed' }],
          message: 'Search moved to the app',
        }),
        201,
      );
      expect(third.body.events).toEqual([{ name: 'item_viewed', version: 1 }]);
      const now = expectStatus(await registry.call('GET', '/api/environments/web-frontend/versions/3/schemas'), 200);
      expect(now.schemas.map((entry: EventSchemaAnswer) => entry.event_name)).toEqual(['item_viewed']);
      const before = expectStatus(await registry.call('GET', '/api/environments/web-frontend/versions/1/schemas'), 200);
      expect(before.schemas.map((entry: EventSchemaAnswer) => entry.event_name)).toEqual(['item_viewed', 'search_performed']);
    });

    test('the list of environments filters by owner and text', async () => {
      expectStatus(
        await registry.call('POST', '/api/environments', { name: 'ios-app', owner: 'team-mobile', description: 'The iPhone app', events: [{ name: 'search_performed' }], message: 'iOS' }),
        201,
      );
      const all = expectStatus(await registry.call('GET', '/api/environments'), 200);
      expect(all.items.map((item: { name: string; version: number }) => [item.name, item.version])).toEqual([
        ['ios-app', 1],
        ['web-frontend', 3],
      ]);
      const mobile = expectStatus(await registry.call('GET', '/api/environments?owner=team-mobile'), 200);
      expect(mobile).toMatchObject({ total: 1, items: [{ name: 'ios-app' }] });
      const iphone = expectStatus(await registry.call('GET', '/api/environments?q=iphone'), 200);
      expect(iphone).toMatchObject({ total: 1, items: [{ name: 'ios-app' }] });
    });
  });
});
