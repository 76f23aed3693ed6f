import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

describe.each(databaseModes())('a restart on the %s database', (mode) => {
  let first: StartedTestRegistry | undefined;
  let second: StartedTestRegistry | undefined;
  let adminToken: string;
  let editorToken: string;
  let before: { snapshot: any; changelog: any; schemas: any };

  // Reads are open; the harness's own admin token is not valid on the second start.
  const state = async (registry: StartedTestRegistry) => ({
    snapshot: expectStatus(await registry.call('GET', '/api/catalog/snapshot', undefined, null), 200).versions,
    changelog: expectStatus(await registry.call('GET', '/api/changelog', undefined, null), 200),
    schemas: expectStatus(await registry.call('GET', '/api/environments/web-frontend/versions/2/schemas', undefined, null), 200),
  });

  beforeAll(async () => {
    // No TAGPLAN_ADMIN_TOKEN: the first start makes a random admin token and hands it out once.
    first = await startTestRegistry({ mode, config: { adminToken: undefined } });
    expect(first.initialAdminToken).toMatch(/^tp_/);
    adminToken = first.initialAdminToken as string;
    const call = (method: string, route: string, body?: unknown) => (first as StartedTestRegistry).call(method, route, body, adminToken);
    expectStatus(await call('POST', '/api/fields', { name: 'user_id', type: 'string', message: 'Users' }), 201);
    expectStatus(await call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 64, message: 'Bounded' }), 201);
    expectStatus(await call('POST', '/api/events', { name: 'item_viewed', owner: 'team-items', fields: [{ name: 'user_id', required: true }], message: 'Items' }), 201);
    expectStatus(await call('POST', '/api/environments', { name: 'web-frontend', owner: 'team-web', events: [{ name: 'item_viewed' }], message: 'Web' }), 201);
    expectStatus(await call('POST', '/api/environments/web-frontend/versions', { owner: 'team-web', common_fields: [{ name: 'user_id' }], events: [{ name: 'item_viewed' }], message: 'Users everywhere' }), 201);
    expectStatus(await call('POST', '/api/admin/users', { username: 'ed', role: 'editor' }), 201);
    editorToken = expectStatus(await call('POST', '/api/admin/tokens', { name: 'ed', username: 'ed', scopes: ['read', 'write'] }), 201).token;
    before = await state(first);
    await first.close();
    // A later start with TAGPLAN_ADMIN_TOKEN set must not add a second initial admin.
    second = await startTestRegistry({ mode, reuse: first.location });
  }, 120_000);

  afterAll(async () => {
    await second?.close();
    await (second ?? first)?.destroy();
  });

  test('every version, the change log and the schemas read back the same', async () => {
    const after = await state(second as StartedTestRegistry);
    expect(after.snapshot).toHaveLength(5);
    expect(after).toEqual(before);
  });

  test('the initial admin is created once: its token still works, no token is handed out again, a new TAGPLAN_ADMIN_TOKEN is ignored', async () => {
    const registry = second as StartedTestRegistry;
    expect(registry.initialAdminToken).toBeUndefined();
    expect(expectStatus(await registry.call('GET', '/api/auth/whoami', undefined, adminToken), 200)).toMatchObject({ username: 'admin', role: 'admin' });
    expectError(await registry.call('GET', '/api/auth/whoami', undefined, registry.adminToken), 401);
    const users = await registry.sql(`SELECT username, role FROM users ORDER BY username`);
    expect(users).toEqual([
      { username: 'admin', role: 'admin' },
      { username: 'ed', role: 'editor' },
    ]);
    const [tokens] = await registry.sql(`SELECT count(*)::int AS n FROM api_tokens WHERE name = 'initial-admin'`);
    expect(tokens?.['n']).toBe(1);
  });

  test('users and tokens survive, and writing continues where it stopped', async () => {
    const registry = second as StartedTestRegistry;
    const next = expectStatus(await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 128, message: 'Longer' }, editorToken), 201);
    expect(next).toMatchObject({ version: 3, author: 'ed' });
    expectError(await registry.call('POST', '/api/fields', { name: 'user_id', type: 'string', message: 'Again' }, editorToken), 409);
    const log = expectStatus(await registry.call('GET', '/api/changelog?limit=1', undefined, null), 200);
    expect(log.entries[0]).toMatchObject({ name: 'user_id', version: 3 });
    expect(log.entries[0].changes).toEqual([{ op: 'replace', path: '/maxLength', before: 64, after: 128, breaking: false }]);
  });

  test('the database still refuses to rewrite history after a restart', async () => {
    await expect((second as StartedTestRegistry).sql(`UPDATE catalog_versions SET message = 'rewritten'`)).rejects.toThrow(/append-only/);
  });
});
