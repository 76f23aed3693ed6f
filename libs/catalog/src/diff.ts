import { canonicalJson } from './canonical';
import { pointer } from './issues';
import type { EntityKind } from './model';

/**
 * A structured difference between two version bodies of one entity. Each change has a
 * JSON pointer and is judged: `breaking` means an event that was valid before may be
 * rejected now, or code built from the old version may no longer compile.
 */
export interface Change {
  op: 'add' | 'remove' | 'replace';
  path: string;
  before?: unknown;
  after?: unknown;
  breaking: boolean;
  /** Only the order changed: before and after list the same items. */
  reordered?: true;
}

const RAISING_BREAKS = new Set(['minLength', 'minimum', 'exclusiveMinimum', 'minItems']);
const LOWERING_BREAKS = new Set(['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems']);
const ADDING_BREAKS = new Set(['pattern', 'format', 'uniqueItems', 'enum', 'type', 'items']);

/** The changes from `before` to `after`; `before` undefined means the entity was just created. */
export function diffBodies(kind: EntityKind, before: unknown, after: unknown): Change[] {
  const changes: Omit<Change, 'breaking'>[] = [];
  walk(before, after, '', changes);
  return changes.map((change) => ({ ...change, breaking: before !== undefined && isBreaking(kind, change) }));
}

function walk(before: unknown, after: unknown, path: string, changes: Omit<Change, 'breaking'>[]): void {
  if (canonicalJson(before) === canonicalJson(after)) return;
  if (before === undefined) {
    changes.push({ op: 'add', path, after });
    return;
  }
  if (after === undefined) {
    changes.push({ op: 'remove', path, before });
    return;
  }
  if (isNamedList(before) && isNamedList(after)) {
    const old = new Map(before.map((item) => [item.name, item]));
    const now = new Map(after.map((item) => [item.name, item]));
    for (const name of new Set([...old.keys(), ...now.keys()])) walk(old.get(name), now.get(name), pointer(path, name), changes);
    reportReorder(before.map((item) => item.name), after.map((item) => item.name), path, changes);
    return;
  }
  if (isScalarList(before) && isScalarList(after) && path.endsWith('enum')) {
    for (const value of before) if (!after.includes(value)) changes.push({ op: 'remove', path, before: value });
    for (const value of after) if (!before.includes(value)) changes.push({ op: 'add', path, after: value });
    reportReorder(before, after, path, changes);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], pointer(path, key), changes);
    return;
  }
  changes.push({ op: 'replace', path, before, after });
}

/**
 * Order is part of a definition (constructors take required fields in declared order), so
 * the items both versions share, in a new order, are a change of their own.
 */
function reportReorder(before: unknown[], after: unknown[], path: string, changes: Omit<Change, 'breaking'>[]): void {
  const kept = before.filter((item) => after.includes(item));
  const now = after.filter((item) => before.includes(item));
  if (kept.some((item, index) => item !== now[index])) changes.push({ op: 'replace', path, before: kept, after: now, reordered: true });
}

function isBreaking(kind: EntityKind, change: Omit<Change, 'breaking'>): boolean {
  const segments = change.path.split('/').slice(1);
  // A new order of fields changes the typed constructors' parameters; a new order of enum values or events does not.
  if (change.reordered) return segments[0] === 'fields' || segments[0] === 'common_fields';
  if (kind === 'field') {
    const key = segments[segments.length - 1] ?? '';
    if (segments[0] === 'description' || segments[0] === 'examples' || segments[0] === 'pii') return false;
    if (key === 'enum') return change.op === 'remove' ? !Array.isArray(change.before) : Array.isArray(change.after);
    if (change.op === 'remove') return false;
    if (RAISING_BREAKS.has(key)) return change.op === 'add' || (change.after as number) > (change.before as number);
    if (LOWERING_BREAKS.has(key)) return change.op === 'add' || (change.after as number) < (change.before as number);
    return ADDING_BREAKS.has(key) || ADDING_BREAKS.has(segments[0] ?? '');
  }
  const [list, , property] = segments;
  if (list === 'description' || list === 'owner') return false;
  if (list === 'events') return change.op === 'remove' && property === undefined;
  // fields and common_fields: a new required field, a dropped field, or optional made required
  if (property === undefined) {
    if (change.op === 'remove') return true;
    return change.op === 'add' && (change.after as { required?: boolean }).required === true;
  }
  return property === 'required' && change.after === true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamedList(value: unknown): value is { name: string }[] {
  return Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item['name'] === 'string');
}

function isScalarList(value: unknown): value is (string | number | boolean)[] {
  return Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
}
