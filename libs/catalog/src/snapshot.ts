import type { CatalogState } from './catalog-file';
import { IssueList, pointer, type Result } from './issues';
import { ENTITY_KINDS, type BodyOf, type EntityKind, type EntityVersion } from './model';
import type { Route } from './routes';
import { expectObject } from './validate';

/**
 * Every version of everything, numbered: for backups and for tools (the collector, `tagplan
 * validate`) that must work without a registry.
 */
export const SNAPSHOT_FORMAT = 'tagplan-snapshot/1';

export interface CatalogSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  exported_at: string;
  versions: EntityVersion[];
  /** The latest routing table, when there is one: what a collector started from this file routes by. */
  routes?: Route[];
}

export function buildSnapshot(versions: EntityVersion[], exportedAt: Date, routes?: Route[]): CatalogSnapshot {
  const kindOrder = (kind: EntityKind) => ENTITY_KINDS.indexOf(kind);
  const ordered = [...versions].sort(
    (a, b) => kindOrder(a.kind) - kindOrder(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.version - b.version,
  );
  return { format: SNAPSHOT_FORMAT, exported_at: exportedAt.toISOString(), versions: ordered, ...(routes !== undefined ? { routes } : {}) };
}

/** Checks the envelope of a snapshot file; the bodies are trusted as the registry wrote them. */
export function parseSnapshot(input: unknown): Result<CatalogSnapshot> {
  const issues = new IssueList();
  const object = expectObject(input, '', issues);
  if (!object) return issues.result(undefined as never);
  if (object['format'] !== SNAPSHOT_FORMAT) {
    issues.add('/format', 'invalid_value', `not a Tagplan snapshot: format must be "${SNAPSHOT_FORMAT}"`);
    return issues.result(undefined as never);
  }
  const versions = object['versions'];
  if (!Array.isArray(versions)) {
    issues.add('/versions', 'type', 'versions must be a list');
    return issues.result(undefined as never);
  }
  versions.forEach((entry: unknown, index) => {
    const at = pointer('/versions', index);
    const version = expectObject(entry, at, issues);
    if (!version) return;
    if (!ENTITY_KINDS.includes(version['kind'] as EntityKind)) issues.add(pointer(at, 'kind'), 'invalid_value', 'unknown kind');
    if (typeof version['name'] !== 'string') issues.add(pointer(at, 'name'), 'type', 'name must be a string');
    if (!Number.isSafeInteger(version['version'])) issues.add(pointer(at, 'version'), 'type', 'version must be a number');
    if (typeof version['body'] !== 'object' || version['body'] === null) issues.add(pointer(at, 'body'), 'type', 'body must be an object');
  });
  return issues.result(object as unknown as CatalogSnapshot);
}

/** A catalog held in memory: every version of every entity, indexed for look-ups. */
export class InMemoryCatalog implements CatalogState {
  private readonly entities = new Map<string, EntityVersion[]>();

  constructor(versions: Iterable<EntityVersion>) {
    for (const version of versions) {
      const key = `${version.kind}:${version.name}`;
      const list = this.entities.get(key) ?? [];
      list.push(version);
      this.entities.set(key, list);
    }
    for (const list of this.entities.values()) list.sort((a, b) => a.version - b.version);
  }

  versions<K extends EntityKind>(kind: K, name: string): EntityVersion<K>[] {
    return (this.entities.get(`${kind}:${name}`) ?? []) as EntityVersion<K>[];
  }

  names(kind: EntityKind): string[] {
    const prefix = `${kind}:`;
    return [...this.entities.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)).sort();
  }

  get<K extends EntityKind>(kind: K, name: string, version: number): EntityVersion<K> | undefined {
    return this.versions(kind, name).find((entry) => entry.version === version);
  }

  latest<K extends EntityKind>(kind: K, name: string): EntityVersion<K> | undefined;
  latest(kind: EntityKind, name: string): EntityVersion | undefined {
    const list = this.versions(kind, name);
    return list[list.length - 1];
  }

  body<K extends EntityKind>(kind: K, name: string, version: number): BodyOf[K] | undefined {
    return this.get(kind, name, version)?.body;
  }
}
