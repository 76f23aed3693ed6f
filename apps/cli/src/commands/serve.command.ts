import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import type { RegistryConfig } from '@tagplan/registry';
import { parseInteger } from './parse';

/** Signals that stop everything cleanly (Ctrl-C, a service manager, a closed terminal). */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface ServeOptions {
  port?: number;
  collectorPort?: number;
  host?: string;
  data?: string;
  demo: boolean;
  collector: boolean;
}

/** `tagplan serve`: the registry on the embedded database (or DATABASE_URL) and the collector beside it. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run the registry (embedded database, or DATABASE_URL) and the collector, seeding a demo catalog on first start')
    .option('-p, --port <port>', 'registry HTTP port (default: PORT or 4000)', (text) => parseInteger(text, '--port', 0, 65535))
    .option('--collector-port <port>', 'collector HTTP port (default: TAGPLAN_COLLECTOR_PORT or 4100)', (text) => parseInteger(text, '--collector-port', 0, 65535))
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .option('-d, --data <dir>', 'data folder of the embedded database and the collector (default: TAGPLAN_DATA_DIR or .tagplan)')
    .option('--no-demo', 'do not seed the demo catalog into an empty registry')
    .option('--no-collector', 'run the registry only')
    .action(async (options: ServeOptions) => {
      // Loaded here, not at the top: the registry (NestJS, TypeORM, pg) takes about a second
      // to load, which every other command (apply, export, validate...) would pay for nothing.
      const { loadRegistryConfig, startRegistry } = await import('@tagplan/registry');
      const overrides: Partial<RegistryConfig> = { seedDemo: options.demo };
      if (options.port !== undefined) overrides.port = options.port;
      if (options.host !== undefined) overrides.host = options.host;
      if (options.data !== undefined) overrides.dataDir = options.data;
      const config = loadRegistryConfig(overrides);
      process.stdout.write(`Starting Tagplan (${config.databaseUrl ? 'PostgreSQL server' : `embedded PostgreSQL in ${config.dataDir}`})…\n`);
      const registry = await startRegistry(config);
      const stops: (() => Promise<void>)[] = [() => registry.close()];
      const lines = ['', `  Registry   ${registry.url}/api`, `  API docs   ${registry.url}/api/docs`, `  Database   ${registry.database}`];
      if (registry.seeded.length > 0) lines.push(`  Demo       seeded the marketplace catalog (${registry.seeded.length} change sets)`);
      try {
        if (options.collector) lines.push(...(await startCollectorBeside(registry, config, options, stops)));
      } catch (error) {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
        throw error;
      }
      if (registry.initialAdminToken) lines.push('', '  Initial admin token (shown only once; keep it):', `    ${registry.initialAdminToken}`);
      lines.push(
        '',
        '  Try the registry:',
        `    curl -s ${registry.url}/api/environments | head -c 400`,
        `    export TAGPLAN_URL=${registry.url}${registry.initialAdminToken ? ` TAGPLAN_TOKEN=${registry.initialAdminToken}` : ''}`,
        '    ./bin/tagplan export',
        '',
        'Press Ctrl-C to stop.',
      );
      process.stdout.write(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        for (const signal of STOP_SIGNALS) process.once(signal, () => resolve());
      });
      process.stdout.write('Stopping…\n');
      for (const stop of stops.reverse()) await stop();
    });
}

type Registry = Awaited<ReturnType<typeof import('@tagplan/registry')['startRegistry']>>;

/** The collector on the registry's catalog, its demo write key, and what to try with it. */
async function startCollectorBeside(registry: Registry, config: RegistryConfig, options: ServeOptions, stops: (() => Promise<void>)[]): Promise<string[]> {
  const { loadCollectorConfig, startCollector } = await import('@tagplan/collector-app');
  const service = await registry.issueServiceToken(`collector-${process.pid}`);
  stops.push(() => service.revoke());
  const collectorConfig = loadCollectorConfig({
    catalog: { kind: 'registry', registryUrl: registry.url, token: service.token },
    piiSecret: await persistentSecret(path.join(config.dataDir, 'collector-pii-secret')),
    dataDir: path.join(config.dataDir, 'collector'),
    host: config.host,
    // The start-up lines below are what a person reads; the collector's JSON logs say only what goes wrong.
    logLevel: 'warn',
    ...(options.collectorPort !== undefined ? { port: options.collectorPort } : {}),
  });
  // The demo key first: the collector's first catalog has it, so the curl printed below works at once.
  const key = await registry.demoWriteKey('web-frontend', path.join(config.dataDir, 'demo-write-key'));
  const collector = await startCollector(collectorConfig);
  stops.push(() => collector.close());
  const lines = ['', `  Collector  ${collector.url}/v1/events   (metrics ${collector.url}/metrics)`];
  if (!key) return lines;
  const events = path.join(collectorConfig.dataDir, 'events');
  const now = Date.now();
  const valid = { event_id: '01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3d', event_name: 'page_viewed', event_version: 1, created_ts: now, data: { page_url: 'https://example.com/', screen_name: 'home', session_id: '3f0c8f8e-4a57-4d0e-9b7a-2b1f6c1d9e10', anonymous_id: '9b2d7c34-0f6e-4c1a-8e55-7a3b1d2c4f60', app_version: '4.1.0' } };
  const invalid = { ...valid, event_id: '01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3e', data: { page_url: 'not a url' } };
  const batch = JSON.stringify({ payload_version: 1, sent_ts: now, events: [valid, invalid] });
  lines.push(
    `  Demo key   ${key}   (web-frontend; tagplan keys create --env NAME for more)`,
    '',
    '  Send a valid and an invalid event:',
    `    curl -s ${collector.url}/v1/events -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\`,
    `      -d '${batch}'`,
    `  then find the good one under ${path.join(events, 'good')}/ and the bad one under ${path.join(events, 'bad')}/ (YYYY/MM/DD/HH/*.jsonl)`,
  );
  return lines;
}

/** A secret kept in the data folder, so that keyed hashes stay comparable across restarts. */
async function persistentSecret(file: string): Promise<string> {
  const saved = await readFile(file, 'utf8').then((text) => text.trim(), () => '');
  if (saved.length >= 32) return saved;
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
