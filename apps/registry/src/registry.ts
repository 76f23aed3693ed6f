import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { ErrorFilter } from './common/error.filter';
import { nameBodyParserErrors } from './common/request.exception';
import type { RegistryConfig } from './config/registry-config';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { seedDemoCatalog } from './demo/demo-seed';
import { AuthService, INITIAL_ADMIN } from './modules/auth/auth.service';
import { WriteKeysService } from './modules/write-keys/write-keys.service';
import { CatalogStore } from './modules/catalog/catalog-store.service';

export interface RunningRegistry {
  url: string;
  port: number;
  /** Where the data lives, for people: the data folder or the server's address without password. */
  database: string;
  /** The connection URL (with credentials), for tools and tests that talk to the database directly. */
  databaseUrl: string;
  /** Printed once on first start when no TAGPLAN_ADMIN_TOKEN was given. */
  initialAdminToken?: string;
  /** Names of the demo files applied on this start (only into an empty registry). */
  seeded: string[];
  /**
   * A token of the initial admin for a process started beside the registry (the collector
   * of `tagplan serve`); revoke it when that process stops.
   */
  issueServiceToken(name: string): Promise<{ token: string; revoke(): Promise<void> }>;
  /**
   * The demo write key of an environment, kept in `file` (0600) so that it can be printed on
   * every start: the registry itself stores only its digest. Undefined if the environment does not exist.
   */
  demoWriteKey(environment: string, file: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Starts the registry: database (embedded unless DATABASE_URL), migrations, admin, demo, HTTP. */
export async function startRegistry(config: RegistryConfig): Promise<RunningRegistry> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
  const databaseUrl = config.databaseUrl ?? (embedded as { url: string }).url;
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), { logger: ['error', 'warn'] });
    app.useBodyParser('json', { limit: '32mb' });
    app.use(nameBodyParserErrors);
    app.useGlobalFilters(new ErrorFilter());
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Tagplan registry')
        .setDescription('The event catalog: immutable versions of fields, events and environments, and their JSON Schemas.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

    const initialAdminToken = await app.get(AuthService).ensureInitialAdmin(config.adminToken);
    const store = app.get(CatalogStore);
    const seeded = config.seedDemo && (await store.isEmpty()) ? await seedDemoCatalog(store) : [];
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address() as { port: number };
    const running = app;
    return {
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`,
      port: address.port,
      database: config.databaseUrl ? redact(config.databaseUrl) : `embedded PostgreSQL in ${config.dataDir}`,
      databaseUrl,
      ...(initialAdminToken ? { initialAdminToken } : {}),
      seeded,
      issueServiceToken: async (name) => {
        const auth = running.get(AuthService);
        const admin = await auth.principalOf(INITIAL_ADMIN);
        const created = await auth.createToken({ name, scopes: ['read', 'write'], username: INITIAL_ADMIN }, admin);
        return { token: created.token, revoke: async () => void (await auth.revokeToken(created.id)) };
      },
      demoWriteKey: async (environment, file) => {
        const saved = await readFile(file, 'utf8').then((text) => text.trim(), () => undefined);
        if (saved) return saved;
        if ((await store.versions('environment', environment).catch(() => [])).length === 0) return undefined;
        const { key } = await running.get(WriteKeysService).create(environment, { name: 'demo' }, 'tagplan-demo');
        await writeFile(file, `${key}\n`, { mode: 0o600 });
        return key;
      },
      close: async () => {
        await running.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
