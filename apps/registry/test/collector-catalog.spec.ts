import { writeKeyDigest, type CollectorCatalogDocument } from '@tagplan/collector';
import { expectError, expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

/** GET /api/collector/catalog: what the shared collector loads and polls (issue 4 §3). */
describe.each(databaseModes())('the collector catalog on the %s database', (mode) => {
  let registry: StartedTestRegistry;
  let reader: string;
  let writerOnly: string;

  beforeAll(async () => {
    // Open reads (the default): the collector catalog must still need a token.
    registry = await startTestRegistry({ mode, config: { openReads: true } });
    expectStatus(
      await registry.call('POST', '/api/catalog/apply', {
        catalog: {
          message: 'Start',
          fields: { item_id: { type: 'integer' } },
          events: { item_viewed: { owner: 'team-items', fields: { item_id: 'required' } } },
          environments: { 'web-frontend': { owner: 'team-web', events: ['item_viewed'] } },
          routes: { 'web-frontend': { '*': ['file'] } },
        },
      }),
      200,
    );
    reader = expectStatus(await registry.call('POST', '/api/admin/tokens', { name: 'collector', scopes: ['read'] }), 201).token;
    writerOnly = expectStatus(await registry.call('POST', '/api/admin/tokens', { name: 'no-read', scopes: ['write'] }), 201).token;
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  /** A GET of the collector catalog as a collector makes it. */
  async function poll(etag?: string, token: string | null = reader): Promise<{ status: number; etag: string | null; text: string; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (etag !== undefined) headers['if-none-match'] = etag;
    const response = await fetch(`${registry.url}/api/collector/catalog`, { headers });
    return { status: response.status, etag: response.headers.get('etag'), text: await response.text(), headers: response.headers };
  }

  async function documentOf(): Promise<{ etag: string; document: CollectorCatalogDocument }> {
    const answer = await poll();
    expect(answer.status).toBe(200);
    return { etag: answer.etag as string, document: JSON.parse(answer.text) as CollectorCatalogDocument };
  }

  /** The revision after `change`, checked to differ from the one before and to be the new ETag. */
  async function revisionChangesWith(change: () => Promise<unknown>): Promise<CollectorCatalogDocument> {
    const before = await documentOf();
    await change();
    const stale = await poll(before.etag);
    expect(stale.status).toBe(200);
    const after = JSON.parse(stale.text) as CollectorCatalogDocument;
    expect(after.revision).not.toBe(before.document.revision);
    expect(stale.etag).toBe(`"${after.revision}"`);
    expect((await poll(stale.etag as string)).status).toBe(304);
    return after;
  }

  test('needs a token with the read scope, even with open reads', async () => {
    const anonymous = await poll(undefined, null);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ statusCode: 401, error: 'unauthenticated' });
    expect((await poll(undefined, writerOnly)).status).toBe(403);
    expect((await poll(undefined, 'tp_not-a-token')).status).toBe(401);
    // Reads of the catalog itself stay open.
    expectStatus(await registry.call('GET', '/api/catalog/snapshot', undefined, null), 200);
  });

  test('the document holds every version, the keys as digests, the latest routes; its revision is the ETag', async () => {
    const key = expectStatus(await registry.call('POST', '/api/environments/web-frontend/keys', { name: 'production' }), 201);
    const { etag, document } = await documentOf();
    expect(document.format).toBe('tagplan-collector-catalog/1');
    expect(document.revision).toMatch(/^[0-9a-f]{32}$/);
    expect(etag).toBe(`"${document.revision}"`);
    expect(Date.parse(document.generated_at)).not.toBeNaN();
    const snapshot = expectStatus(await registry.call('GET', '/api/catalog/snapshot'), 200);
    expect(document.versions).toEqual(snapshot.versions);
    expect(document.routes).toEqual([{ environment: 'web-frontend', event: '*', sinks: ['file'] }]);
    expect(document.write_keys).toEqual([{ id: key.id, environment: 'web-frontend', ...writeKeyDigest(key.key), revoked: false }]);
    expect(JSON.stringify(document)).not.toContain(key.key);
  });

  test('If-None-Match with the current revision gets 304 and no body; the answer is never cached by others', async () => {
    const { etag } = await documentOf();
    for (const held of [etag, `W/${etag}`, `"other", ${etag}`, etag.slice(1, -1), '*']) {
      const answer = await poll(held);
      expect(answer.status).toBe(304);
      expect(answer.text).toBe('');
      expect(answer.etag).toBe(etag);
    }
    const changed = await poll('"some-older-revision"');
    expect(changed.status).toBe(200);
    expect(changed.etag).toBe(etag);
    expect(changed.headers.get('cache-control')).toMatch(/private/);
    expect(changed.headers.get('cache-control')).toMatch(/no-cache/);
    // A 304 still needs the token.
    expect((await poll(etag, null)).status).toBe(401);
  });

  test('the revision stays the same while nothing changes, reads and refused writes included', async () => {
    const { document } = await documentOf();
    await registry.call('GET', '/api/fields/item_id');
    expectError(await registry.call('POST', '/api/fields/item_id/versions', { type: 'integer', message: 'Same' }), 409);
    expectError(await registry.call('POST', '/api/routes/versions', { routes: [{ environment: 'web-frontend', event: '*', sinks: ['file'] }], message: 'Same' }), 409);
    expectStatus(await registry.call('POST', '/api/catalog/apply', { catalog: { fields: { item_id: { type: 'integer' } } } }), 200);
    expectStatus(
      await registry.call('POST', '/api/collector/counts', { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 1, minute: new Date().toISOString(), accepted: 3, bad: 0 }] }),
      200,
    );
    const again = await documentOf();
    expect(again.document.revision).toBe(document.revision);
    expect(again.document.generated_at).toBe(document.generated_at);
  });

  test('a new field, event or environment version changes the revision, and the document has it', async () => {
    const after = await revisionChangesWith(async () => expectStatus(await registry.call('POST', '/api/fields/item_id/versions', { type: 'integer', minimum: 1, message: 'Positive' }), 201));
    expect(after.versions.filter((version) => version.kind === 'field' && version.name === 'item_id').map((version) => version.version)).toEqual([1, 2]);
    const applied = await revisionChangesWith(async () =>
      expectStatus(
        await registry.call('POST', '/api/catalog/apply', {
          catalog: {
            message: 'Searches',
            fields: { query: { type: 'string' } },
            events: { search_performed: { owner: 'team-search', fields: { query: 'required' } } },
            environments: { 'ios-app': { owner: 'team-mobile', events: ['search_performed'] } },
          },
        }),
        200,
      ),
    );
    expect(applied.versions.map((version) => `${version.kind}:${version.name}@${version.version}`)).toEqual(
      expect.arrayContaining(['field:query@1', 'event:search_performed@1', 'environment:ios-app@1']),
    );
  });

  test('a new routing version changes the revision, and the document has the latest routes', async () => {
    const routes = [
      { environment: 'ios-app', event: '*', sinks: ['file'] },
      { environment: 'web-frontend', event: 'item_viewed', sinks: ['file', 'nats'] },
    ];
    const after = await revisionChangesWith(async () => expectStatus(await registry.call('POST', '/api/routes/versions', { routes, message: 'More routes' }), 201));
    expect(after.routes).toEqual(routes);
  });

  test('a new key and a revoked key change the revision; the document has the digest and the revoked flag', async () => {
    let key: { id: string; key: string } = { id: '', key: '' };
    const withKey = await revisionChangesWith(async () => {
      key = expectStatus(await registry.call('POST', '/api/environments/ios-app/keys', {}), 201);
    });
    const record = withKey.write_keys.find((entry) => entry.id === key.id);
    expect(record).toEqual({ id: key.id, environment: 'ios-app', ...writeKeyDigest(key.key), revoked: false });
    const revoked = await revisionChangesWith(async () => expectStatus(await registry.call('POST', `/api/environments/ios-app/keys/${key.id}/revoke`), 200));
    expect(revoked.write_keys.find((entry) => entry.id === key.id)?.revoked).toBe(true);
    expect(revoked.write_keys.filter((entry) => !entry.revoked)).toHaveLength(1);
    // Revoking again changes nothing.
    const { document } = await documentOf();
    expectStatus(await registry.call('POST', `/api/environments/ios-app/keys/${key.id}/revoke`), 200);
    expect((await documentOf()).document.revision).toBe(document.revision);
  });

  test('two registries holding as many rows of other content have different revisions', async () => {
    const revisions: string[] = [];
    for (const name of ['first_field', 'second_field']) {
      const other = await startTestRegistry({ mode });
      try {
        expectStatus(await other.call('POST', '/api/fields', { name, type: 'string', message: 'One field' }), 201);
        const answer = await fetch(`${other.url}/api/collector/catalog`, { headers: { authorization: `Bearer ${other.adminToken}` } });
        expect(answer.status).toBe(200);
        revisions.push(((await answer.json()) as CollectorCatalogDocument).revision);
      } finally {
        await other.close();
        await other.destroy();
      }
    }
    expect(revisions[0]).not.toBe(revisions[1]);
  }, 60_000);

  test('the OpenAPI document describes the route, its 304 and its authentication', async () => {
    const document = expectStatus(await registry.call('GET', '/api/docs-json', undefined, null), 200);
    const operation = document.paths['/api/collector/catalog']?.get;
    expect(operation).toBeDefined();
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '304', '401']));
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-None-Match', in: 'header' })]));
  });
});
