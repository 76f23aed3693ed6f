import type { Change } from './diff';
import { IssueList, pointer, type CatalogIssue, type Result } from './issues';
import type { EntityKind } from './model';
import { nameProblem } from './names';
import { expectObject, show } from './validate';

/**
 * Routing (DESIGN §4): which sinks get the events of an environment. Routes are part of the
 * catalog, versioned like everything else: a routing version is the whole list, so that
 * any past routing table can be read back as it was. Sinks themselves are named in the
 * collector's configuration, so the registry checks only the shape of a sink name.
 */

/** Stands for every event of the environment that has no route of its own. */
export const ANY_EVENT = '*';
export const SINK_NAME = /^[a-z0-9_-]{1,64}$/;
export const MAX_ROUTES = 100_000;
export const MAX_SINKS_PER_ROUTE = 32;

/** The same shape as the collector's RouteRecord (libs/collector), which cannot be imported here. */
export interface Route {
  environment: string;
  /** An event name, or "*". */
  event: string;
  sinks: string[];
}

export interface RoutingVersion {
  version: number;
  routes: Route[];
  author: string;
  message: string;
  created_at: string;
}

/** How a catalog file writes routes: environment → event (or "*") → sink names. */
export type RoutesSection = Record<string, Record<string, string[]>>;

/** Routes as the API takes them: `[{environment, event, sinks}]`, in the given order. */
export function parseRoutes(input: unknown, path = '/routes'): Result<Route[]> {
  const issues = new IssueList();
  if (!Array.isArray(input)) {
    issues.add(path, input === undefined ? 'required' : 'type', `routes must be a list of {environment, event, sinks}, not ${show(input)}`);
    return issues.result(undefined as never);
  }
  if (input.length > MAX_ROUTES) {
    issues.add(path, 'invalid_value', `at most ${MAX_ROUTES} routes, not ${input.length}`);
    return issues.result(undefined as never);
  }
  const routes: Route[] = [];
  const seen = new Map<string, number>();
  input.forEach((item: unknown, index) => {
    const at = pointer(path, index);
    const object = expectObject(item, at, issues);
    if (!object) return;
    for (const key of Object.keys(object)) {
      if (!['environment', 'event', 'sinks'].includes(key)) issues.add(pointer(at, key), 'unknown_property', `unknown property ${show(key)}; expected environment, event, sinks`);
    }
    const environment = object['environment'];
    const event = object['event'];
    const environmentOk = checkEnvironmentName(environment, pointer(at, 'environment'), issues);
    const eventOk = checkEventName(event, pointer(at, 'event'), issues);
    const sinks = parseSinks(object['sinks'], pointer(at, 'sinks'), issues);
    if (!environmentOk || !eventOk || !sinks) return;
    const key = `${environment as string}\u0000${event as string}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.add(at, 'duplicate', `a second route for ${environment as string} / ${event as string}; the first is ${pointer(path, first)}: put all their sinks in one route`);
      return;
    }
    seen.set(key, index);
    routes.push({ environment: environment as string, event: event as string, sinks });
  });
  return issues.result(routes);
}

/** The `routes:` section of a catalog file: `{ web-frontend: { '*': [file], item_viewed: [file, nats] } }`. */
export function parseRoutesSection(input: unknown, path = '/routes'): Result<Route[]> {
  const issues = new IssueList();
  // `routes:` with nothing after it would wipe the routing table: too easy to write by accident.
  if (input === null) {
    issues.add(path, 'type', 'routes is empty: write `routes: {}` to remove every route, or leave the section out to keep the routing as it is');
    return issues.result(undefined as never);
  }
  const environments = expectObject(input, path, issues);
  if (!environments) return issues.result(undefined as never);
  const routes: Route[] = [];
  for (const [environment, events] of Object.entries(environments)) {
    const at = pointer(path, environment);
    if (!checkEnvironmentName(environment, at, issues)) continue;
    const byEvent = expectObject(events, at, issues);
    if (!byEvent) continue;
    for (const [event, sinkList] of Object.entries(byEvent)) {
      const eventAt = pointer(at, event);
      if (!checkEventName(event, eventAt, issues)) continue;
      const sinks = parseSinks(sinkList, eventAt, issues);
      if (sinks) routes.push({ environment, event, sinks });
    }
  }
  if (routes.length > MAX_ROUTES) issues.add(path, 'invalid_value', `at most ${MAX_ROUTES} routes, not ${routes.length}`);
  return issues.result(normalizeRoutes(routes));
}

function checkEnvironmentName(name: unknown, at: string, issues: IssueList): boolean {
  const problem = nameProblem('environment', name);
  if (problem) issues.add(at, name === undefined ? 'required' : 'invalid_name', problem);
  return problem === null;
}

function checkEventName(name: unknown, at: string, issues: IssueList): boolean {
  if (name === ANY_EVENT) return true;
  const problem = nameProblem('event', name);
  if (problem) issues.add(at, name === undefined ? 'required' : 'invalid_name', `${problem}, or "${ANY_EVENT}" for every event of the environment`);
  return problem === null;
}

function parseSinks(input: unknown, at: string, issues: IssueList): string[] | null {
  if (!Array.isArray(input)) {
    issues.add(at, input === undefined ? 'required' : 'type', `sinks must be a list of sink names such as [file, nats], not ${show(input)}`);
    return null;
  }
  // An empty list would acknowledge events and write them nowhere: never what anyone means.
  if (input.length === 0) {
    issues.add(at, 'invalid_value', 'a route needs at least one sink');
    return null;
  }
  if (input.length > MAX_SINKS_PER_ROUTE) {
    issues.add(at, 'invalid_value', `a route has at most ${MAX_SINKS_PER_ROUTE} sinks, not ${input.length}`);
    return null;
  }
  let ok = true;
  input.forEach((sink: unknown, index) => {
    if (typeof sink !== 'string' || !SINK_NAME.test(sink)) {
      issues.add(pointer(at, index), typeof sink === 'string' ? 'invalid_name' : 'type', `a sink name is 1 to 64 lower-case letters, digits, "_" or "-" (as named in the collector's configuration), not ${show(sink)}`);
      ok = false;
    } else if (input.indexOf(sink) !== index) {
      issues.add(pointer(at, index), 'duplicate', `sink ${sink} is listed twice`);
      ok = false;
    }
  });
  return ok ? [...(input as string[])] : null;
}

/**
 * One canonical order (by environment, then event with "*" first; sinks sorted), so that
 * two routing tables that say the same compare equal whatever order they were written in.
 */
export function normalizeRoutes(routes: Route[]): Route[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return routes
    .map((route) => ({ environment: route.environment, event: route.event, sinks: [...route.sinks].sort(compare) }))
    .sort((a, b) => compare(a.environment, b.environment) || (a.event === ANY_EVENT ? -1 : b.event === ANY_EVENT ? 1 : compare(a.event, b.event)));
}

export function sameRoutes(a: Route[], b: Route[]): boolean {
  return JSON.stringify(normalizeRoutes(a)) === JSON.stringify(normalizeRoutes(b));
}

/**
 * The routes that name an environment or an event the catalog does not have. `at` says
 * where each route was written, so the issue points at the caller's own input.
 */
export function routeReferenceIssues(
  routes: Route[],
  exists: (kind: EntityKind, name: string) => boolean,
  at: (route: Route, index: number, part: 'environment' | 'event') => string,
): CatalogIssue[] {
  const issues = new IssueList();
  const reported = new Set<string>();
  routes.forEach((route, index) => {
    const place = at(route, index, 'environment');
    // A file names an environment once for all its routes: say so once.
    if (!exists('environment', route.environment) && !reported.has(place)) {
      reported.add(place);
      issues.add(place, 'unknown_reference', `there is no environment named ${route.environment}`);
    }
    if (route.event !== ANY_EVENT && !exists('event', route.event)) {
      issues.add(at(route, index, 'event'), 'unknown_reference', `there is no event named ${route.event}`);
    }
  });
  return issues.issues;
}

/** Where a route of a catalog file's `routes:` section was written. */
export function routePlaceInFile(route: Route, _index: number, part: 'environment' | 'event'): string {
  const environment = pointer('/routes', route.environment);
  return part === 'environment' ? environment : pointer(environment, route.event);
}

/** The file form of a routing table. */
export function routesSection(routes: Route[]): RoutesSection {
  const section: RoutesSection = {};
  for (const route of normalizeRoutes(routes)) (section[route.environment] ??= {})[route.event] = route.sinks;
  return section;
}

/**
 * What changed between two routing tables, one change per environment/event whose sinks
 * changed (`/routes/web-frontend/item_viewed`). Routing never breaks a sender, so no change
 * is breaking.
 */
export function diffRoutes(before: Route[] | undefined, after: Route[]): Change[] {
  const key = (route: Route) => pointer(pointer('/routes', route.environment), route.event);
  const old = new Map(normalizeRoutes(before ?? []).map((route) => [key(route), route.sinks]));
  const now = new Map(normalizeRoutes(after).map((route) => [key(route), route.sinks]));
  const changes: Change[] = [];
  for (const path of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const was = old.get(path);
    const is = now.get(path);
    if (was === undefined) changes.push({ op: 'add', path, after: is, breaking: false });
    else if (is === undefined) changes.push({ op: 'remove', path, before: was, breaking: false });
    else if (JSON.stringify(was) !== JSON.stringify(is)) changes.push({ op: 'replace', path, before: was, after: is, breaking: false });
  }
  return changes;
}
