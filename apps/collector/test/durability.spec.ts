import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateWriteKey } from '@tagplan/collector';
import { catalogDocument, itemViewed, payload } from '../../../libs/collector/test/support/catalog-fixtures';
import { listFiles, PII_SECRET } from './support/test-collector';

const ROOT = path.resolve(__dirname, '../../..');
const SENDERS = 4;
const EVENTS_PER_BATCH = 20;
const MAX_REQUESTS_PER_SENDER = 400;

/**
 * Issue 4, item 5: kill -9 the collector during sustained load from several concurrent
 * senders, restart it: every event acknowledged with a 2xx is in the files. Senders then
 * resend what got no answer, as a langpack does, and each event ends up written once.
 */
describe('durability across kill -9', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tagplan-kill9-'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  async function startChild(env: NodeJS.ProcessEnv): Promise<string> {
    const process_ = spawn(process.execPath, ['-r', './tools/register.js', 'apps/collector/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = process_;
    let output = '';
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the collector did not start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /"msg":"collector listening"[^\n]*?"url":"([^"]+)"/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      };
      process_.stdout?.on('data', onData);
      process_.stderr?.on('data', onData);
      process_.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the collector exited with ${code}:\n${output}`));
      });
    });
  }

  function post(url: string, agent: Agent, key: string, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(`${url}/v1/events`, { method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('keeps every acknowledged event, and writes each resent one once', async () => {
    const key = generateWriteKey();
    const catalogFile = path.join(dir, 'catalog.json');
    await writeFile(catalogFile, JSON.stringify(catalogDocument({ keys: [{ environment: 'web-frontend', key }] })));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      TAGPLAN_COLLECTOR_PORT: '0',
      TAGPLAN_COLLECTOR_CATALOG_FILE: catalogFile,
      TAGPLAN_COLLECTOR_PII_SECRET: PII_SECRET,
      TAGPLAN_COLLECTOR_DATA_DIR: dir,
      TAGPLAN_COLLECTOR_INSTANCE_ID: 'kill9',
      TAGPLAN_COLLECTOR_LOG_LEVEL: 'info',
    };
    const url = await startChild(env);

    const acknowledged = new Set<string>();
    const unanswered: string[] = [];
    let acceptedRequests = 0;
    let killed = false;
    const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
    const sender = async () => {
      for (let sent = 0; sent < MAX_REQUESTS_PER_SENDER && !killed; sent++) {
        const events = Array.from({ length: EVENTS_PER_BATCH }, () => itemViewed({ event_id: randomUUID() }));
        const body = JSON.stringify(payload(events));
        let status = 0;
        try {
          status = await post(url, agent, key, body);
        } catch {
          // The collector died with this request in flight: no answer, so the sender will resend it.
        }
        if (status === 200) {
          for (const event of events) acknowledged.add(event['event_id'] as string);
          acceptedRequests++;
          // Kill while all senders are mid-flight, after a fair amount of acknowledged load.
          if (acceptedRequests === 60) {
            killed = true;
            child?.kill('SIGKILL');
          }
        } else {
          unanswered.push(body);
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    agent.destroy();
    expect(killed).toBe(true);
    await new Promise((resolve) => child?.exitCode !== null || child?.signalCode !== null ? resolve(undefined) : child?.once('exit', resolve));
    expect(acknowledged.size).toBeGreaterThanOrEqual(60 * EVENTS_PER_BATCH);

    // Restart on the same directory and instance: the lock of the dead process is taken over.
    const restarted = await startChild(env);
    const resendAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (const body of unanswered) expect(await post(restarted, resendAgent, key, body)).toBe(200);
    resendAgent.destroy();
    child?.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));

    const counts = new Map<string, number>();
    for (const file of await listFiles(path.join(dir, 'events', 'good'))) {
      const text = await readFile(file, 'utf8');
      const lines = text.split('\n');
      const last = lines.pop();
      // A torn line left by the kill is cut off when the restarted collector opens the file again.
      expect(last).toBe('');
      for (const line of lines) {
        const record = JSON.parse(line) as { event_id: string };
        counts.set(record.event_id, (counts.get(record.event_id) ?? 0) + 1);
      }
    }
    const missing = [...acknowledged].filter((id) => !counts.has(id));
    expect(missing).toEqual([]);
    const resent = unanswered.flatMap((body) => (JSON.parse(body) as { events: { event_id: string }[] }).events.map((event) => event.event_id));
    expect(resent.filter((id) => !counts.has(id))).toEqual([]);
    const duplicated = [...counts].filter(([, count]) => count > 1);
    expect(duplicated).toEqual([]);
  }, 120_000);
});
