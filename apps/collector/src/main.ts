import { CollectorConfigError, loadCollectorConfig } from './config/collector-config';
import { startCollector } from './collector-server';

/** `node -r ./tools/register.js apps/collector/src/main.ts`: the collector on its own, configured by the environment. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadCollectorConfig();
  } catch (error) {
    if (error instanceof CollectorConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const running = await startCollector(config);
  const stop = (signal: string) => {
    process.stderr.write(`${signal}: stopping the collector\n`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`the collector could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
