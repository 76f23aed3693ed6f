import type { EnvironmentBody, EventBody, FieldBody, FieldRef, FieldType } from '@tagplan/catalog';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface EventSchema {
  event_name: string;
  event_version: number;
  schema: JsonSchemaObject;
}

export type JsonSchemaObject = { [key: string]: unknown };

/** Looks up the body of a pinned version; the caller guarantees references exist. */
export interface CatalogLookup {
  field(name: string, version: number): FieldBody;
  event(name: string, version: number): EventBody;
}

/**
 * The JSON Schema (draft 2020-12) of one event as sent from one environment version: its
 * own fields plus the environment's common fields, `additionalProperties: false`.
 * Properties keep the declared order (the event's fields, then the common ones), which
 * makes the output stable and readable.
 */
export function buildEventSchema(
  environment: { name: string; version: number; body: EnvironmentBody },
  event: { name: string; version: number; body: EventBody },
  lookup: CatalogLookup,
): JsonSchemaObject {
  const properties: Record<string, JsonSchemaObject> = {};
  const required = new Set<string>();
  const add = (ref: FieldRef) => {
    properties[ref.name] ??= fieldSchema(lookup.field(ref.name, ref.version));
    if (ref.required) required.add(ref.name);
  };
  event.body.fields.forEach(add);
  environment.body.common_fields.forEach(add);
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: `urn:tagplan:${environment.name}@${environment.version}:${event.name}@${event.version}`,
    title: event.name,
    ...(event.body.description ? { description: event.body.description } : {}),
    type: 'object',
    properties,
    required: [...required],
    additionalProperties: false,
  };
}

/** The schemas of every event an environment version may send. */
export function buildEnvironmentSchemas(
  environment: { name: string; version: number; body: EnvironmentBody },
  lookup: CatalogLookup,
): EventSchema[] {
  return environment.body.events.map((ref) => ({
    event_name: ref.name,
    event_version: ref.version,
    schema: buildEventSchema(environment, { ...ref, body: lookup.event(ref.name, ref.version) }, lookup),
  }));
}

/** The schema of one field's value. */
export function fieldSchema(field: FieldBody): JsonSchemaObject {
  const { description, examples, pii: _pii, ...type } = field;
  return {
    ...typeSchema(type),
    ...(description ? { description } : {}),
    ...(examples.length > 0 ? { examples } : {}),
  };
}

function typeSchema(type: FieldType): JsonSchemaObject {
  if (type.type === 'array') {
    const { items, ...rest } = type;
    return { ...rest, items: typeSchema(items) };
  }
  return { ...type };
}
