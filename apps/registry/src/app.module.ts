import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from './config/config.module';
import type { RegistryConfig } from './config/registry-config';
import { dataSourceOptions } from './database/data-source-options';
import { AuthModule } from './modules/auth/auth.module';
import { CatalogModule } from './modules/catalog/catalog.module';
import { ChangelogModule } from './modules/changelog/changelog.module';
import { CollectorModule } from './modules/collector/collector.module';
import { HealthController } from './modules/health/health.controller';
import { LangpacksModule } from './modules/langpacks/langpacks.module';
import { WriteKeysModule } from './modules/write-keys/write-keys.module';

@Module({})
export class AppModule {
  /** The registry on the database at `databaseUrl`; the migrations run before anything else. */
  static forRoot(config: RegistryConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        AuthModule,
        CatalogModule,
        ChangelogModule,
        LangpacksModule,
        WriteKeysModule,
        CollectorModule,
      ],
      controllers: [HealthController],
    };
  }
}
