import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

interface Entry {
  id: string;
  kind: string;
  name: string;
  version: number;
  author: string;
  message: string;
  created_at: string;
  changes: { op: string; path: string; before?: unknown; after?: unknown; breaking: boolean }[];
}

describe.each(databaseModes())('the change log over HTTP on the %s database', (mode) => {
  let registry: StartedTestRegistry;
  let entries: Entry[];
  const entryOf = (kind: string, name: string, version: number): Entry => {
    const found = entries.find((entry) => entry.kind === kind && entry.name === name && entry.version === version);
    if (!found) throw new Error(`no change-log entry for ${kind} ${name}@${version}`);
    return found;
  };

  // The writes, oldest first; the change log must list them newest first.
  const writes: [string, string, Record<string, unknown>][] = [
    ['POST', '/api/fields', { name: 'user_id', type: 'string', maxLength: 64, message: 'Identify users' }],
    ['POST', '/api/fields', { name: 'source', type: 'string', enum: ['search', 'feed'], message: 'Where from' }],
    ['POST', '/api/events', { name: 'item_viewed', owner: 'team-items', fields: [{ name: 'source' }], message: 'Item pages' }],
    ['POST', '/api/environments', { name: 'web-frontend', owner: 'team-web', events: [{ name: 'item_viewed' }], message: 'The website' }],
    ['POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 32, description: 'Who', message: 'Shorter ids' }],
    ['POST', '/api/fields/source/versions', { type: 'string', enum: ['search', 'recommendation'], message: 'Feed is gone, recommendations came' }],
    ['POST', '/api/events/item_viewed/versions', { owner: 'team-catalog', fields: [{ name: 'source', version: 1 }, { name: 'user_id', required: true }], message: 'Who viewed' }],
    ['POST', '/api/environments/web-frontend/versions', { owner: 'team-web', events: [], message: 'Item pages moved' }],
  ];

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    for (const [method, route, body] of writes) expectStatus(await registry.call(method, route, body), 201);
    expectStatus(await registry.call('POST', '/api/admin/users', { username: 'ada', role: 'editor' }), 201);
    const { token } = expectStatus(await registry.call('POST', '/api/admin/tokens', { name: 'ada-laptop', scopes: ['read', 'write'], username: 'ada' }), 201);
    expectStatus(await registry.call('POST', '/api/fields/user_id/versions', { type: 'string', maxLength: 32, description: 'The signed-in user', message: 'Say who' }, token), 201);
    entries = expectStatus(await registry.call('GET', '/api/changelog?limit=500'), 200).entries;
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  test('lists every version, newest first, each with author, time and message', () => {
    expect(entries.map((entry) => `${entry.kind}:${entry.name}@${entry.version}`)).toEqual([
      'field:user_id@3',
      'environment:web-frontend@2',
      'event:item_viewed@2',
      'field:source@2',
      'field:user_id@2',
      'environment:web-frontend@1',
      'event:item_viewed@1',
      'field:source@1',
      'field:user_id@1',
    ]);
    expect(entries.map((entry) => entry.message)).toEqual([
      'Say who',
      'Item pages moved',
      'Who viewed',
      'Feed is gone, recommendations came',
      'Shorter ids',
      'The website',
      'Item pages',
      'Where from',
      'Identify users',
    ]);
    expect(entries.map((entry) => entry.author)).toEqual(['ada', ...Array(8).fill('admin')]);
    const times = entries.map((entry) => Date.parse(entry.created_at));
    expect(times.every((time) => Number.isFinite(time))).toBe(true);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test('a first version is one non-breaking addition of the whole body', () => {
    expect(entryOf('field', 'user_id', 1).changes).toEqual([
      { op: 'add', path: '', after: { type: 'string', maxLength: 64, description: '', examples: [], pii: 'none' }, breaking: false },
    ]);
  });

  test('a field: a lowered maximum is breaking, a new description is not', () => {
    expect(entryOf('field', 'user_id', 2).changes).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/maxLength', before: 64, after: 32, breaking: true },
        { op: 'replace', path: '/description', before: '', after: 'Who', breaking: false },
      ]),
    );
    expect(entryOf('field', 'user_id', 2).changes).toHaveLength(2);
    expect(entryOf('field', 'user_id', 3).changes).toEqual([{ op: 'replace', path: '/description', before: 'Who', after: 'The signed-in user', breaking: false }]);
  });

  test('an enum: a removed value is breaking, an added one is not', () => {
    const changes = entryOf('field', 'source', 2).changes;
    expect(changes).toHaveLength(2);
    expect(changes).toEqual(
      expect.arrayContaining([
        { op: 'remove', path: '/enum', before: 'feed', breaking: true },
        { op: 'add', path: '/enum', after: 'recommendation', breaking: false },
      ]),
    );
  });

  test('an event: a new required field is breaking, a new owner is not; fields are addressed by name', () => {
    const changes = entryOf('event', 'item_viewed', 2).changes;
    expect(changes).toHaveLength(2);
    expect(changes).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/owner', before: 'team-items', after: 'team-catalog', breaking: false },
        { op: 'add', path: '/fields/user_id', after: { name: 'user_id', version: 2, required: true }, breaking: true },
      ]),
    );
  });

  test('an environment: a removed event is breaking', () => {
    expect(entryOf('environment', 'web-frontend', 2).changes).toEqual([
      { op: 'remove', path: '/events/item_viewed', before: { name: 'item_viewed', version: 1 }, breaking: true },
    ]);
  });

  test('pages follow next_cursor to the end, with nothing missed or repeated', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { entries: Entry[]; next_cursor: string | null } = expectStatus(
        await registry.call('GET', `/api/changelog?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((entry) => entry.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(pages).toBe(5);
    expect(seen).toEqual(entries.map((entry) => entry.id));
  });

  test('a full last page has no next cursor', async () => {
    const page = expectStatus(await registry.call('GET', '/api/changelog?limit=9'), 200);
    expect(page.entries).toHaveLength(9);
    expect(page.next_cursor).toBeNull();
    const first = expectStatus(await registry.call('GET', '/api/changelog'), 200);
    expect(first.entries).toHaveLength(9);
  });

  test('filters by kind and by name, and each page diffs against the right previous version', async () => {
    const fields = expectStatus(await registry.call('GET', '/api/changelog?kind=field'), 200);
    expect(fields.entries.map((entry: Entry) => `${entry.name}@${entry.version}`)).toEqual(['user_id@3', 'source@2', 'user_id@2', 'source@1', 'user_id@1']);
    const userId = expectStatus(await registry.call('GET', '/api/changelog?kind=field&name=user_id&limit=1'), 200);
    expect(userId.entries).toHaveLength(1);
    expect(userId.entries[0].changes).toEqual(entryOf('field', 'user_id', 3).changes);
    const older = expectStatus(await registry.call(`GET`, `/api/changelog?kind=field&name=user_id&limit=1&cursor=${userId.next_cursor}`), 200);
    expect(older.entries[0]).toMatchObject({ name: 'user_id', version: 2 });
    expect(older.entries[0].changes).toEqual(entryOf('field', 'user_id', 2).changes);
  });

  test.each(['limit=0', 'limit=501', 'limit=two', 'cursor=abc', 'cursor=-1', 'kind=widget', 'cursor=1&cursor=2', 'name=a&name=b'])('?%s is a 400', async (query) => {
    expectError(await registry.call('GET', `/api/changelog?${query}`), 400);
  });

  test('a re-pin is as breaking as the change between the versions it moves between, through events to environments', async () => {
    const writesInOrder: [string, Record<string, unknown>][] = [
      ['/api/fields', { name: 'cart_id', type: 'string', maxLength: 64, message: 'Carts' }],
      ['/api/events', { name: 'cart_opened', owner: 'team-cart', fields: [{ name: 'cart_id', required: true }], message: 'Carts opened' }],
      ['/api/environments', { name: 'cart-service', owner: 'team-cart', events: [{ name: 'cart_opened' }], message: 'The cart service' }],
      // Reworded only: re-pinning it breaks nothing.
      ['/api/fields/cart_id/versions', { type: 'string', maxLength: 64, description: 'The cart', message: 'Say what' }],
      ['/api/events/cart_opened/versions', { owner: 'team-cart', fields: [{ name: 'cart_id', required: true }], message: 'Follow cart_id' }],
      ['/api/environments/cart-service/versions', { owner: 'team-cart', events: [{ name: 'cart_opened' }], message: 'Follow cart_opened' }],
      // Shorter: what was valid may be refused now, and so through every re-pin.
      ['/api/fields/cart_id/versions', { type: 'string', maxLength: 16, description: 'The cart', message: 'Shorter carts' }],
      ['/api/events/cart_opened/versions', { owner: 'team-cart', fields: [{ name: 'cart_id', required: true }], message: 'Follow cart_id again' }],
      ['/api/environments/cart-service/versions', { owner: 'team-cart', events: [{ name: 'cart_opened' }], message: 'Follow cart_opened again' }],
    ];
    for (const [route, body] of writesInOrder) expectStatus(await registry.call('POST', route, body), 201);
    const page = expectStatus(await registry.call('GET', '/api/changelog?limit=6'), 200);
    expect(page.entries.map((entry: Entry) => [`${entry.kind}:${entry.name}@${entry.version}`, entry.changes])).toEqual([
      ['environment:cart-service@3', [{ op: 'replace', path: '/events/cart_opened/version', before: 2, after: 3, breaking: true }]],
      ['event:cart_opened@3', [{ op: 'replace', path: '/fields/cart_id/version', before: 2, after: 3, breaking: true }]],
      ['field:cart_id@3', [{ op: 'replace', path: '/maxLength', before: 64, after: 16, breaking: true }]],
      ['environment:cart-service@2', [{ op: 'replace', path: '/events/cart_opened/version', before: 1, after: 2, breaking: false }]],
      ['event:cart_opened@2', [{ op: 'replace', path: '/fields/cart_id/version', before: 1, after: 2, breaking: false }]],
      ['field:cart_id@2', [{ op: 'replace', path: '/description', before: '', after: 'The cart', breaking: false }]],
    ]);
  });
});
