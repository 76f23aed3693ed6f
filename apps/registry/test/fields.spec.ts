import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

describe.each(databaseModes())('fields over HTTP on the %s database', (mode) => {
  let registry: StartedTestRegistry;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const versionCount = async (name: string) => {
    const [row] = await registry.sql(`SELECT count(*)::int AS n FROM catalog_versions WHERE kind = 'field' AND name = $1`, [name]);
    return row?.['n'];
  };

  describe('creating and adding versions', () => {
    test('POST /api/fields creates the field with its version 1, normalized, authored by the caller', async () => {
      const created = expectStatus(
        await registry.call('POST', '/api/fields', { name: 'user_id', type: 'string', description: 'Stable id of a signed-in user', pii: 'hash', message: 'Identify users' }),
        201,
      );
      expect(created).toEqual({
        kind: 'field',
        name: 'user_id',
        version: 1,
        body: { type: 'string', description: 'Stable id of a signed-in user', examples: [], pii: 'hash' },
        author: 'admin',
        message: 'Identify users',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(await versionCount('user_id')).toBe(1);
    });

    test('POST .../versions adds the next version, and the next', async () => {
      const second = expectStatus(
        await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 64, description: 'Stable id of a signed-in user', pii: 'hash', message: 'Bound the length' }),
        201,
      );
      expect(second).toMatchObject({ kind: 'field', name: 'user_id', version: 2, message: 'Bound the length', body: { maxLength: 64 } });
      const third = expectStatus(
        await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', minLength: 1, maxLength: 64, pii: 'hash', message: '  Not empty  ' }),
        201,
      );
      expect(third).toMatchObject({ version: 3, message: 'Not empty', body: { minLength: 1, maxLength: 64, description: '' } });
    });

    test('GET /api/fields/{name} returns every version, oldest first, each with author, time and message', async () => {
      const entity = expectStatus(await registry.call('GET', '/api/fields/user_id'), 200);
      expect(entity).toMatchObject({ kind: 'field', name: 'user_id', latest_version: 3 });
      expect(entity.versions.map((version: { version: number }) => version.version)).toEqual([1, 2, 3]);
      expect(entity.versions.map((version: { message: string }) => version.message)).toEqual(['Identify users', 'Bound the length', 'Not empty']);
      for (const version of entity.versions) expect(version).toMatchObject({ author: 'admin', created_at: expect.any(String) });
      const times = entity.versions.map((version: { created_at: string }) => Date.parse(version.created_at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });

    test('GET .../versions/{version} returns exactly that version', async () => {
      const version = expectStatus(await registry.call('GET', '/api/fields/user_id/versions/2'), 200);
      expect(version).toMatchObject({ kind: 'field', name: 'user_id', version: 2, message: 'Bound the length' });
      expect(version.body).toEqual({ type: 'string', maxLength: 64, description: 'Stable id of a signed-in user', examples: [], pii: 'hash' });
    });

    test('creating a name that exists is a 409 and writes nothing', async () => {
      const answer = await registry.call('POST', '/api/fields', { name: 'user_id', type: 'integer', message: 'Again' });
      expect(expectError(answer, 409).error).toBe('already_exists');
      expect(await versionCount('user_id')).toBe(3);
    });

    test('a version identical to the latest is a 409 "unchanged", whatever the key order', async () => {
      const answer = await registry.call('POST', '/api/fields/user_id/versions', { pii: 'hash', maxLength: 64, message: 'Same again', minLength: 1, type: 'string', examples: [] });
      expect(expectError(answer, 409).error).toBe('unchanged');
      expect(await versionCount('user_id')).toBe(3);
    });

    test('a version identical to an older one (not the latest) is a new version', async () => {
      const answer = await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 64, description: 'Stable id of a signed-in user', pii: 'hash', message: 'Back to version 2' });
      expect(expectStatus(answer, 201).version).toBe(4);
    });

    test.each([
      ['leaves a gap', 6],
      ['already exists', 4],
      ['already exists (the first)', 1],
    ])('an explicit version that %s is a 409 and writes nothing', async (_why, version) => {
      const answer = await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 99, message: 'Explicit', version });
      expect(expectError(answer, 409).error).toBe('version_conflict');
      expect(await versionCount('user_id')).toBe(4);
    });

    test('an explicit version that is the next one is created', async () => {
      const answer = await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 99, message: 'Explicit', version: 5 });
      expect(expectStatus(answer, 201)).toMatchObject({ version: 5, body: { maxLength: 99 } });
    });

    test.each([
      ['not a number', '5'],
      ['zero', 0],
      ['negative', -1],
      ['fractional', 6.5],
    ])('an explicit version that is %s is a 400', async (_why, version) => {
      const answer = await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 100, message: 'Explicit', version });
      expectError(answer, 400);
      expect(await versionCount('user_id')).toBe(5);
    });

    test.each([
      ['missing', undefined],
      ['empty', ''],
      ['blank', '   '],
      ['not text', 42],
      ['longer than 2000 characters', 'why'.repeat(700)],
    ])('a message that is %s is a 400 naming /message, for creations and new versions', async (_why, message) => {
      const withMessage = message === undefined ? {} : { message };
      const creation = expectError(await registry.call('POST', '/api/fields', { name: 'no_message', type: 'string', ...withMessage }), 400, '/message');
      expect(creation.message).toMatch(/message/);
      expectError(await registry.call('POST', '/api/fields/user_id/versions', { type: 'boolean', ...withMessage }), 400, '/message');
      expect(await versionCount('no_message')).toBe(0);
      expect(await versionCount('user_id')).toBe(5);
    });
  });

  describe('not found', () => {
    test.each([
      ['GET', '/api/fields/no_such_field'],
      ['GET', '/api/fields/no_such_field/versions/1'],
      ['GET', '/api/fields/user_id/versions/99'],
    ])('%s %s is a 404', async (method, route) => {
      expect(expectError(await registry.call(method, route), 404).error).toBe('not_found');
    });

    test('adding a version to a field that does not exist is a 404 and creates nothing', async () => {
      expectError(await registry.call('POST', '/api/fields/no_such_field/versions', { type: 'string', message: 'Hello' }), 404);
      expect(await versionCount('no_such_field')).toBe(0);
      const [entities] = await registry.sql(`SELECT count(*)::int AS n FROM catalog_entities WHERE name = 'no_such_field'`);
      expect(entities?.['n']).toBe(0);
    });

    test('an unknown route is a 404 in the same JSON shape', async () => {
      expect(expectError(await registry.call('GET', '/api/widgets'), 404).error).toBe('not_found');
    });

    test.each(['0', '-1', 'abc', '1.5'])('version "%s" in a route is a 400', async (version) => {
      expectError(await registry.call('GET', `/api/fields/user_id/versions/${version}`), 400);
    });
  });

  describe('the list', () => {
    beforeAll(async () => {
      const fields = [
        { name: 'item_id', type: 'integer', minimum: 1, description: 'Catalog item being looked at' },
        { name: 'search_query', type: 'string', maxLength: 200, description: 'What the user typed in the search box' },
        { name: 'session_id', type: 'string', format: 'uuid', description: 'One visit' },
        { name: 'item_price', type: 'number', minimum: 0, description: 'Price in euros' },
        { name: 'is_logged_in', type: 'boolean', description: 'Whether a valid session is open' },
      ];
      for (const field of fields) expectStatus(await registry.call('POST', '/api/fields', { ...field, message: `Add ${field.name}` }), 201);
    });

    const names = (list: { items: { name: string }[] }) => list.items.map((item) => item.name);

    test('GET /api/fields lists every field by name with its latest version', async () => {
      const list = expectStatus(await registry.call('GET', '/api/fields'), 200);
      expect(names(list)).toEqual(['is_logged_in', 'item_id', 'item_price', 'search_query', 'session_id', 'user_id']);
      expect(list).toMatchObject({ total: 6, limit: 50, offset: 0 });
      const userId = list.items.find((item: { name: string }) => item.name === 'user_id');
      expect(userId).toMatchObject({ kind: 'field', version: 5, author: 'admin', body: { maxLength: 99 } });
    });

    test.each([
      ['item', ['item_id', 'item_price']],
      ['ITEM', ['item_id', 'item_price']],
      ['search box', ['search_query']],
      ['visit', ['session_id']],
      ['euro', ['item_price']],
      ['nothing like this', []],
      ['%', []],
      ['_id', ['item_id', 'session_id', 'user_id']],
    ])('q=%s finds text in the name or description', async (q, expected) => {
      const list = expectStatus(await registry.call('GET', `/api/fields?q=${encodeURIComponent(q)}`), 200);
      expect(names(list)).toEqual(expected);
      expect(list.total).toBe(expected.length);
    });

    test('limit and offset page through the list, with the total on every page', async () => {
      const all = names(expectStatus(await registry.call('GET', '/api/fields'), 200));
      const pages: string[] = [];
      for (let offset = 0; offset < 8; offset += 4) {
        const page = expectStatus(await registry.call('GET', `/api/fields?limit=4&offset=${offset}`), 200);
        expect(page).toMatchObject({ total: 6, limit: 4, offset });
        pages.push(...names(page));
      }
      expect(pages).toEqual(all);
      const beyond = expectStatus(await registry.call('GET', '/api/fields?limit=4&offset=100'), 200);
      expect(beyond).toMatchObject({ items: [], total: 6 });
      const filtered = expectStatus(await registry.call('GET', '/api/fields?q=item&limit=1&offset=1'), 200);
      expect(filtered).toMatchObject({ total: 2, items: [{ name: 'item_price' }] });
    });

    test.each(['limit=0', 'limit=501', 'limit=abc', 'limit=-1', 'offset=-1', 'offset=x', 'limit=1&limit=2', 'q=a&q=b', 'owner=team-items'])(
      'GET /api/fields?%s is a 400',
      async (query) => {
        expectError(await registry.call('GET', `/api/fields?${query}`), 400);
      },
    );
  });
});
