import { IssueList, pointer, type Result } from './issues';
import {
  PII_MODES,
  STRING_FORMATS,
  type ArrayType,
  type BooleanType,
  type EnvironmentBody,
  type EventBody,
  type FieldBody,
  type FieldType,
  type NumericType,
  type PiiMode,
  type ScalarType,
  type StringFormat,
  type StringType,
} from './model';
import { nameProblem } from './names';
import { patternProblem } from './pattern';

/**
 * Parsers for what comes in through the API and catalog files. Each takes unknown input,
 * reports every problem with a JSON pointer, and on success returns a normalized body
 * whose keys are in one canonical order, so equal definitions compare equal.
 */

export const MAX_DESCRIPTION_LENGTH = 10_000;
export const MAX_EXAMPLES = 20;
export const MAX_ENUM_VALUES = 1_000;
/** Fields an event (or an environment's common fields) may list. */
export const MAX_REFERENCES = 1_000;
/** Events one environment may send: large products have thousands. */
export const MAX_EVENT_REFERENCES = 20_000;

const KEYS_BY_TYPE: Record<FieldType['type'], readonly string[]> = {
  string: ['enum', 'pattern', 'format', 'minLength', 'maxLength'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  boolean: [],
  array: ['items', 'minItems', 'maxItems', 'uniqueItems'],
};
const FIELD_TYPES = Object.keys(KEYS_BY_TYPE) as FieldType['type'][];
const DOC_KEYS = ['description', 'examples', 'pii'];

/** A reference as written by a person: the version may be left for the registry to fill in. */
export interface FieldRefDraft {
  name: string;
  version?: number;
  required: boolean;
}

export interface EventRefDraft {
  name: string;
  version?: number;
}

export interface EventDraft {
  description: string;
  owner: string;
  fields: FieldRefDraft[];
}

export interface EnvironmentDraft {
  description: string;
  owner: string;
  common_fields: FieldRefDraft[];
  events: EventRefDraft[];
}

export function parseFieldBody(input: unknown, path = ''): Result<FieldBody> {
  const issues = new IssueList();
  const object = expectObject(input, path, issues);
  if (!object) return issues.result(undefined as never);
  const type = parseFieldType(object, path, issues, DOC_KEYS);
  const docs = parseDocs(object, path, issues);
  if (!type) return issues.result(undefined as never);
  return issues.result({ ...type, ...docs } as FieldBody);
}

/** Just the type part of a field, as nested under `items` or used by tools. */
export function parseFieldType(
  object: Record<string, unknown>,
  path: string,
  issues: IssueList,
  extraKeys: readonly string[] = [],
  scalarOnly = false,
): FieldType | null {
  const type = object['type'];
  const allowedTypes = scalarOnly ? FIELD_TYPES.filter((name) => name !== 'array') : FIELD_TYPES;
  if (type === undefined) {
    issues.add(pointer(path, 'type'), 'required', `a type is required: one of ${allowedTypes.join(', ')}`);
    return null;
  }
  if (typeof type !== 'string' || !(allowedTypes as string[]).includes(type)) {
    const nested = scalarOnly && type === 'array' ? ' (arrays of arrays are not supported)' : '';
    issues.add(pointer(path, 'type'), 'invalid_value', `type must be one of ${allowedTypes.join(', ')}${nested}, not ${show(type)}`);
    return null;
  }
  const fieldType = type as FieldType['type'];
  const allowed = new Set(['type', ...KEYS_BY_TYPE[fieldType], ...extraKeys]);
  for (const key of Object.keys(object)) {
    if (allowed.has(key)) continue;
    const owner = FIELD_TYPES.find((name) => KEYS_BY_TYPE[name].includes(key));
    issues.add(
      pointer(path, key),
      'unknown_property',
      owner ? `${key} does not apply to a field of type ${fieldType}` : `unknown property ${show(key)}`,
    );
  }
  switch (fieldType) {
    case 'string':
      return parseStringType(object, path, issues);
    case 'integer':
    case 'number':
      return parseNumericType(fieldType, object, path, issues);
    case 'boolean':
      return { type: 'boolean' } satisfies BooleanType;
    case 'array':
      return parseArrayType(object, path, issues);
  }
}

function parseStringType(object: Record<string, unknown>, path: string, issues: IssueList): StringType {
  const result: StringType = { type: 'string' };
  const minLength = optionalCount(object, 'minLength', path, issues);
  const maxLength = optionalCount(object, 'maxLength', path, issues);
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    issues.add(pointer(path, 'minLength'), 'invalid_range', `minLength (${minLength}) is greater than maxLength (${maxLength})`);
  }
  const pattern = object['pattern'];
  let regex: RegExp | undefined;
  if (pattern !== undefined) {
    if (typeof pattern !== 'string') {
      issues.add(pointer(path, 'pattern'), 'type', `pattern must be a string, not ${show(pattern)}`);
    } else {
      const problem = patternProblem(pattern);
      if (problem) {
        const code = problem.startsWith('not a valid') ? 'invalid_pattern' : 'unportable_pattern';
        issues.add(pointer(path, 'pattern'), code, problem);
      } else {
        regex = new RegExp(pattern, 'u');
      }
    }
  }
  const format = object['format'];
  if (format !== undefined && (typeof format !== 'string' || !(STRING_FORMATS as readonly string[]).includes(format))) {
    issues.add(pointer(path, 'format'), 'invalid_value', `format must be one of ${STRING_FORMATS.join(', ')}, not ${show(format)}`);
  }
  const values = object['enum'];
  if (values !== undefined) {
    parseEnum(values, pointer(path, 'enum'), issues, (value, at) => {
      const length = [...value].length;
      if (minLength !== undefined && length < minLength) issues.add(at, 'invalid_value', `enum value ${show(value)} is shorter than minLength ${minLength}`);
      if (maxLength !== undefined && length > maxLength) issues.add(at, 'invalid_value', `enum value ${show(value)} is longer than maxLength ${maxLength}`);
      if (regex && !regex.test(value)) issues.add(at, 'invalid_value', `enum value ${show(value)} does not match the pattern`);
    });
  }
  if (Array.isArray(values)) result.enum = values as string[];
  if (typeof pattern === 'string') result.pattern = pattern;
  if (typeof format === 'string') result.format = format as StringFormat;
  if (minLength !== undefined) result.minLength = minLength;
  if (maxLength !== undefined) result.maxLength = maxLength;
  return result;
}

function parseEnum(values: unknown, path: string, issues: IssueList, check: (value: string, at: string) => void): void {
  if (!Array.isArray(values) || values.length === 0) {
    issues.add(path, 'type', 'enum must be a non-empty list of strings');
    return;
  }
  if (values.length > MAX_ENUM_VALUES) {
    issues.add(path, 'invalid_value', `enum has ${values.length} values; at most ${MAX_ENUM_VALUES} are allowed`);
  }
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const at = pointer(path, index);
    if (typeof value !== 'string') {
      issues.add(at, 'type', `enum values must be strings, not ${show(value)}`);
      return;
    }
    const first = seen.get(value);
    if (first !== undefined) {
      issues.add(at, 'duplicate', `enum value ${show(value)} is listed twice (also at index ${first})`);
      return;
    }
    seen.set(value, index);
    check(value, at);
  });
}

function parseNumericType(
  type: NumericType['type'],
  object: Record<string, unknown>,
  path: string,
  issues: IssueList,
): NumericType {
  const result: NumericType = { type };
  const bounds = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;
  for (const key of bounds) {
    const value = object[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.add(pointer(path, key), 'type', `${key} must be a finite number, not ${show(value)}`);
      continue;
    }
    result[key] = value;
  }
  const lowers = (['minimum', 'exclusiveMinimum'] as const).filter((key) => result[key] !== undefined);
  const uppers = (['maximum', 'exclusiveMaximum'] as const).filter((key) => result[key] !== undefined);
  for (const lower of lowers) {
    for (const upper of uppers) {
      const low = result[lower] as number;
      const high = result[upper] as number;
      const bothInclusive = lower === 'minimum' && upper === 'maximum';
      // An integer field needs a whole number between its bounds: exclusiveMinimum 1 with
      // exclusiveMaximum 2 leaves none.
      const empty =
        type === 'integer'
          ? (lower === 'minimum' ? Math.ceil(low) : Math.floor(low) + 1) > (upper === 'maximum' ? Math.floor(high) : Math.ceil(high) - 1)
          : bothInclusive ? low > high : low >= high;
      if (empty) {
        const what = type === 'integer' ? 'whole number' : 'value';
        issues.add(pointer(path, lower), 'invalid_range', `${lower} (${low}) leaves no ${what} below ${upper} (${high})`);
      }
    }
  }
  return result;
}

function parseArrayType(object: Record<string, unknown>, path: string, issues: IssueList): ArrayType | null {
  const minItems = optionalCount(object, 'minItems', path, issues);
  const maxItems = optionalCount(object, 'maxItems', path, issues);
  if (minItems !== undefined && maxItems !== undefined && minItems > maxItems) {
    issues.add(pointer(path, 'minItems'), 'invalid_range', `minItems (${minItems}) is greater than maxItems (${maxItems})`);
  }
  const uniqueItems = object['uniqueItems'];
  if (uniqueItems !== undefined && typeof uniqueItems !== 'boolean') {
    issues.add(pointer(path, 'uniqueItems'), 'type', `uniqueItems must be true or false, not ${show(uniqueItems)}`);
  }
  const itemsPath = pointer(path, 'items');
  const items = object['items'];
  if (items === undefined) {
    issues.add(itemsPath, 'required', 'an array field needs items: the type of its elements');
    return null;
  }
  const itemsObject = expectObject(items, itemsPath, issues);
  const itemType = itemsObject ? parseFieldType(itemsObject, itemsPath, issues, [], true) : null;
  if (!itemType) return null;
  const result: ArrayType = { type: 'array', items: itemType as ScalarType };
  if (minItems !== undefined) result.minItems = minItems;
  if (maxItems !== undefined) result.maxItems = maxItems;
  if (uniqueItems === true) result.uniqueItems = true;
  return result;
}

function parseDocs(object: Record<string, unknown>, path: string, issues: IssueList): Pick<FieldBody, 'description' | 'examples' | 'pii'> {
  const description = optionalText(object, 'description', path, issues);
  const examples = object['examples'] ?? [];
  if (!Array.isArray(examples)) {
    issues.add(pointer(path, 'examples'), 'type', 'examples must be a list');
  } else if (examples.length > MAX_EXAMPLES) {
    issues.add(pointer(path, 'examples'), 'invalid_value', `at most ${MAX_EXAMPLES} examples are allowed, not ${examples.length}`);
  }
  const pii = object['pii'] ?? 'none';
  if (typeof pii !== 'string' || !(PII_MODES as readonly string[]).includes(pii)) {
    issues.add(pointer(path, 'pii'), 'invalid_value', `pii must be one of ${PII_MODES.join(', ')}, not ${show(pii)}`);
  }
  return { description, examples: Array.isArray(examples) ? examples : [], pii: pii as PiiMode };
}

export function parseEventDraft(input: unknown, path = ''): Result<EventDraft> {
  const issues = new IssueList();
  const object = expectObject(input, path, issues);
  if (!object) return issues.result(undefined as never);
  rejectUnknownKeys(object, ['description', 'owner', 'fields'], path, issues);
  const description = optionalText(object, 'description', path, issues);
  const owner = requiredOwner(object, path, issues);
  const fields = parseFieldRefs(object['fields'] ?? [], pointer(path, 'fields'), issues);
  return issues.result({ description, owner, fields });
}

export function parseEnvironmentDraft(input: unknown, path = ''): Result<EnvironmentDraft> {
  const issues = new IssueList();
  const object = expectObject(input, path, issues);
  if (!object) return issues.result(undefined as never);
  rejectUnknownKeys(object, ['description', 'owner', 'common_fields', 'events'], path, issues);
  const description = optionalText(object, 'description', path, issues);
  const owner = requiredOwner(object, path, issues);
  const commonFields = parseFieldRefs(object['common_fields'] ?? [], pointer(path, 'common_fields'), issues);
  const events = parseRefList(object['events'] ?? [], pointer(path, 'events'), issues, 'event', () => ({}));
  return issues.result({ description, owner, common_fields: commonFields, events });
}

function parseFieldRefs(input: unknown, path: string, issues: IssueList): FieldRefDraft[] {
  return parseRefList(input, path, issues, 'field', (object, at) => {
    const required = object['required'] ?? false;
    if (typeof required !== 'boolean') {
      issues.add(pointer(at, 'required'), 'type', `required must be true or false, not ${show(required)}`);
    }
    return { required: required === true };
  });
}

function parseRefList<Extra extends object>(
  input: unknown,
  path: string,
  issues: IssueList,
  kind: 'field' | 'event',
  parseExtra: (object: Record<string, unknown>, path: string) => Extra,
): ({ name: string; version?: number } & Extra)[] {
  if (!Array.isArray(input)) {
    issues.add(path, 'type', `must be a list of ${kind} references like {"name": "...", "version": 1}`);
    return [];
  }
  const limit = kind === 'event' ? MAX_EVENT_REFERENCES : MAX_REFERENCES;
  if (input.length > limit) {
    issues.add(path, 'invalid_value', `at most ${limit} ${kind} references are allowed, not ${input.length}`);
    return [];
  }
  const seen = new Map<string, number>();
  const refs: ({ name: string; version?: number } & Extra)[] = [];
  input.forEach((item, index) => {
    const at = pointer(path, index);
    const object = expectObject(item, at, issues);
    if (!object) return;
    const extraKeys = kind === 'field' ? ['required'] : [];
    rejectUnknownKeys(object, ['name', 'version', ...extraKeys], at, issues);
    const name = object['name'];
    const problem = nameProblem(kind, name);
    if (problem) {
      issues.add(pointer(at, 'name'), 'invalid_name', problem);
      return;
    }
    const version = object['version'];
    if (version !== undefined && !(Number.isSafeInteger(version) && (version as number) >= 1)) {
      issues.add(pointer(at, 'version'), 'type', `version must be a whole number from 1, not ${show(version)}`);
    }
    const first = seen.get(name as string);
    if (first !== undefined) {
      issues.add(pointer(at, 'name'), 'duplicate', `${kind} ${name} is listed twice (also at index ${first})`);
    }
    seen.set(name as string, index);
    const ref = { name: name as string, ...parseExtra(object, at) } as { name: string; version?: number } & Extra;
    if (typeof version === 'number' && Number.isSafeInteger(version)) ref.version = version;
    refs.push(ref);
  });
  return refs;
}

export function expectObject(input: unknown, path: string, issues: IssueList): Record<string, unknown> | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.add(path, 'type', `expected an object, not ${show(input)}`);
    return null;
  }
  return input as Record<string, unknown>;
}

function rejectUnknownKeys(object: Record<string, unknown>, allowed: string[], path: string, issues: IssueList): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) issues.add(pointer(path, key), 'unknown_property', `unknown property ${show(key)}; expected ${allowed.join(', ')}`);
  }
}

function optionalCount(object: Record<string, unknown>, key: string, path: string, issues: IssueList): number | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    issues.add(pointer(path, key), 'type', `${key} must be a whole number from 0, not ${show(value)}`);
    return undefined;
  }
  return value as number;
}

function optionalText(object: Record<string, unknown>, key: string, path: string, issues: IssueList): string {
  const value = object[key] ?? '';
  if (typeof value !== 'string') {
    issues.add(pointer(path, key), 'type', `${key} must be a string, not ${show(value)}`);
    return '';
  }
  if (value.length > MAX_DESCRIPTION_LENGTH) {
    issues.add(pointer(path, key), 'invalid_value', `${key} is ${value.length} characters long; at most ${MAX_DESCRIPTION_LENGTH} are allowed`);
  }
  return value;
}

function requiredOwner(object: Record<string, unknown>, path: string, issues: IssueList): string {
  const owner = object['owner'];
  if (typeof owner !== 'string' || owner.trim() === '') {
    issues.add(pointer(path, 'owner'), owner === undefined ? 'required' : 'type', 'owner (a team or person) is required');
    return '';
  }
  if (owner.length > 200) issues.add(pointer(path, 'owner'), 'invalid_value', 'owner has at most 200 characters');
  return owner;
}

/** A short, safe rendering of a value for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export type { EventBody, EnvironmentBody };
