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

/**
 * Whether moving a reference from one version of a field or event to another (a re-pin)
 * is breaking. Only the catalog knows: the two versions' bodies decide (see repinJudge).
 */
export type RepinJudge = (kind: 'field' | 'event', name: string, before: number, after: number) => boolean;

/**
 * The changes from `before` to `after`; `before` undefined means the entity was just
 * created. Without a RepinJudge a re-pin is judged not breaking: the bodies alone cannot tell.
 */
export function diffBodies(kind: EntityKind, before: unknown, after: unknown, judgeRepin?: RepinJudge): Change[] {
  const changes: Omit<Change, 'breaking'>[] = [];
  walk(before, after, '', changes);
  return changes.map((change) => ({ ...change, breaking: before !== undefined && isBreaking(kind, change, judgeRepin) }));
}

/**
 * A RepinJudge over a catalog's bodies: a re-pin is breaking when the change between the
 * two pinned versions is, judged the same way (an environment re-pinning an event that
 * re-pins a field to a breaking version is breaking too). A version `body` does not know
 * is judged breaking: the careful answer.
 */
export function repinJudge(body: (kind: 'field' | 'event', name: string, version: number) => unknown): RepinJudge {
  const verdicts = new Map<string, boolean>();
  const judge: RepinJudge = (kind, name, before, after) => {
    const key = `${kind}:${name}@${before}>${after}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const from = body(kind, name, before);
      const to = body(kind, name, after);
      verdict = from === undefined || to === undefined || diffBodies(kind, from, to, judge).some((change) => change.breaking);
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  return judge;
}

/** The references an event or environment re-pins from `before` to `after`: what a RepinJudge will be asked about. */
export function repinsOf(kind: EntityKind, before: unknown, after: unknown): { kind: 'field' | 'event'; name: string; before: number; after: number }[] {
  if (kind === 'field' || !isPlainObject(before) || !isPlainObject(after)) return [];
  const repins: { kind: 'field' | 'event'; name: string; before: number; after: number }[] = [];
  for (const [list, refKind] of [['fields', 'field'], ['common_fields', 'field'], ['events', 'event']] as const) {
    const old = before[list];
    const now = after[list];
    if (!isNamedList(old) || !isNamedList(now)) continue;
    const versions = new Map(old.map((ref) => [ref.name, (ref as { version?: unknown }).version]));
    for (const ref of now) {
      const was = versions.get(ref.name);
      const is = (ref as { version?: unknown }).version;
      if (typeof was === 'number' && typeof is === 'number' && was !== is) repins.push({ kind: refKind, name: ref.name, before: was, after: is });
    }
  }
  return repins;
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

function isBreaking(kind: EntityKind, change: Omit<Change, 'breaking'>, judgeRepin: RepinJudge | undefined): boolean {
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
  const [list, name, property] = segments;
  if (list === 'description' || list === 'owner') return false;
  if (property === 'version' && change.op === 'replace' && typeof change.before === 'number' && typeof change.after === 'number' && name !== undefined) {
    return judgeRepin?.(list === 'events' ? 'event' : 'field', name, change.before, change.after) ?? false;
  }
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
