import { parse, stringify } from 'yaml';
import { loadFixture } from '../test/load-fixture';
import { exportCatalogFile, parseCatalogFile, planApply, type CatalogFile } from './catalog-file';
import type { CatalogIssue } from './issues';
import type { EntityVersion } from './model';
import { diffRoutes, normalizeRoutes, parseRoutes, parseRoutesSection, routeReferenceIssues, routesSection, sameRoutes, type Route } from './routes';
import { InMemoryCatalog } from './snapshot';

interface Case {
  name: string;
  input: unknown;
  issues: Pick<CatalogIssue, 'path' | 'code'>[];
}

const cases = loadFixture<{ list: Case[]; section: Case[] }>('routes.json');

function issuesOf(result: { ok: true } | { ok: false; issues: CatalogIssue[] }): Pick<CatalogIssue, 'path' | 'code'>[] {
  return result.ok ? [] : result.issues.map(({ path, code }) => ({ path, code }));
}

describe('routes as the API takes them (a list)', () => {
  test.each(cases.list)('$name', ({ input, issues }) => {
    const result = parseRoutes(input);
    expect(issuesOf(result)).toEqual(issues);
    if (!result.ok) for (const issue of result.issues) expect(issue.message).not.toBe('');
  });
});

describe('the routes: section of a catalog file', () => {
  test.each(cases.section)('$name', ({ input, issues }) => {
    expect(issuesOf(parseRoutesSection(input))).toEqual(issues);
  });

  test('a file without routes: has no routes; one with them has them in canonical order', () => {
    const without = parseCatalogFile({ fields: {} });
    expect(without.ok && without.value.routes).toBeUndefined();
    const withRoutes = parseCatalogFile({ routes: { 'web-frontend': { item_viewed: ['nats', 'file'], '*': ['file'] }, 'ios-app': { '*': ['file'] } } });
    expect(withRoutes.ok && withRoutes.value.routes).toEqual([
      { environment: 'ios-app', event: '*', sinks: ['file'] },
      { environment: 'web-frontend', event: '*', sinks: ['file'] },
      { environment: 'web-frontend', event: 'item_viewed', sinks: ['file', 'nats'] },
    ]);
  });

  test('a problem in routes: is reported at its place in the file, with the rest of the file', () => {
    const result = parseCatalogFile({ fields: { UserId: { type: 'string' } }, routes: { 'web-frontend': { '*': ['Bad'] } } });
    expect(issuesOf(result)).toEqual([
      { path: '/fields/UserId', code: 'invalid_name' },
      { path: '/routes/web-frontend/*/0', code: 'invalid_name' },
    ]);
  });
});

describe('comparing and diffing routing tables', () => {
  const table: Route[] = [
    { environment: 'web-frontend', event: 'item_viewed', sinks: ['nats', 'file'] },
    { environment: 'ios-app', event: '*', sinks: ['file'] },
    { environment: 'web-frontend', event: '*', sinks: ['file'] },
  ];

  test('the order of routes and of sinks does not matter', () => {
    expect(normalizeRoutes(table).map((route) => `${route.environment}/${route.event}=${route.sinks.join(',')}`)).toEqual([
      'ios-app/*=file',
      'web-frontend/*=file',
      'web-frontend/item_viewed=file,nats',
    ]);
    expect(sameRoutes(table, [...table].reverse())).toBe(true);
    expect(sameRoutes(table, table.slice(1))).toBe(false);
    expect(sameRoutes(table, [{ ...(table[0] as Route), sinks: ['file'] }, ...table.slice(1)])).toBe(false);
  });

  test('one change per environment and event whose sinks changed, none breaking', () => {
    const after: Route[] = [
      { environment: 'web-frontend', event: '*', sinks: ['file'] },
      { environment: 'web-frontend', event: 'item_viewed', sinks: ['file'] },
      { environment: 'backend-items', event: '*', sinks: ['nats'] },
    ];
    expect(diffRoutes(table, after)).toEqual([
      { op: 'add', path: '/routes/backend-items/*', after: ['nats'], breaking: false },
      { op: 'remove', path: '/routes/ios-app/*', before: ['file'], breaking: false },
      { op: 'replace', path: '/routes/web-frontend/item_viewed', before: ['file', 'nats'], after: ['file'], breaking: false },
    ]);
    expect(diffRoutes(undefined, table)).toHaveLength(3);
    expect(diffRoutes(table, [...table].reverse())).toEqual([]);
  });

  test('routes naming what the catalog does not have are found, at the caller\'s places', () => {
    const exists = (kind: string, name: string) => (kind === 'environment' ? name === 'web-frontend' : name === 'item_viewed');
    const issues = routeReferenceIssues(
      [...table, { environment: 'web-frontend', event: 'cart_opened', sinks: ['file'] }],
      exists,
      (_route, index, part) => `/routes/${index}/${part}`,
    );
    expect(issues.map(({ path, code }) => ({ path, code }))).toEqual([
      { path: '/routes/1/environment', code: 'unknown_reference' },
      { path: '/routes/3/event', code: 'unknown_reference' },
    ]);
  });
});

describe('routes in applying and exporting a catalog file', () => {
  const base = {
    message: 'Routes',
    fields: { item_id: { type: 'integer' } },
    events: { item_viewed: { owner: 'team-items', fields: { item_id: 'required' } } },
    environments: { 'web-frontend': { owner: 'team-web', events: ['item_viewed'] } },
    routes: { 'web-frontend': { '*': ['file'], item_viewed: ['file', 'nats'] } },
  };
  const file = (text: unknown): CatalogFile => {
    const result = parseCatalogFile(text);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.value;
  };
  const stored = (): EntityVersion[] => {
    const result = planApply(file(base), new InMemoryCatalog([]), 'm');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.value.versions.map((entry) => ({ ...entry, author: 'a', message: 'm', created_at: '2026-01-01T00:00:00.000Z' }) as EntityVersion);
  };

  test('routes that name entities the same file creates plan routing version 1', () => {
    const result = planApply(file(base), new InMemoryCatalog([]), 'm');
    expect(result.ok && result.value.routing).toEqual({
      version: 1,
      routes: [
        { environment: 'web-frontend', event: '*', sinks: ['file'] },
        { environment: 'web-frontend', event: 'item_viewed', sinks: ['file', 'nats'] },
      ],
      changes: [
        { op: 'add', path: '/routes/web-frontend/*', after: ['file'], breaking: false },
        { op: 'add', path: '/routes/web-frontend/item_viewed', after: ['file', 'nats'], breaking: false },
      ],
    });
  });

  test('the same routes as the latest routing version plan nothing; different ones the next version', () => {
    const latest = { version: 4, routes: [...(file(base).routes as Route[])].reverse() };
    const same = planApply(file(base), new InMemoryCatalog(stored()), 'm', latest);
    expect(same.ok && same.value).toEqual({ message: 'm', versions: [] });
    const changed = planApply(file({ ...base, routes: { 'web-frontend': { '*': ['nats'] } } }), new InMemoryCatalog(stored()), 'm', latest);
    expect(changed.ok && changed.value.routing?.version).toBe(5);
    expect(changed.ok && changed.value.routing?.routes).toEqual([{ environment: 'web-frontend', event: '*', sinks: ['nats'] }]);
  });

  test('a file without routes: leaves routing alone; routes: {} empties it', () => {
    const latest = { version: 1, routes: file(base).routes as Route[] };
    const { routes: _dropped, ...withoutRoutes } = base;
    const left = planApply(file(withoutRoutes), new InMemoryCatalog(stored()), 'm', latest);
    expect(left.ok && left.value.routing).toBeUndefined();
    const emptied = planApply(file({ ...withoutRoutes, routes: {} }), new InMemoryCatalog(stored()), 'm', latest);
    expect(emptied.ok && emptied.value.routing).toMatchObject({ version: 2, routes: [] });
  });

  test('routes naming an environment or event that exists nowhere are refused at their place', () => {
    const result = planApply(file({ routes: { 'web-frontend': { '*': ['file'] }, 'ios-app': { item_viewed: ['file'], cart_opened: ['file'] } } }), new InMemoryCatalog(stored()), 'm');
    expect(issuesOf(result)).toEqual([
      { path: '/routes/ios-app', code: 'unknown_reference' },
      { path: '/routes/ios-app/cart_opened', code: 'unknown_reference' },
    ]);
  });

  test('export writes the routing table as a routes: section that survives YAML and applies as a no-op', () => {
    const routes = file(base).routes as Route[];
    const exported = exportCatalogFile(stored(), routes);
    expect(exported.routes).toEqual({ 'web-frontend': { '*': ['file'], item_viewed: ['file', 'nats'] } });
    const yaml = stringify(exported, { lineWidth: 0 });
    const reread = file(parse(yaml));
    expect(reread.routes).toEqual(routes);
    const again = planApply(reread, new InMemoryCatalog(stored()), 'm', { version: 1, routes });
    expect(again.ok && again.value).toEqual({ message: 'm', versions: [] });
    expect(exportCatalogFile(stored()).routes).toBeUndefined();
    expect(routesSection([])).toEqual({});
  });
});
