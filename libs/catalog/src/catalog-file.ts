import { deepEqual } from './canonical';
import { diffBodies, repinJudge, type Change } from './diff';
import { IssueList, pointer, type CatalogIssue, type Result } from './issues';
import type { BodyOf, EntityKind, EntityVersion, EnvironmentBody, EventBody, FieldBody, FieldRef } from './model';
import { nameProblem } from './names';
import { findFieldClashes, resolveEnvironmentDraft, resolveEventDraft, type VersionIndex } from './references';
import {
  diffRoutes,
  normalizeRoutes,
  parseRoutesSection,
  routePlaceInFile,
  routeReferenceIssues,
  routesSection,
  sameRoutes,
  type Route,
  type RoutesSection,
} from './routes';
import {
  expectObject,
  parseEnvironmentDraft,
  parseEventDraft,
  parseFieldBody,
  show,
  type EnvironmentDraft,
  type EventDraft,
  type FieldRefDraft,
} from './validate';

/**
 * Catalog as code (DESIGN §7): the file a team keeps in git, how it is read, how applying
 * it is planned against the registry's latest versions, and how the registry is exported
 * back to one. Planning is pure so that --dry-run and the real apply agree by construction.
 */

export interface CatalogFile {
  message?: string;
  fields: Record<string, FieldBody>;
  events: Record<string, EventDraft>;
  environments: Record<string, EnvironmentDraft>;
  /** The whole routing table the file asks for; absent when the file has no `routes:` section. */
  routes?: Route[];
}

/** The shape of the file as written: references as `name: required` maps and event lists. */
export interface CatalogFileText {
  message?: string;
  fields?: Record<string, Record<string, unknown>>;
  events?: Record<string, { owner: string; description?: string; fields?: Record<string, string> }>;
  environments?: Record<
    string,
    { owner: string; description?: string; common_fields?: Record<string, string>; events?: string[] }
  >;
  routes?: RoutesSection;
}

export function parseCatalogFile(input: unknown): Result<CatalogFile> {
  const issues = new IssueList();
  const object = expectObject(input ?? {}, '', issues);
  if (!object) return issues.result(undefined as never);
  for (const key of Object.keys(object)) {
    if (!['message', 'fields', 'events', 'environments', 'routes'].includes(key)) {
      issues.add(pointer('', key), 'unknown_property', `unknown section ${show(key)}; expected message, fields, events, environments, routes`);
    }
  }
  const message = object['message'];
  if (message !== undefined && (typeof message !== 'string' || message.trim() === '')) {
    issues.add('/message', 'type', 'message must be a non-empty string');
  }
  const file: CatalogFile = { fields: {}, events: {}, environments: {} };
  if (typeof message === 'string' && message.trim() !== '') file.message = message;

  for (const [name, body, at] of section(object, 'fields', 'field', issues)) {
    absorb(parseFieldBody(body, at), issues, (value) => (file.fields[name] = value));
  }
  for (const [name, body, at] of section(object, 'events', 'event', issues)) {
    const refs = fieldRefMap(body['fields'], pointer(at, 'fields'), issues);
    const parsed = parseEventDraft({ ...body, fields: refs }, at);
    if (!parsed.ok) parsed.issues = atFilePlaces(parsed.issues, at, { fields: keysOf(body['fields']) });
    absorb(parsed, issues, (value) => (file.events[name] = value));
  }
  for (const [name, body, at] of section(object, 'environments', 'environment', issues)) {
    const common = fieldRefMap(body['common_fields'], pointer(at, 'common_fields'), issues);
    const events = eventRefList(body['events'], pointer(at, 'events'), issues);
    const parsed = parseEnvironmentDraft({ ...body, common_fields: common, events }, at);
    if (!parsed.ok) parsed.issues = atFilePlaces(parsed.issues, at, { common_fields: keysOf(body['common_fields']), events: null });
    absorb(parsed, issues, (value) => (file.environments[name] = value));
  }
  if (object['routes'] !== undefined) absorb(parseRoutesSection(object['routes']), issues, (value) => (file.routes = value));
  return issues.result(file);
}

function* section(
  object: Record<string, unknown>,
  key: string,
  kind: EntityKind,
  issues: IssueList,
): Generator<[string, Record<string, unknown>, string]> {
  const entries = object[key];
  if (entries === undefined || entries === null) return;
  const sectionObject = expectObject(entries, pointer('', key), issues);
  if (!sectionObject) return;
  for (const [name, body] of Object.entries(sectionObject)) {
    const at = pointer(pointer('', key), name);
    const problem = nameProblem(kind, name);
    if (problem) {
      issues.add(at, 'invalid_name', problem);
      continue;
    }
    const bodyObject = expectObject(body, at, issues);
    if (bodyObject) yield [name, bodyObject, at];
  }
}

function absorb<T>(result: Result<T>, issues: IssueList, use: (value: T) => void): void {
  if (result.ok) use(result.value);
  else issues.issues.push(...result.issues);
}

/**
 * A file writes references as `name: required` maps and `name@2` lists, but they are
 * checked in their list form ({name, version, required}). This points an issue about
 * the n-th reference of a list under `base` back at the file's own place for it: the
 * map's key (`keys`), or the list's n-th item (`null`).
 */
function atFilePlaces(issues: CatalogIssue[], base: string, lists: Record<string, readonly string[] | null>): CatalogIssue[] {
  return issues.map((issue) => {
    for (const [list, keys] of Object.entries(lists)) {
      const listPath = pointer(base, list);
      if (!issue.path.startsWith(`${listPath}/`)) continue;
      const index = issue.path.slice(listPath.length + 1).split('/')[0] ?? '';
      const key = keys === null ? index : keys[Number(index)];
      return key === undefined ? issue : { ...issue, path: pointer(listPath, key) };
    }
    return issue;
  });
}

function keysOf(input: unknown): string[] {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? Object.keys(input) : [];
}

/** How a reference is written in a file: `name`, or `name@3` when pinned. */
function pinText(ref: { name: string; version?: number }): string {
  return ref.version === undefined ? ref.name : `${ref.name}@${ref.version}`;
}

/** `name` or `name@3`, as written in a file. */
function splitPin(text: string): { name: string; version?: number } {
  const match = /^(.*)@(\d+)$/.exec(text);
  return match ? { name: match[1] as string, version: Number(match[2]) } : { name: text };
}

function fieldRefMap(input: unknown, path: string, issues: IssueList): unknown {
  if (input === undefined || input === null) return [];
  const object = expectObject(input, path, issues);
  if (!object) return [];
  return Object.entries(object).map(([key, flag]) => {
    if (flag !== 'required' && flag !== 'optional') {
      issues.add(pointer(path, key), 'invalid_value', `write "required" or "optional", not ${show(flag)}`);
    }
    return { ...splitPin(key), required: flag === 'required' };
  });
}

function eventRefList(input: unknown, path: string, issues: IssueList): unknown {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) {
    issues.add(path, 'type', 'events must be a list of event names');
    return [];
  }
  return input.map((item, index) => {
    if (typeof item !== 'string') {
      issues.add(pointer(path, index), 'type', `expected an event name, not ${show(item)}`);
      return { name: '' };
    }
    return splitPin(item);
  });
}

/** The registry's current state as the planner needs it: the latest version of each entity. */
export interface CatalogState {
  latest<K extends EntityKind>(kind: K, name: string): { version: number; body: BodyOf[K] } | undefined;
  /** Any version, for events referenced by environments at an older pin. */
  body<K extends EntityKind>(kind: K, name: string, version: number): BodyOf[K] | undefined;
}

export interface PlannedVersion<K extends EntityKind = EntityKind> {
  kind: K;
  name: string;
  version: number;
  body: BodyOf[K];
  changes: Change[];
}

/** A new routing version: the whole table, and what changed from the latest one. */
export interface PlannedRouting {
  version: number;
  routes: Route[];
  changes: Change[];
}

export interface ApplyPlan {
  message: string;
  versions: PlannedVersion[];
  /** Present only when the file's routes differ from the registry's latest routing version. */
  routing?: PlannedRouting;
}

/** The registry's latest routing version (undefined: no routing version yet). */
export type LatestRouting = { version: number; routes: Route[] } | undefined;

/**
 * What applying `file` would create: for each entity in the file whose definition differs
 * from its latest version, the next version. References without a pin point at the latest
 * version after the apply, so a changed field cascades to the events and environments
 * of the file that carry it.
 */
export function planApply(file: CatalogFile, state: CatalogState, message: string, routing: LatestRouting = undefined): Result<ApplyPlan> {
  const issues = new IssueList();
  const versions: PlannedVersion[] = [];
  const planned = new Map<string, { version: number; body: unknown }>();
  const key = (kind: EntityKind, name: string) => `${kind}:${name}`;

  // Re-pins are judged by the versions they move between, the planned ones included.
  const judgeRepin = repinJudge((kind, name, version) => {
    const mine = planned.get(key(kind, name));
    return mine && mine.version === version ? mine.body : state.body(kind, name, version);
  });
  const plan = <K extends EntityKind>(kind: K, name: string, body: BodyOf[K]): void => {
    const latest = state.latest(kind, name);
    if (latest && deepEqual(latest.body, body)) {
      planned.set(key(kind, name), latest);
      return;
    }
    const version = (latest?.version ?? 0) + 1;
    versions.push({ kind, name, version, body, changes: diffBodies(kind, latest?.body, body, judgeRepin) });
    planned.set(key(kind, name), { version, body });
  };

  const index: VersionIndex = {
    latest: (kind, name) => planned.get(key(kind, name))?.version ?? state.latest(kind, name)?.version,
  };
  const eventBody = (name: string, version: number): EventBody | undefined => {
    const mine = planned.get(key('event', name));
    return mine && mine.version === version ? (mine.body as EventBody) : state.body('event', name, version);
  };

  for (const [name, body] of sorted(file.fields)) plan('field', name, body);
  for (const [name, draft] of sorted(file.events)) {
    const path = pointer('/events', name);
    const resolved = resolveEventDraft(draft, index, path);
    if (resolved.ok) plan('event', name, resolved.value);
    else issues.issues.push(...atFilePlaces(resolved.issues, path, { fields: draft.fields.map(pinText) }));
  }
  for (const [name, draft] of sorted(file.environments)) {
    const path = pointer('/environments', name);
    const places = { common_fields: draft.common_fields.map(pinText), events: null };
    const resolved = resolveEnvironmentDraft(draft, index, path);
    if (!resolved.ok) {
      issues.issues.push(...atFilePlaces(resolved.issues, path, places));
      continue;
    }
    const clashes = environmentClashes(resolved.value, eventBody, path);
    if (clashes.length > 0) issues.issues.push(...atFilePlaces(clashes, path, places));
    else plan('environment', name, resolved.value);
  }
  const plannedRouting = file.routes === undefined ? undefined : planRouting(file, file.routes, state, routing, issues);
  return issues.result({ message, versions, ...(plannedRouting ? { routing: plannedRouting } : {}) });
}

/** A file's routes may name what the registry has or what the file itself creates. */
function planRouting(file: CatalogFile, routes: Route[], state: CatalogState, latest: LatestRouting, issues: IssueList): PlannedRouting | undefined {
  const inFile = (kind: EntityKind, name: string) => (kind === 'event' ? name in file.events : kind === 'environment' ? name in file.environments : name in file.fields);
  const problems = routeReferenceIssues(routes, (kind, name) => inFile(kind, name) || state.latest(kind, name) !== undefined, routePlaceInFile);
  if (problems.length > 0) {
    issues.issues.push(...problems);
    return undefined;
  }
  if (sameRoutes(routes, latest?.routes ?? [])) return undefined;
  return { version: (latest?.version ?? 0) + 1, routes: normalizeRoutes(routes), changes: diffRoutes(latest?.routes, routes) };
}

/** Clashes between an environment's common fields and the fields of the events it sends. */
export function environmentClashes(
  body: EnvironmentBody,
  eventBody: (name: string, version: number) => EventBody | undefined,
  path = '',
): CatalogIssue[] {
  const events = body.events.map((ref) => ({ ...ref, fields: eventBody(ref.name, ref.version)?.fields ?? [] }));
  return findFieldClashes(body.common_fields, events, path);
}

function sorted<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The file form of the registry's latest versions. A reference is written with its pin
 * only when it does not point at the latest version, so export followed by apply is a no-op.
 */
export function exportCatalogFile(latest: EntityVersion[], routes?: Route[]): CatalogFileText {
  const newest = new Map(latest.map((entry) => [`${entry.kind}:${entry.name}`, entry.version]));
  const refName = (kind: EntityKind, ref: { name: string; version: number }) =>
    newest.get(`${kind}:${ref.name}`) === ref.version ? ref.name : `${ref.name}@${ref.version}`;
  const refMap = (refs: FieldRef[]) =>
    Object.fromEntries(refs.map((ref) => [refName('field', ref), ref.required ? 'required' : 'optional']));

  const file: Required<Omit<CatalogFileText, 'message' | 'routes'>> = { fields: {}, events: {}, environments: {} };
  const byName = [...latest].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of byName) {
    if (entry.kind === 'field') {
      file.fields[entry.name] = withoutDefaults(entry.body as FieldBody);
    } else if (entry.kind === 'event') {
      const body = entry.body as EventBody;
      file.events[entry.name] = { owner: body.owner, ...describe(body.description), fields: refMap(body.fields) };
    } else {
      const body = entry.body as EnvironmentBody;
      file.environments[entry.name] = {
        owner: body.owner,
        ...describe(body.description),
        common_fields: refMap(body.common_fields),
        events: body.events.map((ref) => refName('event', ref)),
      };
    }
  }
  // Without a routing version there is nothing to export: a file without `routes:` leaves routing alone.
  return routes === undefined ? file : { ...file, routes: routesSection(routes) };
}

function describe(description: string): { description?: string } {
  return description === '' ? {} : { description };
}

function withoutDefaults(body: FieldBody): Record<string, unknown> {
  const { description, examples, pii, ...type } = body;
  return {
    ...type,
    ...describe(description),
    ...(examples.length > 0 ? { examples } : {}),
    ...(pii !== 'none' ? { pii } : {}),
  };
}

export type { FieldRefDraft };
