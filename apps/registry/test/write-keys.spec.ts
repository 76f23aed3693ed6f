import { writeKeyDigest } from '@tagplan/collector';
import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

/** Write keys per environment (DESIGN §3, issue 4): created, listed, revoked; stored hashed. */
describe.each(databaseModes())('write keys on the %s database', (mode) => {
  let registry: StartedTestRegistry;
  let editor: string;
  let viewer: string;
  /** Keys created by the tests: the clear key as answered, and its id. */
  const created: { id: string; key: string; environment: string }[] = [];

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    expectStatus(
      await registry.call('POST', '/api/catalog/apply', {
        catalog: {
          message: 'Two environments',
          fields: { item_id: { type: 'integer' } },
          events: { item_viewed: { owner: 'team-items', fields: { item_id: 'required' } } },
          environments: { 'web-frontend': { owner: 'team-web', events: ['item_viewed'] }, 'ios-app': { owner: 'team-mobile', events: ['item_viewed'] } },
        },
      }),
      200,
    );
    expectStatus(await registry.call('POST', '/api/admin/users', { username: 'ed', role: 'editor' }), 201);
    expectStatus(await registry.call('POST', '/api/admin/users', { username: 'vi', role: 'viewer' }), 201);
    editor = expectStatus(await registry.call('POST', '/api/admin/tokens', { name: 'editor', username: 'ed', scopes: ['read', 'write'] }), 201).token;
    viewer = expectStatus(await registry.call('POST', '/api/admin/tokens', { name: 'viewer', username: 'vi', scopes: ['read'] }), 201).token;
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const VIEW_KEYS = ['created_at', 'created_by', 'environment', 'id', 'name', 'revoked_at'];

  test('creating a key answers it once, with its id, and the registry keeps only its SHA-256', async () => {
    const answer = expectStatus(await registry.call('POST', '/api/environments/web-frontend/keys', { name: 'production' }, editor), 201);
    expect(Object.keys(answer).sort()).toEqual([...VIEW_KEYS, 'key'].sort());
    expect(answer).toMatchObject({ environment: 'web-frontend', name: 'production', created_by: 'ed', revoked_at: null });
    expect(answer.key).toMatch(/^tpw_[A-Za-z0-9_-]{43}$/);
    expect(answer.id).toMatch(/^[0-9a-f-]{36}$/);
    created.push({ id: answer.id, key: answer.key, environment: 'web-frontend' });

    const [row] = await registry.sql(`SELECT * FROM write_keys WHERE id = $1`, [answer.id]);
    const digest = writeKeyDigest(answer.key);
    expect(row).toMatchObject({ environment: 'web-frontend', name: 'production', lookup: digest.lookup, secret_hash: digest.secret_hash, created_by: 'ed', revoked_at: null });
    // Nowhere in the table is the key itself, nor any long piece of it.
    const [all] = await registry.sql(`SELECT string_agg(row_to_json(w)::text, ' ') AS text FROM write_keys w`);
    expect(all?.['text']).not.toContain(answer.key.slice(4, 20));
  });

  test('a key without a name is called "default"; keys of one environment are listed without secrets', async () => {
    const answer = expectStatus(await registry.call('POST', '/api/environments/web-frontend/keys', undefined, editor), 201);
    expect(answer.name).toBe('default');
    created.push({ id: answer.id, key: answer.key, environment: 'web-frontend' });
    const other = expectStatus(await registry.call('POST', '/api/environments/ios-app/keys', { name: 'app-store' }), 201);
    created.push({ id: other.id, key: other.key, environment: 'ios-app' });

    const listed = await registry.call('GET', '/api/environments/web-frontend/keys', undefined, null);
    const keys = expectStatus(listed, 200) as Record<string, unknown>[];
    expect(keys.map((key) => key['name'])).toEqual(['production', 'default']);
    for (const key of keys) expect(Object.keys(key).sort()).toEqual(VIEW_KEYS);
    for (const { key } of created) expect(JSON.stringify(keys)).not.toContain(key);

    const everything = expectStatus(await registry.call('GET', '/api/keys'), 200) as { id: string; environment: string }[];
    expect(everything.map((key) => key.id)).toEqual(created.map((key) => key.id));
    const ios = expectStatus(await registry.call('GET', '/api/keys?environment=ios-app'), 200) as { id: string }[];
    expect(ios.map((key) => key.id)).toEqual([other.id]);
  });

  test('bad requests are refused with the place of the problem, and write nothing', async () => {
    const before = (await registry.sql(`SELECT count(*)::int AS n FROM write_keys`))[0]?.['n'];
    expectError(await registry.call('POST', '/api/environments/android-app/keys', { name: 'x' }), 404);
    expectError(await registry.call('GET', '/api/environments/android-app/keys'), 404);
    expectError(await registry.call('POST', '/api/environments/Web_Frontend/keys', {}), 400);
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys', { name: '' }), 400, '/name');
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys', { name: 'x'.repeat(101) }), 400, '/name');
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys', { name: 5 }), 400, '/name');
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys', { label: 'x' }), 400, '/label');
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys', '[1]'), 400, '');
    expectError(await registry.call('GET', '/api/keys?environment=NOPE'), 400);
    expect((await registry.sql(`SELECT count(*)::int AS n FROM write_keys`))[0]?.['n']).toBe(before);
  });

  test('creating and revoking need the write scope and an editor; listing is a read', async () => {
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys', {}, null), 401);
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys', {}, viewer), 403);
    const id = created[0]?.id as string;
    expectError(await registry.call('POST', `/api/environments/web-frontend/keys/${id}/revoke`, undefined, null), 401);
    expectError(await registry.call('POST', `/api/environments/web-frontend/keys/${id}/revoke`, undefined, viewer), 403);
    expect(expectStatus(await registry.call('GET', '/api/keys', undefined, viewer), 200)).toHaveLength(created.length);
  });

  test('revoking sets revoked_at once; revoking again answers the same; the key stays listed', async () => {
    const { id } = created[1] as { id: string };
    const revoked = expectStatus(await registry.call('POST', `/api/environments/web-frontend/keys/${id}/revoke`, undefined, editor), 200);
    expect(revoked).toMatchObject({ id, name: 'default', revoked_at: expect.stringMatching(/^\d{4}-/) });
    const again = expectStatus(await registry.call('POST', `/api/environments/web-frontend/keys/${id}/revoke`), 200);
    expect(again.revoked_at).toBe(revoked.revoked_at);
    const listed = expectStatus(await registry.call('GET', '/api/environments/web-frontend/keys'), 200) as { id: string; revoked_at: string | null }[];
    expect(listed.map((key) => [key.id, key.revoked_at])).toEqual([
      [created[0]?.id, null],
      [id, revoked.revoked_at],
    ]);
  });

  test('revoking a key that is not there, or under another environment, is a 404', async () => {
    const { id } = created[0] as { id: string };
    expectError(await registry.call('POST', `/api/environments/ios-app/keys/${id}/revoke`), 404);
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys/00000000-0000-4000-8000-000000000000/revoke'), 404);
    expectError(await registry.call('POST', '/api/environments/web-frontend/keys/not-a-uuid/revoke'), 404);
    expect((await registry.sql(`SELECT revoked_at FROM write_keys WHERE id = $1`, [id]))[0]?.['revoked_at']).toBeNull();
  });

  test.each([
    ['rename a key', `UPDATE write_keys SET name = 'renamed'`],
    ['replace a hash', `UPDATE write_keys SET secret_hash = repeat('0', 64) WHERE revoked_at IS NULL`],
    ['un-revoke a key', `UPDATE write_keys SET revoked_at = NULL WHERE revoked_at IS NOT NULL`],
    ['move a revocation', `UPDATE write_keys SET revoked_at = now() - interval '1 day' WHERE revoked_at IS NOT NULL`],
    ['delete a key', `DELETE FROM write_keys`],
    ['truncate the keys', `TRUNCATE write_keys`],
  ])('the database refuses to %s', async (_what, statement) => {
    const before = await registry.sql(`SELECT * FROM write_keys ORDER BY id`);
    await expect(registry.sql(statement)).rejects.toThrow(/only revoked once/);
    expect(await registry.sql(`SELECT * FROM write_keys ORDER BY id`)).toEqual(before);
  });

  test('a key must belong to an environment the catalog has (foreign key)', async () => {
    await expect(
      registry.sql(`INSERT INTO write_keys (environment, name, lookup, secret_hash, created_by) VALUES ('nowhere', 'x', 'abc', repeat('a', 64), 'me')`),
    ).rejects.toThrow(/write_keys_environment_fkey/);
  });
});
