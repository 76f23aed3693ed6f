import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@tagplan/migrations';
import { ApiTokenRecord, UserRecord } from '../modules/auth/auth.entities';
import { CatalogEntityRecord, CatalogReferenceRecord, CatalogVersionRecord } from '../modules/catalog/catalog.entities';

export const ENTITIES = [CatalogEntityRecord, CatalogVersionRecord, CatalogReferenceRecord, UserRecord, ApiTokenRecord];

/** One definition of the database connection, for the app and for the migrate target. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    extra: { max: 20 },
  };
}
