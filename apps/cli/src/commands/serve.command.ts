import { Command } from 'commander';
import type { RegistryConfig } from '@tagplan/registry';
import { parseInteger } from './parse';

/** Signals that stop the registry cleanly (Ctrl-C, a service manager, a closed terminal). */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** `tagplan serve`: the registry on the embedded database (or DATABASE_URL), with the demo catalog. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run the registry on the embedded database (DATABASE_URL for a server), seeding a demo catalog on first start')
    .option('-p, --port <port>', 'HTTP port (default: PORT or 4000)', (text) => parseInteger(text, '--port', 0, 65535))
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .option('-d, --data <dir>', 'data folder of the embedded database (default: TAGPLAN_DATA_DIR or .tagplan)')
    .option('--no-demo', 'do not seed the demo catalog into an empty registry')
    .action(async (options: { port?: number; host?: string; data?: string; demo: boolean }) => {
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
      const lines = [
        '',
        `  Registry   ${registry.url}/api`,
        `  API docs   ${registry.url}/api/docs`,
        `  Database   ${registry.database}`,
      ];
      if (registry.seeded.length > 0) lines.push(`  Demo       seeded the marketplace catalog (${registry.seeded.length} change sets)`);
      if (registry.initialAdminToken) {
        lines.push('', '  Initial admin token (shown only once; keep it):', `    ${registry.initialAdminToken}`);
      }
      lines.push(
        '',
        '  Try:',
        `    curl -s ${registry.url}/api/environments | head -c 400`,
        `    curl -s ${registry.url}/api/environments/web-frontend/versions/1/schemas | head -c 400`,
        `    export TAGPLAN_URL=${registry.url}${registry.initialAdminToken ? ` TAGPLAN_TOKEN=${registry.initialAdminToken}` : ''}`,
        '    ./bin/tagplan export',
        '',
        'Press Ctrl-C to stop.',
      );
      process.stdout.write(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        for (const signal of STOP_SIGNALS) process.once(signal, stop);
      });
      process.stdout.write('Stopping…\n');
      await registry.close();
    });
}
