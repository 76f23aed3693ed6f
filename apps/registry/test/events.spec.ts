import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

describe.each(databaseModes())('events over HTTP on the %s database', (mode) => {
  let registry: StartedTestRegistry;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    for (const field of [
      { name: 'user_id', type: 'string' },
      { name: 'item_id', type: 'integer', minimum: 1 },
      { name: 'source', type: 'string', enum: ['search', 'feed'] },
      { name: 'query', type: 'string', maxLength: 200 },
    ]) {
      expectStatus(await registry.call('POST', '/api/fields', { ...field, message: `Add ${field.name}` }), 201);
    }
    expectStatus(await registry.call('POST', '/api/fields/source/versions', { type: 'string', enum: ['search', 'feed', 'recommendation'], message: 'Recommendations' }), 201);
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const eventVersions = async (name: string) =>
    (await registry.sql(`SELECT version FROM catalog_versions WHERE kind = 'event' AND name = $1 ORDER BY version`, [name])).map((row) => row['version']);

  test('POST /api/events creates version 1 with every field pinned: unpinned to the latest, pinned as given', async () => {
    const created = expectStatus(
      await registry.call('POST', '/api/events', {
        name: 'item_viewed',
        owner: 'team-items',
        description: 'A user opened an item page',
        fields: [{ name: 'user_id', required: true }, { name: 'item_id', required: true }, { name: 'source', version: 1 }],
        message: 'Track item pages',
      }),
      201,
    );
    expect(created).toMatchObject({ kind: 'event', name: 'item_viewed', version: 1, author: 'admin', message: 'Track item pages' });
    expect(created.body).toEqual({
      description: 'A user opened an item page',
      owner: 'team-items',
      fields: [
        { name: 'user_id', version: 1, required: true },
        { name: 'item_id', version: 1, required: true },
        { name: 'source', version: 1, required: false },
      ],
    });
    const references = await registry.sql(
      `SELECT ref_name, ref_version, required FROM catalog_references WHERE kind = 'event' AND name = 'item_viewed' ORDER BY position`,
    );
    expect(references).toEqual([
      { ref_name: 'user_id', ref_version: 1, required: true },
      { ref_name: 'item_id', ref_version: 1, required: true },
      { ref_name: 'source', ref_version: 1, required: false },
    ]);
  });

  test('a new version moves an unpinned reference to the latest field version', async () => {
    const second = expectStatus(
      await registry.call('POST', '/api/events/item_viewed/versions', {
        owner: 'team-items',
        description: 'A user opened an item page',
        fields: [{ name: 'user_id', required: true }, { name: 'item_id', required: true }, { name: 'source' }],
        message: 'Recommendations as a source',
      }),
      201,
    );
    expect(second.version).toBe(2);
    expect(second.body.fields).toContainEqual({ name: 'source', version: 2, required: false });
  });

  test('the same definition again (references resolving to the same pins) is a 409 "unchanged"', async () => {
    const answer = await registry.call('POST', '/api/events/item_viewed/versions', {
      owner: 'team-items',
      description: 'A user opened an item page',
      fields: [{ name: 'user_id', version: 1, required: true }, { name: 'item_id', required: true }, { name: 'source', required: false }],
      message: 'Nothing new',
    });
    expect(expectError(answer, 409).error).toBe('unchanged');
    expect(await eventVersions('item_viewed')).toEqual([1, 2]);
  });

  test('a field made optional, a field removed and one added give version 3, in the declared order', async () => {
    const third = expectStatus(
      await registry.call('POST', '/api/events/item_viewed/versions', {
        owner: 'team-items',
        fields: [{ name: 'item_id', required: true }, { name: 'user_id' }],
        message: 'Anonymous views, no source',
      }),
      201,
    );
    expect(third.body).toEqual({
      description: '',
      owner: 'team-items',
      fields: [
        { name: 'item_id', version: 1, required: true },
        { name: 'user_id', version: 1, required: false },
      ],
    });
  });

  test('GET /api/events/{name} and .../versions/{version} read them back', async () => {
    const entity = expectStatus(await registry.call('GET', '/api/events/item_viewed'), 200);
    expect(entity.latest_version).toBe(3);
    expect(entity.versions.map((version: { body: { fields: unknown[] } }) => version.body.fields.length)).toEqual([3, 3, 2]);
    const first = expectStatus(await registry.call('GET', '/api/events/item_viewed/versions/1'), 200);
    expect(first.body.fields).toContainEqual({ name: 'source', version: 1, required: false });
    expectError(await registry.call('GET', '/api/events/item_viewed/versions/4'), 404);
    expectError(await registry.call('GET', '/api/events/item_liked'), 404);
  });

  test('creating an event that exists is a 409', async () => {
    const answer = await registry.call('POST', '/api/events', { name: 'item_viewed', owner: 'someone-else', message: 'Mine' });
    expect(expectError(answer, 409).error).toBe('already_exists');
    expect(await eventVersions('item_viewed')).toEqual([1, 2, 3]);
  });

  test('an event with no fields is allowed', async () => {
    const created = expectStatus(await registry.call('POST', '/api/events', { name: 'app_opened', owner: 'team-mobile', message: 'Launches' }), 201);
    expect(created.body).toEqual({ description: '', owner: 'team-mobile', fields: [] });
  });

  describe('the list', () => {
    beforeAll(async () => {
      expectStatus(
        await registry.call('POST', '/api/events', { name: 'search_performed', owner: 'team-search', description: 'Results shown for a query', fields: [{ name: 'query', required: true }], message: 'Search' }),
        201,
      );
      expectStatus(await registry.call('POST', '/api/events', { name: 'item_favorited', owner: 'team-items', description: 'Heart tapped', message: 'Favorites' }), 201);
    });

    const names = (list: { items: { name: string }[] }) => list.items.map((item) => item.name);

    test('lists every event with its latest version', async () => {
      const list = expectStatus(await registry.call('GET', '/api/events'), 200);
      expect(names(list)).toEqual(['app_opened', 'item_favorited', 'item_viewed', 'search_performed']);
      expect(list.total).toBe(4);
      expect(list.items.find((item: { name: string }) => item.name === 'item_viewed')).toMatchObject({ version: 3, message: 'Anonymous views, no source' });
    });

    test.each([
      ['owner=team-items', ['item_favorited', 'item_viewed']],
      ['owner=team-search', ['search_performed']],
      ['owner=team', []],
      ['q=item', ['item_favorited', 'item_viewed']],
      ['q=query', ['search_performed']],
      ['q=heart&owner=team-items', ['item_favorited']],
      ['q=heart&owner=team-search', []],
      ['owner=team-items&limit=1&offset=1', ['item_viewed']],
    ])('?%s', async (query, expected) => {
      const list = expectStatus(await registry.call('GET', `/api/events?${query}`), 200);
      expect(names(list)).toEqual(expected);
      if (!query.includes('limit')) expect(list.total).toBe(expected.length);
      else expect(list.total).toBe(2);
    });

    test('the owner filter looks at the latest version only', async () => {
      expectStatus(await registry.call('POST', '/api/events/item_favorited/versions', { owner: 'team-engagement', description: 'Heart tapped', message: 'New owner' }), 201);
      expect(names(expectStatus(await registry.call('GET', '/api/events?owner=team-items'), 200))).toEqual(['item_viewed']);
      expect(names(expectStatus(await registry.call('GET', '/api/events?owner=team-engagement'), 200))).toEqual(['item_favorited']);
    });
  });
});
