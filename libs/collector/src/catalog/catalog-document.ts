import { createHash } from 'node:crypto';
import { parseSnapshot, formatIssues, type EntityVersion } from '@tagplan/catalog';
import type { CollectorCatalogDocument, RouteRecord, WriteKeyRecord } from '../contracts';
import { writeKeyDigest } from '../write-keys';

export const COLLECTOR_CATALOG_FORMAT: CollectorCatalogDocument['format'] = 'tagplan-collector-catalog/1';

/** A write key given in the collector's configuration, for catalogs read from a snapshot file. */
export interface ConfiguredWriteKey {
  environment: string;
  key: string;
}

export class CatalogDocumentError extends Error {
  constructor(readonly problems: string[]) {
    super(`not a usable collector catalog:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CatalogDocumentError';
  }
}

/**
 * Checks the envelope of a catalog document (from the registry or a file). Version bodies
 * are trusted as the registry wrote them; a missing reference is reported when an event
 * that needs it is first used, not here.
 */
export function parseCatalogDocument(input: unknown): CollectorCatalogDocument {
  const problems: string[] = [];
  if (!isObject(input)) throw new CatalogDocumentError(['the document must be a JSON object']);
  if (input['format'] !== COLLECTOR_CATALOG_FORMAT) problems.push(`format must be "${COLLECTOR_CATALOG_FORMAT}"`);
  if (typeof input['revision'] !== 'string' || input['revision'] === '') problems.push('revision must be a non-empty string');
  const versions = input['versions'];
  if (!Array.isArray(versions)) problems.push('versions must be a list');
  else versions.forEach((version: unknown, index) => checkVersion(version, `versions[${index}]`, problems));
  const keys = input['write_keys'];
  if (!Array.isArray(keys)) problems.push('write_keys must be a list');
  else keys.forEach((key: unknown, index) => checkWriteKey(key, `write_keys[${index}]`, problems));
  const routes = input['routes'];
  if (!Array.isArray(routes)) problems.push('routes must be a list');
  else routes.forEach((route: unknown, index) => checkRoute(route, `routes[${index}]`, problems));
  if (problems.length > 0) throw new CatalogDocumentError(problems.slice(0, 20));
  return input as unknown as CollectorCatalogDocument;
}

/**
 * A catalog document from a `tagplan export --snapshot` file and write keys from the
 * configuration: a collector that runs with no registry at all. Routes come from the
 * snapshot when it has them, otherwise everything goes to the default sinks.
 */
export function documentFromSnapshot(input: unknown, keys: ConfiguredWriteKey[]): CollectorCatalogDocument {
  const snapshot = parseSnapshot(input);
  if (!snapshot.ok) throw new CatalogDocumentError([formatIssues(snapshot.issues)]);
  const extraRoutes = (input as { routes?: unknown }).routes;
  const routes: RouteRecord[] = [];
  if (Array.isArray(extraRoutes)) {
    const problems: string[] = [];
    extraRoutes.forEach((route: unknown, index) => checkRoute(route, `routes[${index}]`, problems));
    if (problems.length > 0) throw new CatalogDocumentError(problems);
    routes.push(...(extraRoutes as RouteRecord[]));
  }
  const writeKeys: WriteKeyRecord[] = keys.map((entry) => {
    const digest = writeKeyDigest(entry.key);
    return { id: `configured:${entry.environment}:${digest.lookup}`, environment: entry.environment, ...digest, revoked: false };
  });
  const versions = snapshot.value.versions as EntityVersion[];
  // The revision must change whenever anything the collector uses changes, keys included.
  const revision = createHash('sha256')
    .update(JSON.stringify([versions.length, snapshot.value.exported_at, writeKeys.map((key) => key.id), routes]))
    .digest('hex')
    .slice(0, 16);
  return { format: COLLECTOR_CATALOG_FORMAT, revision, generated_at: snapshot.value.exported_at, versions, write_keys: writeKeys, routes };
}

/** Reads either kind of catalog file: a collector catalog document, or a snapshot plus configured keys. */
export function documentFromFile(text: string, keys: ConfiguredWriteKey[], file: string): CollectorCatalogDocument {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new CatalogDocumentError([`${file} is not JSON: ${(error as Error).message}`]);
  }
  const format = isObject(input) ? input['format'] : undefined;
  if (format === COLLECTOR_CATALOG_FORMAT) {
    const document = parseCatalogDocument(input);
    if (keys.length === 0) return document;
    // Keys from the configuration add to the document's own.
    return { ...document, write_keys: [...document.write_keys, ...documentFromSnapshot({ format: 'tagplan-snapshot/1', exported_at: '', versions: [] }, keys).write_keys] };
  }
  if (format === 'tagplan-snapshot/1') {
    if (keys.length === 0) throw new CatalogDocumentError([`${file} is a snapshot, which holds no write keys: configure at least one (environment=key)`]);
    return documentFromSnapshot(input, keys);
  }
  throw new CatalogDocumentError([`${file} is neither a collector catalog ("${COLLECTOR_CATALOG_FORMAT}") nor a snapshot ("tagplan-snapshot/1")`]);
}

function checkVersion(input: unknown, at: string, problems: string[]): void {
  if (!isObject(input)) return void problems.push(`${at} must be an object`);
  if (!['field', 'event', 'environment'].includes(input['kind'] as string)) problems.push(`${at}.kind must be field, event or environment`);
  if (typeof input['name'] !== 'string') problems.push(`${at}.name must be a string`);
  if (!Number.isSafeInteger(input['version']) || (input['version'] as number) < 1) problems.push(`${at}.version must be a positive integer`);
  if (!isObject(input['body'])) problems.push(`${at}.body must be an object`);
}

function checkWriteKey(input: unknown, at: string, problems: string[]): void {
  if (!isObject(input)) return void problems.push(`${at} must be an object`);
  for (const name of ['id', 'environment', 'lookup', 'secret_hash']) {
    if (typeof input[name] !== 'string') problems.push(`${at}.${name} must be a string`);
  }
  if (typeof input['secret_hash'] === 'string' && !/^[0-9a-f]{64}$/.test(input['secret_hash'])) problems.push(`${at}.secret_hash must be 64 hex digits`);
  if (typeof input['revoked'] !== 'boolean') problems.push(`${at}.revoked must be true or false`);
}

function checkRoute(input: unknown, at: string, problems: string[]): void {
  if (!isObject(input)) return void problems.push(`${at} must be an object`);
  if (typeof input['environment'] !== 'string') problems.push(`${at}.environment must be a string`);
  if (typeof input['event'] !== 'string') problems.push(`${at}.event must be an event name or "*"`);
  const sinks = input['sinks'];
  if (!Array.isArray(sinks) || !sinks.every((sink) => typeof sink === 'string')) problems.push(`${at}.sinks must be a list of sink names`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
