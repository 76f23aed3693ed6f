import { createHash } from 'node:crypto';
import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe.each(databaseModes())('auth on the %s database', (mode) => {
  describe('with open reads (the default)', () => {
    let registry: StartedTestRegistry;
    const tokens: Record<string, string> = {};

    /** A fetch with any Authorization header (the harness only sends Bearer). */
    const callWith = async (authorization: string | undefined, method: string, route: string, body?: unknown) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (authorization) headers['authorization'] = authorization;
      const response = await fetch(`${registry.url}${route}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      return { status: response.status, body: await response.json(), headers: response.headers };
    };

    const newToken = async (name: string, username: string, scopes: string[]) => {
      const created = expectStatus(await registry.call('POST', '/api/admin/tokens', { name, username, scopes }), 201);
      expect(created).toMatchObject({ name, username, scopes, revoked_at: null, token: expect.stringMatching(/^tp_/) });
      tokens[name] = created.token;
      return created as { id: string; token: string };
    };

    const fieldCount = async () => (await registry.sql(`SELECT count(*)::int AS n FROM catalog_versions WHERE kind = 'field'`))[0]?.['n'];

    beforeAll(async () => {
      registry = await startTestRegistry({ mode });
      expectStatus(await registry.call('POST', '/api/admin/users', { username: 'ed', role: 'editor' }), 201);
      expectStatus(await registry.call('POST', '/api/admin/users', { username: 'vi', role: 'viewer' }), 201);
      expectStatus(await registry.call('POST', '/api/admin/users', { username: 'pat', role: 'editor', password: 'correct horse battery' }), 201);
      expectStatus(await registry.call('POST', '/api/admin/users', { username: 'val', role: 'viewer', password: 'viewer password 1' }), 201);
      await newToken('editor', 'ed', ['read', 'write']);
      await newToken('viewer-write', 'vi', ['read', 'write']);
      await newToken('admin-read', 'admin', ['read']);
      await newToken('editor-read', 'ed', ['read']);
      await newToken('editor-publish', 'ed', ['publish']);
      expectStatus(await registry.call('POST', '/api/fields', { name: 'user_id', type: 'string', message: 'Users' }), 201);
    }, 60_000);

    afterAll(async () => {
      await registry?.close();
      await registry?.destroy();
    });

    const write = { name: 'item_id', type: 'integer', message: 'Items' };

    test('a write without credentials is a 401 that says how to authenticate, and writes nothing', async () => {
      const answer = await registry.call('POST', '/api/fields', write, null);
      expect(expectError(answer, 401).error).toBe('unauthenticated');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await fieldCount()).toBe(1);
    });

    test.each([
      ['an unknown token', () => 'Bearer tp_not-a-token'],
      ['an empty bearer', () => 'Bearer '],
      ['an unsupported scheme', () => 'Digest username="admin"'],
      ['a wrong password', () => basic('pat', 'wrong horse battery')],
      ['an unknown user', () => basic('nobody', 'correct horse battery')],
      ['a user without a password', () => basic('ed', '')],
    ])('a write with %s is a 401', async (_what, authorization) => {
      expectError(await callWith(authorization(), 'POST', '/api/fields', write), 401);
      expect(await fieldCount()).toBe(1);
    });

    test.each([
      ['a read-only token', 'admin-read'],
      ['a publish-only token', 'editor-publish'],
      ["a viewer's write token", 'viewer-write'],
    ])('a write with %s is a 403 and writes nothing', async (_what, token) => {
      for (const [route, body] of [
        ['/api/fields', write],
        ['/api/fields/user_id/versions', { type: 'string', maxLength: 9, message: 'Try' }],
        ['/api/catalog/apply', { catalog: { fields: { other: { type: 'boolean' } } }, message: 'Try' }],
      ] as const) {
        expect(expectError(await registry.call('POST', route, body, tokens[token]), 403).error).toBe('forbidden');
      }
      expect(await fieldCount()).toBe(1);
    });

    test("a write with an editor's token is a 201, authored by that editor", async () => {
      const created = expectStatus(await registry.call('POST', '/api/fields', write, tokens['editor']), 201);
      expect(created.author).toBe('ed');
      const version = expectStatus(await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 64, message: 'Bound' }, tokens['editor']), 201);
      expect(version.author).toBe('ed');
      const applied = expectStatus(await registry.call('POST', '/api/catalog/apply', { catalog: { fields: { source: { type: 'string' } } }, message: 'Sources' }, tokens['editor']), 200);
      expect(applied.versions).toHaveLength(1);
      const [row] = await registry.sql(`SELECT author FROM catalog_versions WHERE kind = 'field' AND name = 'source'`);
      expect(row?.['author']).toBe('ed');
      const log = expectStatus(await registry.call('GET', '/api/changelog?limit=3'), 200);
      expect(log.entries.map((entry: { author: string }) => entry.author)).toEqual(['ed', 'ed', 'ed']);
    });

    test('Basic auth: an editor with a password writes, authored by that user; a viewer with a password reads only', async () => {
      const created = expectStatus(await callWith(basic('pat', 'correct horse battery'), 'POST', '/api/fields', { name: 'by_password', type: 'boolean', message: 'Basic' }), 201);
      expect(created.author).toBe('pat');
      expectError(await callWith(basic('val', 'viewer password 1'), 'POST', '/api/fields', { name: 'by_viewer', type: 'boolean', message: 'Basic' }), 403);
      expectStatus(await callWith(basic('val', 'viewer password 1'), 'GET', '/api/fields/by_password'), 200);
      const whoami = expectStatus(await callWith(basic('pat', 'correct horse battery'), 'GET', '/api/auth/whoami'), 200);
      expect(whoami).toMatchObject({ username: 'pat', role: 'editor', via: 'password' });
    });

    test('reads need no credentials', async () => {
      for (const route of ['/api/fields', '/api/fields/user_id', '/api/fields/user_id/versions/1', '/api/changelog', '/api/catalog/export', '/api/catalog/snapshot', '/api/events', '/api/environments']) {
        expectStatus(await registry.call('GET', route, undefined, null), 200);
      }
    });

    test('admin routes need an admin with a write-capable token', async () => {
      expectStatus(await registry.call('GET', '/api/admin/users'), 200);
      expectError(await registry.call('GET', '/api/admin/users', undefined, null), 401);
      expectError(await registry.call('GET', '/api/admin/users', undefined, tokens['editor']), 403);
      expectError(await registry.call('GET', '/api/admin/tokens', undefined, tokens['admin-read']), 403);
      expectError(await callWith(basic('pat', 'correct horse battery'), 'GET', '/api/admin/tokens'), 403);
      expectError(await registry.call('POST', '/api/admin/users', { username: 'mallory', role: 'admin' }, tokens['editor']), 403);
      expectError(await registry.call('POST', '/api/admin/tokens', { name: 'escalate', username: 'admin', scopes: ['write'] }, tokens['editor']), 403);
      const users = expectStatus(await registry.call('GET', '/api/admin/users'), 200);
      expect(users.map((user: { username: string }) => user.username)).toEqual(['admin', 'ed', 'pat', 'val', 'vi']);
    });

    test.each([
      ['a duplicate username', { username: 'ed', role: 'editor' }, 409],
      ['an unknown role', { username: 'newbie', role: 'owner' }, 400],
      ['a short password', { username: 'newbie', role: 'viewer', password: 'short' }, 400],
      ['a bad username', { username: 'no spaces please', role: 'viewer' }, 400],
    ])('creating a user with %s is refused', async (_what, body, status) => {
      expectError(await registry.call('POST', '/api/admin/users', body), status);
    });

    test.each([
      ['no scopes', { name: 'x', scopes: [] }, 400],
      ['an unknown scope', { name: 'x', scopes: ['root'] }, 400],
      ['an unknown user', { name: 'x', scopes: ['read'], username: 'nobody' }, 404],
    ])('creating a token with %s is refused', async (_what, body, status) => {
      expectError(await registry.call('POST', '/api/admin/tokens', body), status);
    });

    test('a revoked token stops working at once', async () => {
      const { id, token } = await newToken('short-lived', 'ed', ['read', 'write']);
      expectStatus(await registry.call('GET', '/api/auth/whoami', undefined, token), 200);
      const revoked = expectStatus(await registry.call('POST', `/api/admin/tokens/${id}/revoke`), 200);
      expect(revoked.revoked_at).toEqual(expect.any(String));
      expectError(await registry.call('POST', '/api/fields', { name: 'too_late', type: 'boolean', message: 'Try' }, token), 401);
      expectError(await registry.call('GET', '/api/auth/whoami', undefined, token), 401);
      expectError(await registry.call('GET', '/api/fields', undefined, token), 401);
      expectError(await registry.call('POST', '/api/admin/tokens/00000000-0000-0000-0000-000000000000/revoke'), 404);
    });

    test('tokens and passwords are stored hashed: no secret appears in the database or in a listing', async () => {
      const secrets = [registry.adminToken, ...Object.values(tokens)];
      const rows = await registry.sql('SELECT * FROM api_tokens');
      expect(rows.length).toBe(secrets.length);
      const stored = JSON.stringify(rows);
      for (const secret of secrets) {
        expect(stored).not.toContain(secret);
        expect(stored).not.toContain(secret.slice(3));
        expect(stored).not.toContain(Buffer.from(secret).toString('base64'));
      }
      const digests = rows.map((row) => row['secret_hash']);
      expect(digests).toContain(createHash('sha256').update(tokens['editor'] as string).digest('hex'));
      const users = JSON.stringify(await registry.sql('SELECT * FROM users'));
      expect(users).not.toContain('correct horse battery');
      expect(users).toContain('scrypt$');
      const listing = JSON.stringify(expectStatus(await registry.call('GET', '/api/admin/tokens'), 200));
      for (const secret of secrets) expect(listing).not.toContain(secret);
      expect(listing).not.toContain('secret_hash');
    });

    test('whoami names the caller behind a token', async () => {
      expect(expectStatus(await registry.call('GET', '/api/auth/whoami', undefined, tokens['editor']), 200)).toEqual({
        username: 'ed',
        role: 'editor',
        scopes: ['read', 'write'],
        via: 'token',
      });
      expectError(await registry.call('GET', '/api/auth/whoami', undefined, null), 401);
    });
  });

  describe('with closed reads (openReads: false)', () => {
    let registry: StartedTestRegistry;
    let readToken: string;

    beforeAll(async () => {
      registry = await startTestRegistry({ mode, config: { openReads: false } });
      expectStatus(await registry.call('POST', '/api/fields', { name: 'user_id', type: 'string', message: 'Users' }), 201);
      expectStatus(await registry.call('POST', '/api/events', { name: 'item_viewed', owner: 'team-items', fields: [{ name: 'user_id' }], message: 'Items' }), 201);
      expectStatus(await registry.call('POST', '/api/environments', { name: 'web-frontend', owner: 'team-web', events: [{ name: 'item_viewed' }], message: 'Web' }), 201);
      expectStatus(await registry.call('POST', '/api/admin/users', { username: 'reader', role: 'viewer' }), 201);
      readToken = expectStatus(await registry.call('POST', '/api/admin/tokens', { name: 'read', username: 'reader', scopes: ['read'] }), 201).token;
    }, 60_000);

    afterAll(async () => {
      await registry?.close();
      await registry?.destroy();
    });

    const reads = [
      '/api/fields',
      '/api/fields/user_id',
      '/api/fields/user_id/versions/1',
      '/api/events?owner=team-items',
      '/api/environments',
      '/api/environments/web-frontend/versions/1/schemas',
      '/api/changelog',
      '/api/catalog/export',
      '/api/catalog/snapshot',
    ];

    test.each(reads)('GET %s is a 401 without credentials and a 200 with a read token', async (route) => {
      expect(expectError(await registry.call('GET', route, undefined, null), 401).error).toBe('unauthenticated');
      expectStatus(await registry.call('GET', route, undefined, readToken), 200);
    });

    test('the health check stays public', async () => {
      expect(expectStatus(await registry.call('GET', '/api/health', undefined, null), 200)).toEqual({ status: 'ok' });
    });

    test('a read token still cannot write', async () => {
      expectError(await registry.call('POST', '/api/fields', { name: 'item_id', type: 'integer', message: 'Items' }, readToken), 403);
    });
  });
});
