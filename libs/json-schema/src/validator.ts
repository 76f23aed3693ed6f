import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { EventSchema, JsonSchemaObject } from './event-schema';
import { FORMAT_CHECKS } from './formats';

/** One rule an event's data breaks, readable by a person and precise for a machine. */
export interface DataViolation {
  /** JSON pointer into the event's data, '' for the object itself. */
  path: string;
  /** The JSON Schema keyword that failed: required, enum, maxLength, additionalProperties, ... */
  rule: string;
  message: string;
}

export type EventVerdict =
  | { valid: true }
  | { valid: false; reason: 'unknown_event' | 'unknown_version' | 'invalid_data'; violations: DataViolation[] };

/** A fresh ajv configured as the catalog's schemas need: draft 2020-12, our formats, code points. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, unicodeRegExp: true, code: { optimize: true } });
  for (const [name, check] of Object.entries(FORMAT_CHECKS)) ajv.addFormat(name, { type: 'string', validate: check });
  return ajv;
}

/**
 * Checks event data against the schemas of a catalog (one or more environment versions).
 * Validators are compiled once per event version, on first use, and then reused. This is
 * the library behind `tagplan validate`, for backends that check events without a langpack.
 */
export class CatalogValidator {
  private readonly ajv = createAjv();
  private readonly schemas = new Map<string, Map<number, JsonSchemaObject>>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(schemas: Iterable<EventSchema>) {
    for (const entry of schemas) {
      const versions = this.schemas.get(entry.event_name) ?? new Map<number, JsonSchemaObject>();
      versions.set(entry.event_version, entry.schema);
      this.schemas.set(entry.event_name, versions);
    }
  }

  validate(eventName: string, eventVersion: number, data: unknown): EventVerdict {
    const versions = this.schemas.get(eventName);
    if (!versions) {
      return { valid: false, reason: 'unknown_event', violations: [{ path: '', rule: 'event_name', message: `unknown event ${JSON.stringify(eventName)}` }] };
    }
    const schema = versions.get(eventVersion);
    if (!schema) {
      const known = [...versions.keys()].sort((a, b) => a - b).join(', ');
      return {
        valid: false,
        reason: 'unknown_version',
        violations: [{ path: '', rule: 'event_version', message: `${eventName} has no version ${String(eventVersion)} here (known: ${known})` }],
      };
    }
    const key = `${eventName}@${eventVersion}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      // The same $id can come from several environment versions with equal content.
      const { $id: _id, ...anonymous } = schema;
      validate = this.ajv.compile(anonymous);
      this.compiled.set(key, validate);
    }
    if (validate(data)) return { valid: true };
    return { valid: false, reason: 'invalid_data', violations: (validate.errors ?? []).map(toViolation) };
  }
}

export function toViolation(error: ErrorObject): DataViolation {
  const params = error.params as Record<string, unknown>;
  let path = error.instancePath;
  let message = error.message ?? 'is invalid';
  switch (error.keyword) {
    case 'required':
      path = `${path}/${String(params['missingProperty'])}`;
      message = 'is required';
      break;
    case 'additionalProperties':
      path = `${path}/${String(params['additionalProperty'])}`;
      message = 'is not a field of this event';
      break;
    case 'enum':
      message = `must be one of ${(params['allowedValues'] as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
      break;
    case 'type':
      message = `must be ${article(String(params['type']))}`;
      break;
    case 'format':
      message = `must be a valid ${String(params['format'])}`;
      break;
    case 'minLength':
    case 'maxLength':
      message = `must have ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${String(params['limit'])} characters`;
      break;
  }
  return { path, rule: error.keyword, message: `${path === '' ? 'data' : path.slice(1)}: ${message}` };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
