import { closedPortUrl, jsonOf, runCli } from './support/cli';

/** Failures every command shares: a readable sentence (or JSON), never a stack trace, and the right exit code. */
describe('tagplan errors', () => {
  let nowhere: string;

  beforeAll(async () => {
    nowhere = await closedPortUrl();
  });

  test('an unreachable registry: a clear message and exit 1', async () => {
    const result = await runCli(['--url', nowhere, 'export']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: cannot reach the registry at ${nowhere} (ECONNREFUSED); is it running? (tagplan serve, or set --url / TAGPLAN_URL)\n`,
    );
  }, 60_000);

  test('TAGPLAN_URL is where the CLI looks when --url is not given', async () => {
    const result = await runCli(['diff', 'user_id@1', 'user_id@2'], { env: { TAGPLAN_URL: nowhere } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach the registry at ${nowhere}`);
  }, 60_000);

  test('--json errors are JSON on stdout', async () => {
    const result = await runCli(['--json', '--url', nowhere, 'admin', 'list-tokens']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const error = jsonOf(result);
    expect(error).toEqual({ error: 'unreachable', message: expect.stringContaining(`cannot reach the registry at ${nowhere}`), details: [] });
  }, 60_000);

  test('a URL that is not one is a usage error', async () => {
    const result = await runCli(['--url', 'localhost:4000', 'export']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--url must be an http:// or https:// URL');
    const fromEnvironment = await runCli(['export'], { env: { TAGPLAN_URL: 'registry.example' } });
    expect(fromEnvironment.code).toBe(2);
    expect(fromEnvironment.stderr).toContain('TAGPLAN_URL must be an http:// or https:// URL');
  }, 60_000);

  test('an unknown command: exit 2, and the usage', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).toContain('Usage: tagplan');
    const json = await runCli(['--json', 'frobnicate']);
    expect(json.code).toBe(2);
    expect(jsonOf(json)).toEqual({ error: 'usage', message: "unknown command 'frobnicate'", details: [] });
  }, 60_000);

  test.each([
    ['a missing argument', ['apply'], "missing required argument 'file'"],
    ['an unknown option', ['export', '--colour'], "unknown option '--colour'"],
    ['a missing required option', ['validate', 'events.jsonl'], "required option '-e, --env <environment>' not specified"],
    ['an unknown admin command', ['admin', 'delete-user', 'alice'], "unknown command 'delete-user'"],
    ['a bad entity reference', ['--url', 'http://127.0.0.1:9', 'diff', 'user_id@x', 'user_id@2'], 'is not an entity reference'],
    ['an invalid port', ['serve', '--port', '70000'], '--port must be a whole number from 0 to 65535'],
  ])('%s is a usage error: exit 2', async (_what, args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  test('--help lists every command and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'apply', 'export', 'diff', 'validate', 'admin']) expect(result.stdout).toContain(command);
  }, 60_000);
});
