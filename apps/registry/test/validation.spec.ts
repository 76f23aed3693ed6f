import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

/** [what, route, body, the issue's JSON pointer, the issue's code] — every case is a 400 that writes nothing. */
type Rejection = [string, string, Record<string, unknown>, string, string];

const field = (body: Record<string, unknown>) => ({ name: 'new_field', message: 'Try', ...body });
const event = (body: Record<string, unknown>) => ({ name: 'new_event', owner: 'team-items', message: 'Try', ...body });
const environment = (body: Record<string, unknown>) => ({ name: 'new-environment', owner: 'team-web', message: 'Try', ...body });

const names: Rejection[] = [
  ['a field name in camelCase', '/api/fields', field({ name: 'userId', type: 'string' }), '/name', 'invalid_name'],
  ['a field name in kebab-case', '/api/fields', field({ name: 'user-id', type: 'string' }), '/name', 'invalid_name'],
  ['a field name starting with a digit', '/api/fields', field({ name: '1st_visit', type: 'string' }), '/name', 'invalid_name'],
  ['a field name with a double underscore', '/api/fields', field({ name: 'user__id', type: 'string' }), '/name', 'invalid_name'],
  ['a field name of 65 characters', '/api/fields', field({ name: 'a'.repeat(65), type: 'string' }), '/name', 'invalid_name'],
  ['a missing field name', '/api/fields', { type: 'string', message: 'Try' }, '/name', 'required'],
  ['a field name that is not text', '/api/fields', field({ name: 42, type: 'string' }), '/name', 'invalid_name'],
  ['an event name with spaces', '/api/events', event({ name: 'item viewed' }), '/name', 'invalid_name'],
  ['an event name in kebab-case', '/api/events', event({ name: 'item-viewed' }), '/name', 'invalid_name'],
  ['an event name of 65 characters', '/api/events', event({ name: `e${'_x'.repeat(32)}` }), '/name', 'invalid_name'],
  ['an environment name in snake_case', '/api/environments', environment({ name: 'web_frontend' }), '/name', 'invalid_name'],
  ['an environment name with capitals', '/api/environments', environment({ name: 'Web-Frontend' }), '/name', 'invalid_name'],
  ['an environment name ending in a dash', '/api/environments', environment({ name: 'web-' }), '/name', 'invalid_name'],
  ['an environment name of 65 characters', '/api/environments', environment({ name: `w${'-x'.repeat(32)}` }), '/name', 'invalid_name'],
  ['a referenced field name that is not snake_case', '/api/events', event({ fields: [{ name: 'User-Id' }] }), '/fields/0/name', 'invalid_name'],
  ['a referenced event name that is not snake_case', '/api/environments', environment({ events: [{ name: 'ItemViewed' }] }), '/events/0/name', 'invalid_name'],
];

const types: Rejection[] = [
  ['a missing type', '/api/fields', field({}), '/type', 'required'],
  ['an unknown type', '/api/fields', field({ type: 'object' }), '/type', 'invalid_value'],
  ['minimum above maximum', '/api/fields', field({ type: 'integer', minimum: 10, maximum: 1 }), '/minimum', 'invalid_range'],
  ['exclusiveMinimum at exclusiveMaximum', '/api/fields', field({ type: 'number', exclusiveMinimum: 1, exclusiveMaximum: 1 }), '/exclusiveMinimum', 'invalid_range'],
  ['minimum at exclusiveMaximum', '/api/fields', field({ type: 'number', minimum: 5, exclusiveMaximum: 5 }), '/minimum', 'invalid_range'],
  ['a minimum that is not a number', '/api/fields', field({ type: 'integer', minimum: '1' }), '/minimum', 'type'],
  ['minLength above maxLength', '/api/fields', field({ type: 'string', minLength: 5, maxLength: 2 }), '/minLength', 'invalid_range'],
  ['a negative maxLength', '/api/fields', field({ type: 'string', maxLength: -1 }), '/maxLength', 'type'],
  ['minItems above maxItems', '/api/fields', field({ type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 1 }), '/minItems', 'invalid_range'],
  ['minLength above maxLength in items', '/api/fields', field({ type: 'array', items: { type: 'string', minLength: 9, maxLength: 1 } }), '/items/minLength', 'invalid_range'],
  ['a duplicate enum value', '/api/fields', field({ type: 'string', enum: ['search', 'feed', 'search'] }), '/enum/2', 'duplicate'],
  ['an enum on an integer', '/api/fields', field({ type: 'integer', enum: ['1', '2'] }), '/enum', 'unknown_property'],
  ['an enum on a boolean', '/api/fields', field({ type: 'boolean', enum: ['true'] }), '/enum', 'unknown_property'],
  ['an enum on an array', '/api/fields', field({ type: 'array', items: { type: 'string' }, enum: ['a'] }), '/enum', 'unknown_property'],
  ['an enum on integer items', '/api/fields', field({ type: 'array', items: { type: 'integer', enum: ['1'] } }), '/items/enum', 'unknown_property'],
  ['an enum value that is not a string', '/api/fields', field({ type: 'string', enum: ['a', 2] }), '/enum/1', 'type'],
  ['an empty enum', '/api/fields', field({ type: 'string', enum: [] }), '/enum', 'type'],
  ['an enum value longer than maxLength', '/api/fields', field({ type: 'string', maxLength: 3, enum: ['abcd'] }), '/enum/0', 'invalid_value'],
  ['an invalid regular expression', '/api/fields', field({ type: 'string', pattern: '[a-' }), '/pattern', 'invalid_pattern'],
  ['an unbalanced group', '/api/fields', field({ type: 'string', pattern: '(ab' }), '/pattern', 'invalid_pattern'],
  ['a lookahead', '/api/fields', field({ type: 'string', pattern: '^(?=.*[0-9]).+$' }), '/pattern', 'unportable_pattern'],
  ['a negative lookahead', '/api/fields', field({ type: 'string', pattern: '^(?!admin).+$' }), '/pattern', 'unportable_pattern'],
  ['a lookbehind', '/api/fields', field({ type: 'string', pattern: '(?<=@)[a-z]+' }), '/pattern', 'unportable_pattern'],
  ['a negative lookbehind', '/api/fields', field({ type: 'string', pattern: '(?<!x)y' }), '/pattern', 'unportable_pattern'],
  ['a backreference', '/api/fields', field({ type: 'string', pattern: '^(a+)-\\1$' }), '/pattern', 'unportable_pattern'],
  ['a named backreference', '/api/fields', field({ type: 'string', pattern: '^(?<x>a)\\k<x>$' }), '/pattern', 'unportable_pattern'],
  ['a lookahead in array items', '/api/fields', field({ type: 'array', items: { type: 'string', pattern: '(?=a)a' } }), '/items/pattern', 'unportable_pattern'],
  ['a pattern on an integer', '/api/fields', field({ type: 'integer', pattern: '^[0-9]+$' }), '/pattern', 'unknown_property'],
  ['an unknown format', '/api/fields', field({ type: 'string', format: 'ipv4' }), '/format', 'invalid_value'],
  ['maxLength on a number', '/api/fields', field({ type: 'number', maxLength: 3 }), '/maxLength', 'unknown_property'],
  ['an unknown property', '/api/fields', field({ type: 'string', colour: 'red' }), '/colour', 'unknown_property'],
  ['an array without items', '/api/fields', field({ type: 'array' }), '/items', 'required'],
  ['an array of arrays', '/api/fields', field({ type: 'array', items: { type: 'array', items: { type: 'string' } } }), '/items/type', 'invalid_value'],
  ['an unknown pii mode', '/api/fields', field({ type: 'string', pii: 'encrypt' }), '/pii', 'invalid_value'],
  ['a description that is not text', '/api/fields', field({ type: 'string', description: ['a'] }), '/description', 'type'],
  ['an example of the wrong type', '/api/fields', field({ type: 'integer', examples: [1, 'two'] }), '/examples/1', 'invalid_value'],
  ['an example outside the enum', '/api/fields', field({ type: 'string', enum: ['search', 'feed'], examples: ['email'] }), '/examples/0', 'invalid_value'],
  ['an example breaking the pattern', '/api/fields', field({ type: 'string', pattern: '^[A-Z]+$', examples: ['OK', 'no'] }), '/examples/1', 'invalid_value'],
  ['an example below the minimum', '/api/fields', field({ type: 'number', minimum: 0, examples: [-1] }), '/examples/0', 'invalid_value'],
  ['an example that is null', '/api/fields', field({ type: 'string', examples: [null] }), '/examples/0', 'invalid_value'],
  ['an example with a bad item', '/api/fields', field({ type: 'array', items: { type: 'string', format: 'email' }, examples: [['a@b.example'], ['nope']] }), '/examples/1', 'invalid_value'],
  ['examples that are not a list', '/api/fields', field({ type: 'string', examples: 'abc' }), '/examples', 'type'],
];

const references: Rejection[] = [
  ['a field that does not exist', '/api/events', event({ fields: [{ name: 'user_id' }, { name: 'no_such_field' }] }), '/fields/1/name', 'unknown_reference'],
  ['a field version that does not exist', '/api/events', event({ fields: [{ name: 'item_id', version: 3 }] }), '/fields/0/version', 'unknown_reference'],
  ['a field version that is not a whole number', '/api/events', event({ fields: [{ name: 'item_id', version: 0 }] }), '/fields/0/version', 'type'],
  ['a field listed twice', '/api/events', event({ fields: [{ name: 'user_id' }, { name: 'user_id', required: true }] }), '/fields/1/name', 'duplicate'],
  ['a required flag that is not a boolean', '/api/events', event({ fields: [{ name: 'user_id', required: 'yes' }] }), '/fields/0/required', 'type'],
  ['fields that are not a list', '/api/events', event({ fields: { user_id: 'required' } }), '/fields', 'type'],
  ['a missing owner', '/api/events', { name: 'new_event', message: 'Try' }, '/owner', 'required'],
  ['an unknown event property', '/api/events', event({ tags: ['x'] }), '/tags', 'unknown_property'],
  ['a common field that does not exist', '/api/environments', environment({ common_fields: [{ name: 'no_such_field' }] }), '/common_fields/0/name', 'unknown_reference'],
  ['a common field version that does not exist', '/api/environments', environment({ common_fields: [{ name: 'user_id', version: 2 }] }), '/common_fields/0/version', 'unknown_reference'],
  ['an event that does not exist', '/api/environments', environment({ events: [{ name: 'item_viewed' }, { name: 'no_such_event' }] }), '/events/1/name', 'unknown_reference'],
  ['an event version that does not exist', '/api/environments', environment({ events: [{ name: 'item_viewed', version: 2 }] }), '/events/0/version', 'unknown_reference'],
  [
    'a common field clashing with another version of an event field',
    '/api/environments',
    environment({ common_fields: [{ name: 'user_id' }, { name: 'item_id', required: true }], events: [{ name: 'item_viewed' }] }),
    '/common_fields/1',
    'field_clash',
  ],
  ['a field that does not exist, in a new version', '/api/events/item_viewed/versions', { owner: 'team-items', fields: [{ name: 'nope' }], message: 'Try' }, '/fields/0/name', 'unknown_reference'],
];

describe.each(databaseModes())('validation of what comes in, on the %s database', (mode) => {
  let registry: StartedTestRegistry;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    expectStatus(await registry.call('POST', '/api/fields', { name: 'user_id', type: 'string', message: 'Users' }), 201);
    expectStatus(await registry.call('POST', '/api/fields', { name: 'item_id', type: 'integer', message: 'Items' }), 201);
    expectStatus(await registry.call('POST', '/api/fields/item_id/versions', { type: 'integer', minimum: 1, message: 'Positive' }), 201);
    expectStatus(
      await registry.call('POST', '/api/events', { name: 'item_viewed', owner: 'team-items', fields: [{ name: 'user_id' }, { name: 'item_id', version: 1 }], message: 'Items' }),
      201,
    );
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const countRows = async () => {
    const [row] = await registry.sql(
      `SELECT (SELECT count(*) FROM catalog_entities)::int AS entities, (SELECT count(*) FROM catalog_versions)::int AS versions, (SELECT count(*) FROM catalog_references)::int AS refs`,
    );
    return row;
  };

  test.each([...names, ...types, ...references])('%s is a 400 naming the place, and writes nothing', async (_what, route, body, path, code) => {
    const before = await countRows();
    const error = expectError(await registry.call('POST', route, body), 400, path, code);
    expect(error.error).toBe('invalid_body');
    expect(error.message).toContain(path);
    expect(await countRows()).toEqual(before);
  });

  test('the same checks apply to a new version of an existing field', async () => {
    expectError(await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', minLength: 3, maxLength: 1, message: 'Try' }), 400, '/minLength', 'invalid_range');
    expectError(await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', pattern: '(?<=a)b', message: 'Try' }), 400, '/pattern', 'unportable_pattern');
    expectError(await registry.call('POST', '/api/fields/item_id/versions', { type: 'integer', minimum: 1, examples: [0], message: 'Try' }), 400, '/examples/0', 'invalid_value');
  });

  test('every problem of a body is reported at once', async () => {
    const error = expectError(await registry.call('POST', '/api/fields', field({ type: 'string', minLength: 5, maxLength: 2, enum: ['a', 'a'], pattern: '(?=x)' })), 400);
    // 'a' is also shorter than minLength 5
    expect(error.issues?.map((issue) => issue.path).sort()).toEqual(['/enum/0', '/enum/1', '/minLength', '/pattern']);
    expect(error.message).toMatch(/and 3 more problems/);
  });

  test('names of exactly 64 characters and portable patterns are accepted', async () => {
    const longest = `f${'_x'.repeat(31)}_`.slice(0, 63) + 'z';
    expect(longest).toHaveLength(64);
    expectStatus(await registry.call('POST', '/api/fields', field({ name: longest, type: 'string', pattern: '^[a-z]{2,5}(-[0-9]+)?$' })), 201);
    expectStatus(await registry.call('POST', '/api/environments', environment({ name: `w${'-x'.repeat(31)}z`, events: [{ name: 'item_viewed' }] })), 201);
  });

  describe('bodies that are not what a write expects', () => {
    test.each([
      ['truncated JSON', '{"name": "broken", "type": '],
      ['JSON with a trailing comma', '{"name": "broken", "type": "string",}'],
      ['not JSON at all', 'name=broken&type=string'],
    ])('%s is a 400 JSON error', async (_what, text) => {
      const before = await countRows();
      const answer = await registry.call('POST', '/api/fields', text);
      const error = expectError(answer, 400);
      expect(error.error).toBe('invalid_json');
      expect(answer.headers.get('content-type')).toMatch(/application\/json/);
      expect(await countRows()).toEqual(before);
    });

    test.each([
      ['a list', '[{"name": "listed", "type": "string", "message": "Try"}]'],
      ['a string', '"hello"'],
      ['null', 'null'],
    ])('a body that is %s is a 400', async (_what, text) => {
      expectError(await registry.call('POST', '/api/fields', text), 400);
    });

    test('a body too large is a 413 JSON error', async () => {
      const answer = await registry.call('POST', '/api/fields', { name: 'huge', type: 'string', description: 'x'.repeat(33 * 1024 * 1024), message: 'Big' });
      expect(expectError(answer, 413).error).toBe('too_large');
    });
  });
});
