import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

/** A catalog file with two environments and two events; `routes` added when given. */
const catalog = (routes?: Record<string, Record<string, string[]>>, extra: Record<string, unknown> = {}) => ({
  message: 'Item pages',
  fields: { item_id: { type: 'integer' }, query: { type: 'string' } },
  events: {
    item_viewed: { owner: 'team-items', fields: { item_id: 'required' } },
    search_performed: { owner: 'team-search', fields: { query: 'required' } },
  },
  environments: {
    'web-frontend': { owner: 'team-web', events: ['item_viewed', 'search_performed'] },
    'ios-app': { owner: 'team-mobile', events: ['search_performed'] },
  },
  ...(routes !== undefined ? { routes } : {}),
  ...extra,
});

/** Routes are part of the catalog (DESIGN §4, issue 4): versioned, append-only, applied and exported with it. */
describe.each(databaseModes())('routes on the %s database', (mode) => {
  let registry: StartedTestRegistry;
  let viewer: string;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    expectStatus(await registry.call('POST', '/api/admin/users', { username: 'vi', role: 'viewer' }), 201);
    viewer = expectStatus(await registry.call('POST', '/api/admin/tokens', { name: 'viewer', username: 'vi', scopes: ['read'] }), 201).token;
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const apply = (body: Record<string, unknown>) => registry.call('POST', '/api/catalog/apply', body);
  const routingRows = async () => (await registry.sql(`SELECT version, routes, author, message FROM routing_versions ORDER BY version`)) as { version: number; routes: unknown; author: string; message: string }[];

  describe('through catalog files', () => {
    test('a file with routes: creates its entities and routing version 1 in one apply', async () => {
      const routes = { 'web-frontend': { item_viewed: ['nats', 'file'], '*': ['file'] }, 'ios-app': { '*': ['file'] } };
      const dry = expectStatus(await apply({ catalog: catalog(routes), dry_run: true }), 200);
      expect(dry.routing).toMatchObject({ version: 1 });
      expect(await routingRows()).toEqual([]);

      const plan = expectStatus(await apply({ catalog: catalog(routes) }), 200);
      expect(plan.versions).toHaveLength(6);
      expect(plan.routing).toEqual({
        version: 1,
        routes: [
          { environment: 'ios-app', event: '*', sinks: ['file'] },
          { environment: 'web-frontend', event: '*', sinks: ['file'] },
          { environment: 'web-frontend', event: 'item_viewed', sinks: ['file', 'nats'] },
        ],
        changes: expect.arrayContaining([{ op: 'add', path: '/routes/web-frontend/item_viewed', after: ['file', 'nats'], breaking: false }]),
      });
      const latest = expectStatus(await registry.call('GET', '/api/routes', undefined, null), 200);
      expect(latest).toMatchObject({ version: 1, routes: plan.routing.routes, author: 'admin', message: 'Item pages', created_at: expect.stringMatching(/^\d{4}-/) });
    });

    test('the same routes written in another order change nothing; different ones make the next version', async () => {
      const same = expectStatus(await apply({ catalog: catalog({ 'ios-app': { '*': ['file'] }, 'web-frontend': { '*': ['file'], item_viewed: ['file', 'nats'] } }) }), 200);
      expect(same).toEqual({ dry_run: false, message: 'Item pages', versions: [] });
      const changed = expectStatus(
        await apply({ catalog: catalog({ 'ios-app': { '*': ['file'] }, 'web-frontend': { '*': ['file'], item_viewed: ['nats'] } }), message: 'Item views to NATS only' }),
        200,
      );
      expect(changed.versions).toEqual([]);
      expect(changed.routing).toMatchObject({ version: 2, changes: [{ op: 'replace', path: '/routes/web-frontend/item_viewed', before: ['file', 'nats'], after: ['nats'], breaking: false }] });
      expect((await routingRows()).map((row) => [row.version, row.message])).toEqual([
        [1, 'Item pages'],
        [2, 'Item views to NATS only'],
      ]);
    });

    test('a file without routes: leaves the routing alone', async () => {
      const plan = expectStatus(await apply({ catalog: catalog(undefined, { fields: { item_id: { type: 'integer', minimum: 1 }, query: { type: 'string' } } }), message: 'Positive ids' }), 200);
      expect(plan.versions.map((version: { kind: string; name: string }) => `${version.kind}:${version.name}`)).toEqual(['field:item_id', 'event:item_viewed', 'environment:web-frontend']);
      expect(plan.routing).toBeUndefined();
      expect(await routingRows()).toHaveLength(2);
    });

    test('routes naming what does not exist, or a bad sink, fail the whole apply at their places', async () => {
      const before = (await registry.sql(`SELECT count(*)::int AS n FROM catalog_versions`))[0]?.['n'];
      const unknown = expectError(
        await apply({ catalog: catalog({ 'android-app': { '*': ['file'] }, 'web-frontend': { cart_opened: ['file'] } }, { fields: { item_id: { type: 'number' }, query: { type: 'string' } } }) }),
        400,
      );
      expect(unknown.issues?.map(({ path, code }) => ({ path, code }))).toEqual([
        { path: '/routes/android-app', code: 'unknown_reference' },
        { path: '/routes/web-frontend/cart_opened', code: 'unknown_reference' },
      ]);
      expectError(await apply({ catalog: catalog({ 'web-frontend': { '*': ['File Sink'] } }) }), 400, '/routes/web-frontend/*/0', 'invalid_name');
      expectError(await apply({ catalog: catalog({ 'web-frontend': { '*': [] } }) }), 400, '/routes/web-frontend/*', 'invalid_value');
      expectError(await apply({ catalog: { ...catalog(), routes: null } }), 400, '/routes', 'type');
      expect((await registry.sql(`SELECT count(*)::int AS n FROM catalog_versions`))[0]?.['n']).toBe(before);
      expect(await routingRows()).toHaveLength(2);
    });

    test('export writes the routes: section, and applying the export changes nothing', async () => {
      const exported = expectStatus(await registry.call('GET', '/api/catalog/export'), 200);
      expect(exported.routes).toEqual({ 'ios-app': { '*': ['file'] }, 'web-frontend': { '*': ['file'], item_viewed: ['nats'] } });
      const plan = expectStatus(await apply({ catalog: exported }), 200);
      expect(plan).toEqual({ dry_run: false, message: '', versions: [] });
      const snapshot = expectStatus(await registry.call('GET', '/api/catalog/snapshot'), 200);
      expect(snapshot.routes).toEqual((await registry.call('GET', '/api/routes')).body.routes);
    });
  });

  describe('through the API', () => {
    const post = (body: unknown, token?: string | null) => registry.call('POST', '/api/routes/versions', body, token);

    test('a new routing version is the whole table, stored in canonical order', async () => {
      const answer = expectStatus(
        await post({
          routes: [
            { environment: 'web-frontend', event: 'search_performed', sinks: ['file', 'nats'] },
            { environment: 'web-frontend', event: '*', sinks: ['file'] },
          ],
          message: 'Searches to NATS; iOS to the default sinks',
        }),
        201,
      );
      expect(answer).toMatchObject({
        version: 3,
        routes: [
          { environment: 'web-frontend', event: '*', sinks: ['file'] },
          { environment: 'web-frontend', event: 'search_performed', sinks: ['file', 'nats'] },
        ],
        author: 'admin',
        message: 'Searches to NATS; iOS to the default sinks',
      });
      expect(expectStatus(await registry.call('GET', '/api/routes'), 200)).toEqual(answer);
      expect(expectStatus(await registry.call('GET', '/api/routes/versions/3'), 200)).toEqual(answer);
      expect(expectStatus(await registry.call('GET', '/api/routes/versions/1'), 200).routes).toHaveLength(3);
      const history = expectStatus(await registry.call('GET', '/api/routes/versions'), 200) as { version: number }[];
      expect(history.map((entry) => entry.version)).toEqual([3, 2, 1]);
    });

    test('the same table again is "unchanged"; a stale expected version is a conflict', async () => {
      const same = { routes: [{ environment: 'web-frontend', event: '*', sinks: ['file'] }, { environment: 'web-frontend', event: 'search_performed', sinks: ['nats', 'file'] }], message: 'Again' };
      expect(expectError(await post(same), 409).error).toBe('unchanged');
      expect(expectError(await post({ routes: [], message: 'Stale', version: 3 }), 409).error).toBe('version_conflict');
      expect(await routingRows()).toHaveLength(3);
    });

    test('two writers racing for the same next version: one 201, one 409', async () => {
      const answers = await Promise.all(
        ['file', 'nats'].map((sink) => post({ routes: [{ environment: 'ios-app', event: '*', sinks: [sink] }], message: `Race ${sink}`, version: 4 })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      expect((await routingRows()).map((row) => row.version)).toEqual([1, 2, 3, 4]);
    });

    test.each([
      ['no body object', '[]', ''],
      ['no routes', { message: 'm' }, '/routes'],
      ['routes not a list', { routes: {}, message: 'm' }, '/routes'],
      ['no message', { routes: [] }, '/message'],
      ['an unknown property', { routes: [], message: 'm', sinks: [] }, '/sinks'],
      ['an unknown environment', { routes: [{ environment: 'android-app', event: '*', sinks: ['file'] }], message: 'm' }, '/routes/0/environment'],
      ['an unknown event', { routes: [{ environment: 'web-frontend', event: '*', sinks: ['file'] }, { environment: 'web-frontend', event: 'cart_opened', sinks: ['file'] }], message: 'm' }, '/routes/1/event'],
      ['an empty sink name', { routes: [{ environment: 'web-frontend', event: '*', sinks: [''] }], message: 'm' }, '/routes/0/sinks/0'],
      ['a sink name with a dot', { routes: [{ environment: 'web-frontend', event: '*', sinks: ['file', 'a.b'] }], message: 'm' }, '/routes/0/sinks/1'],
      ['no sinks', { routes: [{ environment: 'web-frontend', event: '*', sinks: [] }], message: 'm' }, '/routes/0/sinks'],
      ['a route twice', { routes: [{ environment: 'ios-app', event: '*', sinks: ['file'] }, { environment: 'ios-app', event: '*', sinks: ['nats'] }], message: 'm' }, '/routes/1'],
      ['an expected version that is not a number', { routes: [], message: 'm', version: 'next' }, '/version'],
    ])('%s is a 400 naming its place, and writes nothing', async (_what, body, path) => {
      expectError(await post(body), 400, path);
      expect(await routingRows()).toHaveLength(4);
    });

    test('writing routes needs the write scope; reading them does not need a token', async () => {
      const body = { routes: [], message: 'No routes' };
      expectError(await post(body, null), 401);
      expectError(await post(body, viewer), 403);
      expectStatus(await registry.call('GET', '/api/routes', undefined, null), 200);
      expectError(await registry.call('GET', '/api/routes/versions/99'), 404);
      expectError(await registry.call('GET', '/api/routes/versions/first'), 400);
      expect(await routingRows()).toHaveLength(4);
    });
  });

  describe('in the change log', () => {
    test('routing versions are entries of kind "routing", in the order written, with their changes', async () => {
      const page = expectStatus(await registry.call('GET', '/api/changelog?limit=500'), 200);
      const order = page.entries.map((entry: { kind: string; name: string; version: number }) => `${entry.kind}:${entry.name}@${entry.version}`);
      expect(order.slice(0, 3)).toEqual(['routing:routing@4', 'routing:routing@3', 'environment:web-frontend@2']);
      // Routing 2 was applied before the positive ids; routing 1 in the same apply as, and after, the first versions.
      expect(order.indexOf('routing:routing@2')).toBe(order.indexOf('field:item_id@2') + 1);
      expect(order.indexOf('routing:routing@1')).toBe(order.indexOf('environment:web-frontend@1') - 1);
      const third = page.entries.find((entry: { kind: string; version: number }) => entry.kind === 'routing' && entry.version === 3);
      expect(third.body.routes).toHaveLength(2);
      expect(third.changes).toEqual([
        { op: 'remove', path: '/routes/ios-app/*', before: ['file'], breaking: false },
        { op: 'add', path: '/routes/web-frontend/search_performed', after: ['file', 'nats'], breaking: false },
        { op: 'remove', path: '/routes/web-frontend/item_viewed', before: ['nats'], breaking: false },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)));
      const routingOnly = expectStatus(await registry.call('GET', '/api/changelog?kind=routing&limit=2'), 200);
      expect(routingOnly.entries.map((entry: { version: number }) => entry.version)).toEqual([4, 3]);
      const next = expectStatus(await registry.call('GET', `/api/changelog?kind=routing&cursor=${routingOnly.next_cursor}`), 200);
      expect(next.entries.map((entry: { version: number }) => entry.version)).toEqual([2, 1]);
      expect(next.entries[1].changes).toHaveLength(3);
    });
  });

  describe('immutability', () => {
    test.each([
      ['UPDATE a routing version', `UPDATE routing_versions SET routes = '[]'::jsonb`],
      ['DELETE a routing version', `DELETE FROM routing_versions WHERE version = 4`],
      ['TRUNCATE the routing versions', `TRUNCATE routing_versions`],
    ])('the database refuses to %s', async (_what, statement) => {
      const before = await routingRows();
      await expect(registry.sql(statement)).rejects.toThrow(/the catalog is append-only/);
      expect(await routingRows()).toEqual(before);
    });

    test('no route updates or deletes routes', async () => {
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        for (const route of ['/api/routes', '/api/routes/versions/1']) expect([404, 405]).toContain((await registry.call(method, route, { routes: [] })).status);
      }
    });
  });
});
