import { randomUUID } from 'node:crypto';
import type { EntityKind, EntityVersion, EnvironmentBody } from '@tagplan/catalog';
import { demoCatalog } from '@tagplan/codegen-testing';
import { schemasFromCatalog } from '@tagplan/json-schema';
import { generateWriteKey, writeKeyDigest, type CollectorCatalogDocument, type RouteRecord, type WriteKeyRecord } from '@tagplan/collector';

/** Every version of the demo catalog `tagplan serve` seeds. */
export function demoVersions(): EntityVersion[] {
  const catalog = demoCatalog();
  const versions: EntityVersion[] = [];
  for (const kind of ['field', 'event', 'environment'] as EntityKind[]) {
    for (const name of catalog.names(kind)) versions.push(...catalog.versions(kind, name));
  }
  return versions;
}

export interface TestKey {
  environment: string;
  key: string;
  revoked?: boolean;
}

/** Fresh write keys for the demo environments, and one revoked key of web-frontend. */
export function testKeys(): { web: TestKey; ios: TestKey; backend: TestKey; revoked: TestKey } {
  return {
    web: { environment: 'web-frontend', key: generateWriteKey() },
    ios: { environment: 'ios-app', key: generateWriteKey() },
    backend: { environment: 'backend-items', key: generateWriteKey() },
    revoked: { environment: 'web-frontend', key: generateWriteKey(), revoked: true },
  };
}

export function keyRecords(keys: TestKey[]): WriteKeyRecord[] {
  return keys.map((entry, index) => ({ id: `key-${index + 1}`, environment: entry.environment, ...writeKeyDigest(entry.key), revoked: entry.revoked ?? false }));
}

/** The document a registry would serve for the demo catalog, as GET /api/collector/catalog does. */
export function catalogDocument(options: { keys: TestKey[]; routes?: RouteRecord[]; versions?: EntityVersion[]; revision?: string }): CollectorCatalogDocument {
  return {
    format: 'tagplan-collector-catalog/1',
    revision: options.revision ?? randomUUID(),
    generated_at: new Date().toISOString(),
    versions: options.versions ?? demoVersions(),
    write_keys: keyRecords(options.keys),
    routes: options.routes ?? [],
  };
}

/** A new version of an environment, pinning what `change` says: a catalog change as the registry would record it. */
export function nextEnvironmentVersion(versions: EntityVersion[], environment: string, change: (body: EnvironmentBody) => EnvironmentBody): EntityVersion {
  const existing = versions.filter((entry) => entry.kind === 'environment' && entry.name === environment).sort((a, b) => b.version - a.version);
  const latest = existing[0] as EntityVersion<'environment'>;
  return { ...latest, version: latest.version + 1, body: change(structuredClone(latest.body)), message: 'test change', created_at: new Date().toISOString() };
}

export const SESSION_ID = '3f0c8f8e-4a57-4d0e-9b7a-2b1f6c1d9e10';
export const ANONYMOUS_ID = '9b2d7c34-0f6e-4c1a-8e55-7a3b1d2c4f60';

/** A valid item_viewed@1 from web-frontend (langpack built from web-frontend@4). */
export function itemViewed(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: randomUUID(),
    event_name: 'item_viewed',
    event_version: 1,
    created_ts: Date.now() - 1000,
    data: { item_id: 1001, source: 'search', session_id: SESSION_ID, anonymous_id: ANONYMOUS_ID, app_version: '4.1.0', user_id: 'u-42', ...data },
    stack_ctx: { langpack: 'typescript', langpack_version: '0.1.4' },
    ...overrides,
  };
}

export function payload(events: unknown[], sentTs = Date.now()): Record<string, unknown> {
  return { payload_version: 1, sent_ts: sentTs, events };
}

/**
 * A valid event of any demo event (newest version the environment pins), its data built
 * from the examples of its required fields.
 */
export function exampleEvent(environment: string, eventName: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const schemas = schemasFromCatalog(demoCatalog(), environment).filter((schema) => schema.event_name === eventName);
  const schema = schemas.sort((a, b) => b.event_version - a.event_version)[0];
  if (!schema) throw new Error(`${environment} does not send ${eventName}`);
  const properties = schema.schema['properties'] as Record<string, { examples?: unknown[] }>;
  const data: Record<string, unknown> = {};
  for (const name of schema.schema['required'] as string[]) {
    const example = properties[name]?.examples?.[0];
    if (example === undefined) throw new Error(`${eventName}.${name} has no example`);
    data[name] = example;
  }
  return { event_id: randomUUID(), event_name: eventName, event_version: schema.event_version, created_ts: Date.now(), data, ...overrides };
}
