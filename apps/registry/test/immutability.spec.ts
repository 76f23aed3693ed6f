import { databaseModes, startTestRegistry } from './support/test-registry';

type Started = Awaited<ReturnType<typeof startTestRegistry>>;

describe.each(databaseModes())('catalog storage on the %s database', (mode) => {
  let registry: Started;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    await registry.call('POST', '/api/fields', { name: 'user_id', type: 'string', message: 'Identify users' });
    await registry.call('POST', '/api/events', { name: 'item_viewed', owner: 'team-items', fields: [{ name: 'user_id', required: true }], message: 'Track item pages' });
    await registry.call('POST', '/api/environments', { name: 'web-frontend', owner: 'team-web', events: [{ name: 'item_viewed' }], message: 'The website' });
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const statements = [
    ['UPDATE a version', `UPDATE catalog_versions SET message = 'rewritten' WHERE kind = 'field' AND name = 'user_id'`],
    ['DELETE a version', `DELETE FROM catalog_versions WHERE kind = 'environment'`],
    ['UPDATE a reference', `UPDATE catalog_references SET required = false`],
    ['DELETE a reference', `DELETE FROM catalog_references`],
    ['DELETE an entity', `DELETE FROM catalog_entities WHERE name = 'web-frontend'`],
    ['rename an entity', `UPDATE catalog_entities SET name = 'renamed' WHERE name = 'user_id'`],
    ['TRUNCATE the versions', `TRUNCATE catalog_versions CASCADE`],
    ['TRUNCATE the references', `TRUNCATE catalog_references`],
  ];

  test.each(statements)('the database refuses to %s', async (_what, statement) => {
    await expect(registry.sql(statement)).rejects.toThrow(/the catalog is append-only/);
    const [counts] = await registry.sql(
      `SELECT (SELECT count(*) FROM catalog_versions)::int AS versions, (SELECT count(*) FROM catalog_references)::int AS refs`,
    );
    expect(counts).toEqual({ versions: 3, refs: 2 });
  });

  test('a reference to a version that does not exist is refused by a foreign key', async () => {
    await expect(
      registry.sql(`INSERT INTO catalog_references (kind, name, version, role, ref_kind, ref_name, ref_version, required, position)
                    VALUES ('event', 'item_viewed', 1, 'field', 'field', 'user_id', 99, true, 2)`),
    ).rejects.toThrow(/catalog_references_target_fkey|catalog_references_pkey/);
  });

  test('no route updates or deletes', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      for (const route of ['/api/fields/user_id', '/api/fields/user_id/versions/1', '/api/events/item_viewed', '/api/environments/web-frontend/versions/1']) {
        const response = await registry.call(method, route, { message: 'try' });
        expect([404, 405]).toContain(response.status);
      }
    }
    const document = (await registry.call('GET', '/api/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const methods = Object.values(document.paths).flatMap((operations) => Object.keys(operations));
    expect(methods.filter((method) => ['put', 'patch', 'delete'].includes(method))).toEqual([]);
  });
});
