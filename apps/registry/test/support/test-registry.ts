import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadRegistryConfig, startRegistry, type RegistryConfig, type RunningRegistry } from '../../src';

/**
 * Starts real registries for integration tests: on the embedded PostgreSQL (a fresh data
 * folder) or on the PostgreSQL server named by TEST_DATABASE_URL (a fresh database).
 */
export type DatabaseMode = 'embedded' | 'server';

export interface TestRegistry extends RunningRegistry {
  mode: DatabaseMode;
  adminToken: string;
  /** A direct connection to the registry's database, for raw SQL. */
  sql(text: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>;
  /** fetch against the registry with the admin token (unless `token: null`). */
  call(method: string, route: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any; headers: Headers }>;
}

const serverUrl = process.env['TEST_DATABASE_URL'];

/** The modes this run covers. CI must cover both; elsewhere a missing server is skipped, loudly. */
export function databaseModes(): DatabaseMode[] {
  if (serverUrl) return ['embedded', 'server'];
  if (process.env['CI']) throw new Error('CI must set TEST_DATABASE_URL (a PostgreSQL server) so the server-mode tests run');
  console.warn('TEST_DATABASE_URL is not set: registry integration tests run on the embedded database only');
  return ['embedded'];
}

export interface TestRegistryOptions {
  mode: DatabaseMode;
  config?: Partial<RegistryConfig>;
  /** Reuse this data folder (embedded) or database (server), e.g. to test a restart. */
  reuse?: string;
}

export type StartedTestRegistry = TestRegistry & { location: string; destroy(): Promise<void> };

export async function startTestRegistry(options: TestRegistryOptions): Promise<StartedTestRegistry> {
  const adminToken = `test-admin-${randomBytes(12).toString('hex')}`;
  let location = options.reuse ?? '';
  let databaseUrl: string | undefined;
  if (options.mode === 'embedded') {
    if (!location) {
      location = await mkdtemp(path.join(os.tmpdir(), 'tagplan-test-'));
      await chmod(location, 0o755);
    }
  } else {
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
    if (!location) {
      location = `tagplan_test_${randomBytes(6).toString('hex')}`;
      await adminQuery(`CREATE DATABASE ${location}`);
    }
    const url = new URL(serverUrl);
    url.pathname = `/${location}`;
    databaseUrl = url.toString();
  }
  const config = loadRegistryConfig(
    { port: 0, dataDir: path.join(location, 'data'), adminToken, ...(databaseUrl ? { databaseUrl } : {}), ...options.config },
    {},
  );
  const registry = await startRegistry(config);
  const client = new Client({ connectionString: registry.databaseUrl });
  await client.connect();
  return {
    ...registry,
    mode: options.mode,
    adminToken,
    location,
    sql: async (text, parameters) => (await client.query(text, parameters)).rows,
    call: async (method, route, body, token) => {
      const headers: Record<string, string> = {};
      const bearer = token === undefined ? adminToken : token;
      if (bearer) headers['authorization'] = `Bearer ${bearer}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${registry.url}${route}`, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: leave the text for the assertion to show
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    close: async () => {
      await client.end();
      await registry.close();
    },
    destroy: async () => {
      if (options.mode === 'embedded') await rm(location, { recursive: true, force: true });
      else await adminQuery(`DROP DATABASE IF EXISTS ${location} WITH (FORCE)`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
