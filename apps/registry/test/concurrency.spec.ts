import { Client } from 'pg';
import { expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

/**
 * Races between real, parallel HTTP requests on the real database. Which request wins is
 * up to the scheduler; what must hold whatever the order is checked after each race.
 */
const PARALLEL = 8;
const ROUNDS = 4;

describe.each(databaseModes())('concurrent writes on the %s database', (mode) => {
  let registry: StartedTestRegistry;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  const versionsOf = async (kind: string, name: string): Promise<number[]> =>
    (await registry.sql(`SELECT version FROM catalog_versions WHERE kind = $1 AND name = $2 ORDER BY version`, [kind, name])).map((row) => row['version'] as number);

  const race = (requests: (() => Promise<{ status: number; body: any }>)[]) => Promise.all(requests.map((request) => request()));

  test('requests creating the same next version: exactly one 201, the others 409, one row', async () => {
    expectStatus(await registry.call('POST', '/api/fields', { name: 'contested', type: 'integer', message: 'Start' }), 201);
    for (let round = 0; round < ROUNDS; round += 1) {
      const next = round + 2;
      const answers = await race(
        Array.from({ length: PARALLEL }, (_, index) => () =>
          registry.call('POST', '/api/fields/contested/versions', { type: 'integer', maximum: 100 * next + index, version: next, message: `Writer ${index}` }),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([201, ...Array(PARALLEL - 1).fill(409)]);
      for (const answer of answers.filter((each) => each.status === 409)) expect(answer.body.error).toBe('version_conflict');
      const winner = answers.find((answer) => answer.status === 201)?.body;
      expect(winner.version).toBe(next);
      expect(await versionsOf('field', 'contested')).toEqual(Array.from({ length: next }, (_, index) => index + 1));
      const stored = expectStatus(await registry.call('GET', `/api/fields/contested/versions/${next}`), 200);
      expect(stored).toEqual(winner);
    }
  }, 60_000);

  test('requests adding "the next version" without a number never share a version and never skip one', async () => {
    expectStatus(await registry.call('POST', '/api/fields', { name: 'busy', type: 'integer', message: 'Start' }), 201);
    const answers = await race(
      Array.from({ length: PARALLEL }, (_, index) => () => registry.call('POST', '/api/fields/busy/versions', { type: 'integer', minimum: index, message: `Writer ${index}` })),
    );
    for (const answer of answers) {
      expect([201, 409]).toContain(answer.status);
      if (answer.status === 409) expect(answer.body.error).toBe('version_conflict');
    }
    const created = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.version as number);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect([...created].sort((a, b) => a - b)).toEqual(Array.from({ length: created.length }, (_, index) => index + 2));
    expect(await versionsOf('field', 'busy')).toEqual([1, ...[...created].sort((a, b) => a - b)]);
  }, 60_000);

  test('requests creating the same new name: exactly one 201, the others 409, one entity with one version', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const name = `newcomer_${round}`;
      const answers = await race(
        Array.from({ length: PARALLEL }, (_, index) => () => registry.call('POST', '/api/events', { name, owner: `team-${index}`, message: `Writer ${index}` })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array(PARALLEL - 1).fill(409)]);
      for (const answer of answers.filter((each) => each.status === 409)) expect(answer.body.error).toBe('already_exists');
      const [counts] = await registry.sql(
        `SELECT (SELECT count(*) FROM catalog_entities WHERE kind = 'event' AND name = $1)::int AS entities,
                (SELECT count(*) FROM catalog_versions WHERE kind = 'event' AND name = $1)::int AS versions`,
        [name],
      );
      expect(counts).toEqual({ entities: 1, versions: 1 });
      const winner = answers.find((answer) => answer.status === 201)?.body;
      expect(expectStatus(await registry.call('GET', `/api/events/${name}/versions/1`), 200).body.owner).toBe(winner.body.owner);
    }
  }, 60_000);

  test('parallel writes to different entities all succeed', async () => {
    const answers = await race(
      Array.from({ length: PARALLEL * 2 }, (_, index) => () => registry.call('POST', '/api/fields', { name: `parallel_${index}`, type: 'string', message: 'Many at once' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(PARALLEL * 2).fill(201));
  }, 60_000);

  describe('applies', () => {
    const file = (round: number, maxLength: number) => ({
      message: `Round ${round}`,
      fields: { [`applied_user_${round}`]: { type: 'string', maxLength }, [`applied_item_${round}`]: { type: 'integer', minimum: 1 } },
      events: { [`applied_event_${round}`]: { owner: 'team-items', fields: { [`applied_user_${round}`]: 'required', [`applied_item_${round}`]: 'optional' } } },
      environments: { [`applied-env-${round}`]: { owner: 'team-web', events: [`applied_event_${round}`] } },
    });

    const snapshot = async () =>
      (await registry.sql(`SELECT kind, name, version FROM catalog_versions WHERE name LIKE 'applied%' ORDER BY kind, name, version`)).map(
        (row) => `${row['kind']}:${row['name']}@${row['version']}`,
      );

    test('the same file applied in parallel is written exactly once', async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const answers = await race(Array.from({ length: PARALLEL }, () => () => registry.call('POST', '/api/catalog/apply', { catalog: file(round, 64) })));
        for (const answer of answers) {
          expect([200, 409]).toContain(answer.status);
          if (answer.status === 409) expect(['already_exists', 'version_conflict']).toContain(answer.body.error);
        }
        const writers = answers.filter((answer) => answer.status === 200 && answer.body.versions.length > 0);
        expect(writers).toHaveLength(1);
        expect(writers[0]?.body.versions).toHaveLength(4);
        const noOps = answers.filter((answer) => answer.status === 200 && answer.body.versions.length === 0);
        expect(writers.length + noOps.length + answers.filter((answer) => answer.status === 409).length).toBe(PARALLEL);
        expect((await snapshot()).filter((entry) => entry.includes(`_${round}@`) || entry.includes(`-${round}@`))).toEqual([
          `environment:applied-env-${round}@1`,
          `event:applied_event_${round}@1`,
          `field:applied_item_${round}@1`,
          `field:applied_user_${round}@1`,
        ]);
      }
    }, 60_000);

    test('different files changing the same field in parallel leave a gapless history that matches one of them', async () => {
      const lengths = Array.from({ length: PARALLEL }, (_, index) => 100 + index);
      const answers = await race(lengths.map((maxLength) => () => registry.call('POST', '/api/catalog/apply', { catalog: file(0, maxLength) })));
      for (const answer of answers) expect([200, 409]).toContain(answer.status);
      const written = answers.filter((answer) => answer.status === 200);
      expect(written.length).toBeGreaterThanOrEqual(1);
      const fieldVersions = await versionsOf('field', 'applied_user_0');
      expect(fieldVersions).toEqual(Array.from({ length: fieldVersions.length }, (_, index) => index + 1));
      expect(fieldVersions.length).toBe(1 + written.length);
      // each successful apply cascaded: field, event and environment moved together
      expect(await versionsOf('event', 'applied_event_0')).toHaveLength(fieldVersions.length);
      expect(await versionsOf('environment', 'applied-env-0')).toHaveLength(fieldVersions.length);
      const latest = expectStatus(await registry.call('GET', `/api/fields/applied_user_0/versions/${fieldVersions.length}`), 200);
      const finalLength = latest.body.maxLength as number;
      expect(lengths).toContain(finalLength);
      const again = expectStatus(await registry.call('POST', '/api/catalog/apply', { catalog: file(0, finalLength) }), 200);
      expect(again.versions).toEqual([]);
    }, 60_000);
  });
  test('a catalog write waits for the one before it to commit: ids grow in commit order, so the change log never skips one', async () => {
    expectStatus(await registry.call('POST', '/api/fields', { name: 'template_field', type: 'integer', message: 'A body to copy' }), 201);
    const [template] = await registry.sql(`SELECT body FROM catalog_versions WHERE kind = 'field' AND name = 'template_field'`);
    const held = new Client({ connectionString: registry.databaseUrl });
    await held.connect();
    try {
      // A writer that has inserted its version but not committed yet (a long apply, say).
      await held.query('BEGIN');
      await held.query(`INSERT INTO catalog_entities (kind, name) VALUES ('field', 'slow_writer')`);
      const inserted = await held.query(`INSERT INTO catalog_versions (kind, name, version, body, author, message) VALUES ('field', 'slow_writer', 1, $1, 'test', 'Held open') RETURNING id`, [
        JSON.stringify(template?.['body']),
      ]);
      const slowId = Number(inserted.rows[0].id);
      const fast = registry.call('POST', '/api/fields', { name: 'fast_writer', type: 'integer', message: 'Not held' });
      // The second writer waits for the first one's transaction, at the catalog's write lock.
      for (let waited = 0; ; waited += 50) {
        const [waiting] = await registry.sql(`SELECT count(*)::int AS count FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'`);
        if ((waiting?.['count'] as number) > 0) break;
        if (waited > 10_000) throw new Error('the second catalog write never waited for the first to commit');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await held.query('COMMIT');
      expectStatus(await fast, 201);
      const [fastRow] = await registry.sql(`SELECT id FROM catalog_versions WHERE kind = 'field' AND name = 'fast_writer'`);
      expect(Number(fastRow?.['id'])).toBeGreaterThan(slowId);
      const changelog = expectStatus(await registry.call('GET', '/api/changelog?limit=2'), 200);
      expect(changelog.entries.map((entry: { name: string }) => entry.name)).toEqual(['fast_writer', 'slow_writer']);
    } finally {
      await held.query('ROLLBACK').catch(() => undefined);
      await held.end();
    }
  }, 60_000);
});
