/**
 * The catalog model of DESIGN §1. These shapes are what the registry stores as a
 * version body, what its API speaks and what catalog files describe, so they use the
 * wire's snake_case keys.
 */

export const ENTITY_KINDS = ['field', 'event', 'environment'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const PII_MODES = ['none', 'hash', 'drop'] as const;
export type PiiMode = (typeof PII_MODES)[number];

export const STRING_FORMATS = ['date-time', 'date', 'uri', 'email', 'uuid'] as const;
export type StringFormat = (typeof STRING_FORMATS)[number];

export interface StringType {
  type: 'string';
  enum?: string[];
  pattern?: string;
  format?: StringFormat;
  minLength?: number;
  maxLength?: number;
}

export interface NumericType {
  type: 'integer' | 'number';
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export interface BooleanType {
  type: 'boolean';
}

export type ScalarType = StringType | NumericType | BooleanType;

export interface ArrayType {
  type: 'array';
  items: ScalarType;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export type FieldType = ScalarType | ArrayType;

/** A field version's body: its type and constraints, plus what people read. */
export type FieldBody = FieldType & {
  description: string;
  examples: unknown[];
  pii: PiiMode;
};

/** A pinned reference to one version of a field, with its required flag. */
export interface FieldRef {
  name: string;
  version: number;
  required: boolean;
}

/** A pinned reference to one version of an event. */
export interface EventRef {
  name: string;
  version: number;
}

export interface EventBody {
  description: string;
  owner: string;
  fields: FieldRef[];
}

export interface EnvironmentBody {
  description: string;
  owner: string;
  common_fields: FieldRef[];
  events: EventRef[];
}

export interface BodyOf {
  field: FieldBody;
  event: EventBody;
  environment: EnvironmentBody;
}

export type AnyBody = FieldBody | EventBody | EnvironmentBody;

/** One immutable version of a named entity, as the registry records it. */
export interface EntityVersion<K extends EntityKind = EntityKind> {
  kind: K;
  name: string;
  version: number;
  body: BodyOf[K];
  author: string;
  message: string;
  created_at: string;
}

export type FieldVersion = EntityVersion<'field'>;
export type EventVersion = EntityVersion<'event'>;
export type EnvironmentVersion = EntityVersion<'environment'>;
