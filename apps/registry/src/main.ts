import { loadRegistryConfig } from './config/registry-config';
import { startRegistry } from './registry';

/** The registry alone, configured by its environment (see README). `tagplan serve` is the usual way in. */
async function main(): Promise<void> {
  const registry = await startRegistry(loadRegistryConfig());
  console.log(`Tagplan registry on ${registry.url} (${registry.database})`);
  if (registry.initialAdminToken) console.log(`Initial admin token (shown once): ${registry.initialAdminToken}`);
  // The process owns its signals: close the HTTP server and then the embedded database,
  // which would otherwise outlive us and keep the data folder locked.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      registry.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
