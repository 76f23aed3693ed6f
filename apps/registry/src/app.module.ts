import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MIGRATIONS } from '@tagplan/migrations';
import { ConfigModule } from './config/config.module';
import type { RegistryConfig } from './config/registry-config';
import { ApiTokenRecord, UserRecord } from './modules/auth/auth.entities';
import { AuthModule } from './modules/auth/auth.module';
import { CatalogEntityRecord, CatalogReferenceRecord, CatalogVersionRecord } from './modules/catalog/catalog.entities';
import { CatalogModule } from './modules/catalog/catalog.module';
import { ChangelogModule } from './modules/changelog/changelog.module';
import { HealthController } from './modules/health/health.controller';

export const ENTITIES = [CatalogEntityRecord, CatalogVersionRecord, CatalogReferenceRecord, UserRecord, ApiTokenRecord];

@Module({})
export class AppModule {
  /** The registry on the database at `databaseUrl`; the migrations run before anything else. */
  static forRoot(config: RegistryConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: databaseUrl,
          entities: ENTITIES,
          migrations: MIGRATIONS,
          migrationsRun: true,
          migrationsTableName: 'schema_migrations',
          synchronize: false,
          extra: { max: 20 },
        }),
        AuthModule,
        CatalogModule,
        ChangelogModule,
      ],
      controllers: [HealthController],
    };
  }
}
