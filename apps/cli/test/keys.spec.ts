import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeKeyDigest } from '@tagplan/collector';
import { startTestRegistry } from '../../registry/test/support/test-registry';
import { cliFor, closedPortUrl, jsonOf, runCli, tempFolder } from './support/cli';

type Started = Awaited<ReturnType<typeof startTestRegistry>>;

/** `tagplan keys ...`: environments' write keys, against a real registry. */
describe('tagplan keys', () => {
  let registry: Started;
  let tagplan: ReturnType<typeof cliFor>;
  let reader: ReturnType<typeof cliFor>;
  /** Keys created by the tests, by name. */
  const keys = new Map<string, { id: string; key: string }>();

  beforeAll(async () => {
    registry = await startTestRegistry({ mode: 'embedded' });
    tagplan = cliFor(registry, registry.adminToken);
    const folder = await tempFolder('tagplan-cli-keys-');
    try {
      const file = await folder.write('catalog.yaml', await readFile(path.join(__dirname, 'fixtures', 'catalog.yaml'), 'utf8'));
      const applied = await tagplan(['apply', file]);
      expect(applied.code).toBe(0);
    } finally {
      await folder.remove();
    }
    const token = await registry.call('POST', '/api/admin/tokens', { name: 'reader', scopes: ['read'] });
    reader = cliFor(registry, token.body.token as string);
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  }, 60_000);

  test('create prints the key once; the registry keeps only its digest', async () => {
    const result = await tagplan(['keys', 'create', '--env', 'web-frontend', '--name', 'production']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const match = /^Created write key production \(([0-9a-f-]{36})\) for web-frontend\. The key, shown only now:$/.exec(lines[0] as string);
    expect(match).not.toBeNull();
    const key = lines[1] as string;
    expect(key).toMatch(/^tpw_\S{43}$/);
    const id = match?.[1] as string;
    keys.set('production', { id, key });
    const [row] = await registry.sql(`SELECT lookup, secret_hash, row_to_json(write_keys)::text AS text FROM write_keys WHERE id = $1`, [id]);
    expect(row).toMatchObject(writeKeyDigest(key));
    expect(row?.['text']).not.toContain(key.slice(4));
  }, 60_000);

  test('create --json answers the key and its view; the name defaults to "default"', async () => {
    const result = await tagplan(['--json', 'keys', 'create', '-e', 'web-frontend']);
    expect(result.code).toBe(0);
    const created = jsonOf(result);
    expect(created).toMatchObject({ environment: 'web-frontend', name: 'default', created_by: 'admin', revoked_at: null, key: expect.stringMatching(/^tpw_/) });
    keys.set('default', { id: created.id, key: created.key });
  }, 60_000);

  test('list shows every key, of one environment or all, and never a key itself', async () => {
    const human = await tagplan(['keys', 'list']);
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${keys.get('production')?.id}  web-frontend +production +created \\d{4}-\\S+ by admin +active$`));
    expect(lines[1]).toContain(keys.get('default')?.id as string);
    const machine = await tagplan(['--json', 'keys', 'list', '--env', 'web-frontend']);
    expect(machine.code).toBe(0);
    const listed = jsonOf<Record<string, unknown>[]>(machine);
    expect(listed.map((key) => key['name'])).toEqual(['production', 'default']);
    for (const key of listed) expect(Object.keys(key).sort()).toEqual(['created_at', 'created_by', 'environment', 'id', 'name', 'revoked_at']);
    for (const { key } of keys.values()) {
      expect(human.stdout).not.toContain(key);
      expect(machine.stdout).not.toContain(key);
    }
    // A reader may list.
    expect((await reader(['keys', 'list'])).code).toBe(0);
  }, 60_000);

  test('revoke marks the key revoked; revoking again says so; the list shows it', async () => {
    const { id } = keys.get('default') as { id: string };
    const revoked = await tagplan(['keys', 'revoke', id]);
    expect(revoked.stderr).toBe('');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`Revoked write key ${id} (default, web-frontend).\n`);
    const again = await tagplan(['keys', 'revoke', id]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^Write key ${id} \\(default, web-frontend\\) was already revoked on \\d{4}-`));
    expect((await tagplan(['keys', 'list'])).stdout).toMatch(/default +created \S+ by admin +revoked \d{4}-/);
    const [row] = await registry.sql(`SELECT revoked_at FROM write_keys WHERE id = $1`, [id]);
    expect(row?.['revoked_at']).toBeInstanceOf(Date);
    const machine = await tagplan(['--json', 'keys', 'revoke', id]);
    expect(jsonOf(machine)).toMatchObject({ id, revoked_at: expect.any(String) });
  }, 60_000);

  test('mistakes are reported with exit codes: 2 for usage, 1 for what the registry refuses', async () => {
    const noEnv = await tagplan(['keys', 'create']);
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toContain('--env');
    const unknownEnv = await tagplan(['keys', 'create', '--env', 'android-app']);
    expect(unknownEnv.code).toBe(1);
    expect(unknownEnv.stderr).toContain('there is no environment named android-app');
    const badName = await tagplan(['keys', 'create', '--env', 'web-frontend', '--name', '']);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('/name');
    const unknownKey = await tagplan(['keys', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toContain('there is no write key 00000000-0000-4000-8000-000000000000');
    const json = await tagplan(['--json', 'keys', 'list', '--env', 'android-app']);
    expect(json.code).toBe(1);
    expect(jsonOf(json)).toMatchObject({ error: 'not_found' });
    const readOnly = await reader(['keys', 'create', '--env', 'web-frontend']);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/lacks the "write" scope/);
    const anonymousRevoke = await cliFor(registry, undefined)(['keys', 'revoke', keys.get('production')?.id as string]);
    expect(anonymousRevoke.code).toBe(1);
    expect(anonymousRevoke.stderr).toContain('credentials are required');
    expect((await registry.sql(`SELECT count(*)::int AS n FROM write_keys`))[0]?.['n']).toBe(2);
    expect((await registry.sql(`SELECT revoked_at FROM write_keys WHERE id = $1`, [keys.get('production')?.id]))[0]?.['revoked_at']).toBeNull();
    const unreachable = await runCli(['--url', await closedPortUrl(), 'keys', 'list']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the registry');
  }, 120_000);
});
