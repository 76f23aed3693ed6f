import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, cliFor, ROOT, tempFolder } from './support/cli';

type Folder = Awaited<ReturnType<typeof tempFolder>>;

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;

interface Served {
  child: ChildProcess;
  url: string;
  /** The initial admin token, when this start printed one. */
  adminToken?: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `tagplan serve --port 0 --collector-port 0 --data DIR`, resolved once it says where it listens. */
function serve(dataDir: string): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only the flags decide: no inherited server, port, data folder or admin token.
  for (const name of ['DATABASE_URL', 'PORT', 'HOST', 'TAGPLAN_DATA_DIR', 'TAGPLAN_ADMIN_TOKEN', 'TAGPLAN_URL', 'TAGPLAN_TOKEN']) delete env[name];
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--collector-port', '0', '--data', dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tagplan serve did not start within ${START_TIMEOUT_MS} ms\n${output()}`)), START_TIMEOUT_MS);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!stdout.includes('Press Ctrl-C to stop.')) return;
      clearTimeout(timer);
      const url = /^ {2}Registry {3}(http:\/\/127\.0\.0\.1:\d+)\/api$/m.exec(stdout)?.[1];
      if (!url) return reject(new Error(`no registry URL in the output\n${output()}`));
      const token = /Initial admin token \(shown only once; keep it\):\n\s+(\S+)/.exec(stdout)?.[1];
      resolve({ child, url, ...(token ? { adminToken: token } : {}), output, exited });
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`tagplan serve exited (${code ?? signal}) before it was ready\n${output()}`));
    });
  });
}

/** SIGTERM as a service manager stops it (or SIGINT, Ctrl-C); SIGKILL only if it hangs, so a failing test still cleans up. */
async function stop(served: Served, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (served.child.exitCode === null && served.child.signalCode === null) served.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      served.child.kill('SIGKILL');
      reject(new Error(`tagplan serve did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM\n${served.output()}`));
    }, STOP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([served.exited, hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function get(url: string, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, body: await response.json() };
}

/** `tagplan serve`: the registry on the embedded database, with the demo catalog, across a restart. */
describe('tagplan serve', () => {
  let folder: Folder;
  let served: Served | undefined;
  let url: string;
  let adminToken: string;
  let totals: Record<string, number>;

  beforeAll(async () => {
    folder = await tempFolder('tagplan-cli-serve-');
  });

  afterAll(async () => {
    if (served) await stop(served).catch(() => undefined);
    await folder?.remove();
  }, STOP_TIMEOUT_MS + 10_000);

  async function catalogTotals(base: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const kind of ['fields', 'events', 'environments']) {
      const list = await get(`${base}/api/${kind}?limit=100`);
      expect(list.status).toBe(200);
      counts[kind] = list.body.total;
    }
    return counts;
  }

  test('first start: seeds the demo catalog and prints the admin token once', async () => {
    served = await serve(folder.path);
    url = served.url;
    // The printed curl works at once: one event accepted, one bad row.
    const curl = /curl -s (\S+) -H 'Authorization: Bearer (\S+)' -H 'Content-Type: application\/json' \\\n\s+-d '(.+)'$/m.exec(served.output());
    if (!curl) throw new Error(`no curl in the output\n${served.output()}`);
    const [, endpoint, key, batch] = curl as unknown as [string, string, string, string];
    const sent = await fetch(endpoint, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: batch });
    expect({ status: sent.status, body: await sent.json() }).toMatchObject({ status: 200, body: { accepted: 1, rejected: [{ index: 1, reason: 'invalid_data' }] } });
    expect(served.output()).toContain('seeded the marketplace catalog');
    expect(served.adminToken).toBeDefined();
    adminToken = served.adminToken as string;

    totals = await catalogTotals(url);
    expect(totals['environments']).toBeGreaterThanOrEqual(3);
    expect(totals['events']).toBeGreaterThanOrEqual(10);
    expect(totals['fields']).toBeGreaterThanOrEqual(15);
    let moved = 0;
    for (const kind of ['fields', 'events', 'environments']) {
      const list = await get(`${url}/api/${kind}?limit=100`);
      moved += (list.body.items as { version: number }[]).filter((item) => item.version > 1).length;
    }
    expect(moved).toBeGreaterThanOrEqual(3);
    for (const name of ['web-frontend', 'ios-app', 'backend-items']) {
      expect((await get(`${url}/api/environments/${name}`)).status).toBe(200);
    }
  }, START_TIMEOUT_MS + 30_000);

  test('the printed admin token works, and a wrong one does not', async () => {
    const tokens = await cliFor({ url }, adminToken)(['admin', 'list-tokens']);
    expect(tokens.stderr).toBe('');
    expect(tokens.code).toBe(0);
    expect(tokens.stdout).toMatch(/initial-admin +admin +read,write,publish +active/);
    const wrong = await cliFor({ url }, `${adminToken}x`)(['admin', 'list-tokens']);
    expect(wrong.code).toBe(1);

    const file = await folder.write('restart.yaml', 'message: Check that data survives a restart\nfields:\n  restart_marker: { type: boolean, description: Written before the restart }\n');
    const apply = await cliFor({ url }, adminToken)(['apply', file]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('+ field restart_marker@1 (new)');
  }, 60_000);

  test('SIGTERM stops it cleanly: exit 0', async () => {
    const exit = await stop(served as Served);
    expect(exit).toEqual({ code: 0, signal: null });
    expect((served as Served).output()).toContain('Stopping');
    served = undefined;
  }, STOP_TIMEOUT_MS + 10_000);

  test('a second start on the same data folder keeps the data and prints no new admin token', async () => {
    served = await serve(folder.path);
    expect(served.adminToken).toBeUndefined();
    expect(served.output()).not.toContain('Initial admin token');
    expect(served.output()).not.toContain('seeded the marketplace catalog');
    expect(served.output()).not.toContain(adminToken);

    const field = await get(`${served.url}/api/fields/restart_marker`);
    expect(field.status).toBe(200);
    expect(field.body.latest_version).toBe(1);
    expect(await catalogTotals(served.url)).toEqual({ ...totals, fields: (totals['fields'] as number) + 1 });
    // The token from the first start still works.
    const tokens = await cliFor(served, adminToken)(['admin', 'list-tokens']);
    expect(tokens.code).toBe(0);
    expect(tokens.stdout.match(/initial-admin/g)).toHaveLength(1);

    // Ctrl-C this time.
    const exit = await stop(served, 'SIGINT');
    served = undefined;
    expect(exit).toEqual({ code: 0, signal: null });
  }, START_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000);
});
