import type { FieldBody, FieldType } from '@tagplan/catalog';
import { catalog, fixtureLookup } from '../test/catalog-fixture';
import { buildEnvironmentSchemas, buildEventSchema, fieldSchema, JSON_SCHEMA_DIALECT } from './event-schema';
import { createAjv } from './validator';

const itemViewed = { name: 'item_viewed', version: 1, body: fixtureLookup.event('item_viewed', 1) };

describe('buildEventSchema', () => {
  it('compiles an event with the environment common fields into one closed object schema', () => {
    expect(buildEventSchema(catalog.environment, itemViewed, fixtureLookup)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:tagplan:web-frontend@3:item_viewed@1',
      title: 'item_viewed',
      description: 'A user opened an item page',
      type: 'object',
      properties: {
        user_id: { type: 'string', description: 'Stable id of a signed-in user', examples: ['u-123'] },
        item_id: { type: 'integer', minimum: 1 },
        source: { type: 'string', enum: ['search', 'feed'] },
        tags: { type: 'array', items: { type: 'string', maxLength: 3 }, maxItems: 2, uniqueItems: true },
        session_id: { type: 'string', format: 'uuid', description: 'One visit' },
      },
      required: ['user_id', 'item_id', 'session_id'],
      additionalProperties: false,
    });
  });

  it('keeps the declared order: the event fields, then the common fields', () => {
    const schema = buildEventSchema(catalog.environment, itemViewed, fixtureLookup);
    expect(Object.keys(schema['properties'] as object)).toEqual(['user_id', 'item_id', 'source', 'tags', 'session_id']);
  });

  it('leaves out an empty description', () => {
    const event = { name: 'profile_updated', version: 1, body: fixtureLookup.event('profile_updated', 1) };
    expect(buildEventSchema(catalog.environment, event, fixtureLookup)).not.toHaveProperty('description');
  });

  it('lists a field that is both an event field and a common field once, required if either side requires it', () => {
    const environment = {
      ...catalog.environment,
      body: { ...catalog.environment.body, common_fields: [{ name: 'source', version: 1, required: true }] },
    };
    const schema = buildEventSchema(environment, itemViewed, fixtureLookup);
    expect(Object.keys(schema['properties'] as object)).toEqual(['user_id', 'item_id', 'source', 'tags']);
    expect(schema['required']).toEqual(['user_id', 'item_id', 'source']);
  });

  it('gives an event without fields an empty closed object', () => {
    const environment = { name: 'bare', version: 1, body: { description: '', owner: 'o', common_fields: [], events: [] } };
    const schema = buildEventSchema(environment, { name: 'ping', version: 4, body: { description: '', owner: 'o', fields: [] } }, fixtureLookup);
    expect(schema).toMatchObject({ $id: 'urn:tagplan:bare@1:ping@4', properties: {}, required: [], additionalProperties: false });
  });
});

describe('buildEnvironmentSchemas', () => {
  const schemas = buildEnvironmentSchemas(catalog.environment, fixtureLookup);

  it('builds one schema per event the environment sends', () => {
    expect(schemas.map((entry) => [entry.event_name, entry.event_version])).toEqual([
      ['item_viewed', 1],
      ['profile_updated', 1],
    ]);
    expect(schemas[0]?.schema).toEqual(buildEventSchema(catalog.environment, itemViewed, fixtureLookup));
  });

  it('builds schemas that a strict draft 2020-12 validator accepts', () => {
    const ajv = createAjv();
    for (const { schema } of schemas) {
      expect(schema['$schema']).toBe(JSON_SCHEMA_DIALECT);
      expect(() => ajv.compile(schema)).not.toThrow();
    }
  });
});

describe('fieldSchema', () => {
  const body = (type: FieldType): FieldBody => ({ ...type, description: '', examples: [], pii: 'none' });

  test.each<[FieldType, object]>([
    [{ type: 'boolean' }, { type: 'boolean' }],
    [{ type: 'number', exclusiveMinimum: 0, maximum: 1 }, { type: 'number', exclusiveMinimum: 0, maximum: 1 }],
    [{ type: 'string', pattern: '^a', format: 'date', minLength: 1 }, { type: 'string', pattern: '^a', format: 'date', minLength: 1 }],
    [
      { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1 },
      { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1 },
    ],
  ])('%p', (type, schema) => {
    expect(fieldSchema(body(type))).toEqual(schema);
  });

  it('keeps pii out of the schema and documentation in', () => {
    expect(fieldSchema({ type: 'string', description: 'E-mail', examples: ['a@b.c'], pii: 'hash' })).toEqual({
      type: 'string',
      description: 'E-mail',
      examples: ['a@b.c'],
    });
  });
});
