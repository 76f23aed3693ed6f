import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createJsonLogger, type CollectorCatalogDocument } from '@tagplan/collector';
import { loadCollectorConfig, startCollector, type CollectorConfig, type RunningCollector, type StartCollectorOptions } from '../../src';
import { CatalogServer } from '../../../../libs/collector/test/support/catalog-server';
import { catalogDocument, testKeys } from '../../../../libs/collector/test/support/catalog-fixtures';

export const PII_SECRET = 'test-pii-secret-0123456789';

export interface TestCollector {
  running: RunningCollector;
  url: string;
  registry: CatalogServer;
  keys: ReturnType<typeof testKeys>;
  dir: string;
  logs: string[];
  close(): Promise<void>;
}

/**
 * A real collector (HTTP on loopback, file sink in a temporary directory) loading its
 * catalog from a stand-in registry that serves the demo catalog.
 */
export async function startTestCollector(
  options: {
    config?: Partial<CollectorConfig>;
    /** Configuration that depends on the temporary directory. */
    configure?: (dir: string) => Partial<CollectorConfig>;
    document?: (keys: ReturnType<typeof testKeys>) => CollectorCatalogDocument;
    start?: StartCollectorOptions;
    dir?: string;
  } = {},
): Promise<TestCollector> {
  const keys = testKeys();
  const registry = new CatalogServer(options.document ? options.document(keys) : catalogDocument({ keys: Object.values(keys) }));
  await registry.start();
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'tagplan-collector-')));
  const logs: string[] = [];
  const config = loadCollectorConfig(
    {
      port: 0,
      catalog: { kind: 'registry', registryUrl: registry.url, token: registry.token },
      piiSecret: PII_SECRET,
      instanceId: 'test-1',
      dataDir: dir,
      refreshMs: 200,
      countsIntervalMs: 200,
      ...options.config,
      ...options.configure?.(dir),
    },
    {},
  );
  const running = await startCollector(config, { logger: createJsonLogger('debug', (line) => logs.push(line)), ...options.start });
  return {
    running,
    url: running.url,
    registry,
    keys,
    dir,
    logs,
    close: async () => {
      await running.close();
      await registry.stop();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every line of every file under `<dir>/events/<kind>` (or `<dir>/<sub>/<kind>`), parsed. */
export async function readLines(dir: string, kind: 'good' | 'bad', sub = 'events'): Promise<any[]> {
  const root = path.join(dir, sub, kind);
  const lines: any[] = [];
  for (const file of await listFiles(root)) {
    const text = await readFile(file, 'utf8');
    for (const line of text.split('\n')) if (line !== '') lines.push(JSON.parse(line));
  }
  return lines;
}

export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out;
}

/** Polls until `check` holds (bounded): for things that happen in the background, such as a catalog refresh. */
export async function eventually<T>(check: () => Promise<T | null | undefined> | T | null | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
