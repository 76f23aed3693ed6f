import { DataSource } from 'typeorm';
import { loadRegistryConfig } from './config/registry-config';
import { dataSourceOptions } from './database/data-source-options';
import { startEmbeddedPostgres } from './database/embedded-postgres';

/** `nx run registry:migrate`: brings the database (DATABASE_URL, or the embedded one) up to date. */
async function migrate(): Promise<void> {
  const config = loadRegistryConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
  const dataSource = new DataSource({ ...dataSourceOptions(config.databaseUrl ?? (embedded as { url: string }).url), migrationsRun: false });
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(applied.length === 0 ? 'The database is up to date.' : `Applied ${applied.map((migration) => migration.name).join(', ')}.`);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

migrate().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
