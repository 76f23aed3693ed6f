import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PII_MODES, STRING_FORMATS } from '@tagplan/catalog';

export type VersionSchema = SchemaObject & { required: string[]; properties: Record<string, SchemaObject>; example: Record<string, unknown> };

/** Request-body schemas for the OpenAPI document; the authoritative checks are in libs/catalog. */

const scalar: SchemaObject & { properties: Record<string, SchemaObject> } = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { enum: ['string', 'integer', 'number', 'boolean'] },
    enum: { type: 'array', items: { type: 'string' }, description: 'string only' },
    pattern: { type: 'string', description: 'string only; a regular expression portable to JavaScript, RE2, PCRE and Python re' },
    format: { enum: [...STRING_FORMATS] },
    minLength: { type: 'integer', minimum: 0 },
    maxLength: { type: 'integer', minimum: 0 },
    minimum: { type: 'number' },
    maximum: { type: 'number' },
    exclusiveMinimum: { type: 'number' },
    exclusiveMaximum: { type: 'number' },
  },
};

const message = { type: 'string', description: 'why this version is made (the change-log message)' };
const expectedVersion = { type: 'integer', minimum: 2, description: 'the version this creates; 409 if another request created it first' };

export const FIELD_VERSION_SCHEMA: VersionSchema = {
  type: 'object',
  required: ['type', 'message'],
  properties: {
    ...scalar.properties,
    type: { enum: ['string', 'integer', 'number', 'boolean', 'array'] },
    items: scalar,
    minItems: { type: 'integer', minimum: 0 },
    maxItems: { type: 'integer', minimum: 0 },
    uniqueItems: { type: 'boolean' },
    description: { type: 'string' },
    examples: { type: 'array', items: {} },
    pii: { enum: [...PII_MODES], default: 'none' },
    message,
    version: expectedVersion,
  },
  example: { type: 'string', enum: ['search', 'feed'], description: 'Where the user came from', message: 'Add the feed source' },
};

const fieldRef: SchemaObject = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, version: { type: 'integer', description: 'default: the latest' }, required: { type: 'boolean', default: false } },
};

export const EVENT_VERSION_SCHEMA: VersionSchema = {
  type: 'object',
  required: ['owner', 'message'],
  properties: { description: { type: 'string' }, owner: { type: 'string' }, fields: { type: 'array', items: fieldRef }, message, version: expectedVersion },
  example: { owner: 'team-items', description: 'A user opened an item page', fields: [{ name: 'item_id', required: true }], message: 'Track item pages' },
};

export const ENVIRONMENT_VERSION_SCHEMA: VersionSchema = {
  type: 'object',
  required: ['owner', 'message'],
  properties: {
    description: { type: 'string' },
    owner: { type: 'string' },
    common_fields: { type: 'array', items: fieldRef },
    events: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, version: { type: 'integer' } } } },
    message,
    version: expectedVersion,
  },
  example: { owner: 'team-web', common_fields: [{ name: 'session_id', required: true }], events: [{ name: 'item_viewed' }], message: 'Send item pages' },
};

/** The creation body is a version body plus the entity's name. */
export function withName(schema: VersionSchema, exampleName: string): SchemaObject {
  const { version: _version, ...properties } = schema.properties;
  return { ...schema, required: ['name', ...schema.required], properties: { name: { type: 'string' }, ...properties }, example: { name: exampleName, ...schema.example } };
}
