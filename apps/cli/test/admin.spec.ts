import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startTestRegistry } from '../../registry/test/support/test-registry';
import { cliFor, jsonOf, runCli, tempFolder } from './support/cli';

type Started = Awaited<ReturnType<typeof startTestRegistry>>;
type Folder = Awaited<ReturnType<typeof tempFolder>>;

const PASSWORD = 'correct horse battery staple';

/** `tagplan admin ...`: users and API tokens, and what the tokens may do afterwards. */
describe('tagplan admin', () => {
  let registry: Started;
  let folder: Folder;
  let admin: ReturnType<typeof cliFor>;
  let catalogFile: string;
  let changedFile: string;
  /** The secrets printed by create-token, by token name. */
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    registry = await startTestRegistry({ mode: 'embedded' });
    admin = cliFor(registry, registry.adminToken);
    folder = await tempFolder('tagplan-cli-admin-');
    const catalog = parse(await readFile(path.join(__dirname, 'fixtures', 'catalog.yaml'), 'utf8'));
    catalogFile = await folder.write('catalog.yaml', stringify(catalog));
    catalog.message = 'Longer tags';
    catalog.fields.tags.items.maxLength = 64;
    changedFile = await folder.write('changed.yaml', stringify(catalog));
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
    await folder?.remove();
  }, 60_000);

  async function whoami(authorization: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${registry.url}/api/auth/whoami`, { headers: { authorization } });
    return { status: response.status, body: await response.json() };
  }

  async function versionCount(): Promise<number> {
    const response = await registry.call('GET', '/api/catalog/snapshot');
    expect(response.status).toBe(200);
    return response.body.versions.length;
  }

  /** Creates a token with the CLI and keeps its secret: the last line of the human output. */
  async function createToken(name: string, args: string[]): Promise<string> {
    const result = await admin(['admin', 'create-token', '--name', name, ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^Created token ${name} \\(.*\\) for \\S+\\. Its secret, shown only now:$`));
    const secret = lines[1] as string;
    expect(secret).toMatch(/^\S{20,}$/);
    secrets.set(name, secret);
    return secret;
  }

  test('create-user --password-stdin makes a user who can sign in with that password', async () => {
    const result = await admin(['admin', 'create-user', 'alice', '--role', 'editor', '--password-stdin'], { input: `${PASSWORD}\n` });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Created editor alice.\n');
    const basic = (password: string) => `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`;
    const signedIn = await whoami(basic(PASSWORD));
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ username: 'alice', role: 'editor', via: 'password' });
    // The trailing newline of the piped password is not part of it.
    expect((await whoami(basic(`${PASSWORD}\n`))).status).toBe(401);
    expect((await whoami(basic('wrong password, really'))).status).toBe(401);
  }, 60_000);

  test('create-user --json answers with the user, never the password', async () => {
    const result = await admin(['--json', 'admin', 'create-user', 'victor', '--role', 'viewer', '--password-stdin'], { input: PASSWORD });
    expect(result.code).toBe(0);
    const user = jsonOf(result);
    expect(user).toMatchObject({ username: 'victor', role: 'viewer' });
    expect(result.stdout).not.toContain(PASSWORD);
  }, 60_000);

  test('create-user refuses an unknown role, a short password and a taken name', async () => {
    const role = await admin(['admin', 'create-user', 'mallory', '--role', 'owner']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--role must be one of viewer, editor, admin');
    const short = await admin(['admin', 'create-user', 'mallory', '--role', 'viewer', '--password-stdin'], { input: 'short\n' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('/password');
    const taken = await admin(['admin', 'create-user', 'alice', '--role', 'viewer']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('alice');
    const users = await registry.call('GET', '/api/admin/users');
    expect(users.body.map((user: { username: string }) => user.username).sort()).toEqual(['admin', 'alice', 'victor']);
  }, 60_000);

  test('create-token prints the secret once, and the token can write', async () => {
    const secret = await createToken('ci-apply', ['--scopes', 'read,write', '--user', 'alice']);
    const apply = await cliFor(registry, secret)(['apply', catalogFile]);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Created 7 version(s).');
    const field = await registry.call('GET', '/api/fields/item_id/versions/1');
    expect(field.body.author).toBe('alice');
  }, 60_000);

  test('a read-scoped token can read but not apply', async () => {
    const secret = await createToken('dashboard', ['--user', 'alice']);
    const reader = cliFor(registry, secret);
    const before = await versionCount();
    const apply = await reader(['apply', changedFile]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/scope/);
    expect(apply.stderr).toContain('write');
    expect(await versionCount()).toBe(before);
    const exported = await reader(['export']);
    expect(exported.code).toBe(0);
    expect(parse(exported.stdout).fields.item_id).toMatchObject({ type: 'integer' });
  }, 60_000);

  test('an editor\'s token cannot administer', async () => {
    const editor = cliFor(registry, secrets.get('ci-apply'));
    const result = await editor(['admin', 'create-user', 'bob', '--role', 'admin']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not an admin');
    const anonymous = await cliFor(registry, undefined)(['admin', 'list-tokens']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('credentials are required');
  }, 60_000);

  test('list-tokens shows every token and never a secret', async () => {
    const human = await admin(['admin', 'list-tokens']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/ci-apply +alice +read,write +active/);
    expect(human.stdout).toMatch(/dashboard +alice +read +active/);
    expect(human.stdout).toMatch(/initial-admin +admin +read,write,publish +active/);
    const machine = await admin(['--json', 'admin', 'list-tokens']);
    expect(machine.code).toBe(0);
    const tokens = jsonOf<Record<string, unknown>[]>(machine);
    expect(tokens.map((token) => token['name']).sort()).toEqual(['ci-apply', 'dashboard', 'initial-admin']);
    for (const token of tokens) expect(Object.keys(token).sort()).toEqual(['created_at', 'id', 'name', 'revoked_at', 'scopes', 'username']);
    for (const secret of [registry.adminToken, ...secrets.values()]) {
      expect(human.stdout).not.toContain(secret);
      expect(machine.stdout).not.toContain(secret);
    }
  }, 60_000);

  test('revoke-token makes the token stop working', async () => {
    const tokens = jsonOf<{ id: string; name: string }[]>(await admin(['--json', 'admin', 'list-tokens']));
    const id = tokens.find((token) => token.name === 'ci-apply')?.id as string;
    const writer = cliFor(registry, secrets.get('ci-apply'));
    expect((await writer(['apply', '--dry-run', changedFile])).code).toBe(0);

    const revoke = await admin(['admin', 'revoke-token', id]);
    expect(revoke.stderr).toBe('');
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toBe(`Revoked token ${id}.\n`);
    const before = await versionCount();
    const apply = await writer(['apply', changedFile]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('revoked');
    expect(await versionCount()).toBe(before);
    expect((await admin(['admin', 'list-tokens'])).stdout).toMatch(/ci-apply +alice +read,write +revoked \d{4}-/);
    // The other tokens still work.
    expect((await cliFor(registry, secrets.get('dashboard'))(['export'])).code).toBe(0);
    const unknown = await admin(['admin', 'revoke-token', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('00000000-0000-4000-8000-000000000000');
  }, 60_000);

  test('TAGPLAN_URL and TAGPLAN_TOKEN stand in for --url and --token', async () => {
    const result = await runCli(['admin', 'list-tokens'], { env: { TAGPLAN_URL: registry.url, TAGPLAN_TOKEN: registry.adminToken } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('initial-admin');
    // The flags win over the environment.
    const overridden = await runCli(['--token', 'not-a-token-at-all', 'admin', 'list-tokens'], { env: { TAGPLAN_URL: registry.url, TAGPLAN_TOKEN: registry.adminToken } });
    expect(overridden.code).toBe(1);
    expect(overridden.stderr).toContain('unknown or revoked token');
  }, 60_000);
});
