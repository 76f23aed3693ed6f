import type { EntityManager } from 'typeorm';
import type { AnyBody, EntityKind, EntityVersion, EnvironmentBody, EventBody } from '@tagplan/catalog';

/** The columns of catalog_versions every read selects, and how a row becomes an EntityVersion. */
export const VERSION_COLUMNS = 'id, kind, name, version, body, author, message, created_at';

export interface VersionRow {
  id: string;
  kind: EntityKind;
  name: string;
  version: number;
  body: AnyBody;
  author: string;
  message: string;
  created_at: Date;
}

export function toEntityVersion(row: VersionRow): EntityVersion {
  return {
    kind: row.kind,
    name: row.name,
    version: row.version,
    body: row.body,
    author: row.author,
    message: row.message,
    created_at: row.created_at.toISOString(),
  } as EntityVersion;
}

/** Every version of the given (kind, name) pairs, oldest first. */
export async function loadVersionsOf(manager: EntityManager, keys: { kind: EntityKind; name: string }[]): Promise<EntityVersion[]> {
  if (keys.length === 0) return [];
  const rows: VersionRow[] = await manager.query(
    `SELECT ${VERSION_COLUMNS} FROM catalog_versions
      WHERE (kind, name) IN (SELECT * FROM unnest($1::text[], $2::text[]))
      ORDER BY kind, name, version`,
    [keys.map((key) => key.kind), keys.map((key) => key.name)],
  );
  return rows.map(toEntityVersion);
}

/** Exactly the given pinned versions of one kind. */
export async function loadPinnedVersions(
  manager: EntityManager,
  kind: EntityKind,
  pins: { name: string; version: number }[],
): Promise<EntityVersion[]> {
  if (pins.length === 0) return [];
  const rows: VersionRow[] = await manager.query(
    `SELECT ${VERSION_COLUMNS} FROM catalog_versions
      WHERE kind = $1 AND (name, version) IN (SELECT * FROM unnest($2::text[], $3::int[]))`,
    [kind, pins.map((pin) => pin.name), pins.map((pin) => pin.version)],
  );
  return rows.map(toEntityVersion);
}

/** The references a version body holds, as rows of catalog_references. */
export function referencesOf(kind: EntityKind, body: AnyBody): { role: string; refKind: EntityKind; name: string; version: number; required: boolean }[] {
  if (kind === 'event') {
    return (body as EventBody).fields.map((ref) => ({ role: 'field', refKind: 'field' as const, ...ref }));
  }
  if (kind === 'environment') {
    const environment = body as EnvironmentBody;
    return [
      ...environment.common_fields.map((ref) => ({ role: 'common_field', refKind: 'field' as const, ...ref })),
      ...environment.events.map((ref) => ({ role: 'event', refKind: 'event' as const, ...ref, required: false })),
    ];
  }
  return [];
}

/**
 * One environment version with everything it pins (its events and all their fields, its
 * common fields): what building its schemas or its langpacks needs.
 */
export async function loadEnvironmentClosure(manager: EntityManager, environment: EntityVersion): Promise<EntityVersion[]> {
  const body = environment.body as EnvironmentBody;
  const events = await loadPinnedVersions(manager, 'event', body.events);
  const pins = new Map<string, { name: string; version: number }>();
  for (const ref of [...body.common_fields, ...events.flatMap((event) => (event.body as EventBody).fields)]) pins.set(`${ref.name}@${ref.version}`, { name: ref.name, version: ref.version });
  const fields = await loadPinnedVersions(manager, 'field', [...pins.values()]);
  return [environment, ...events, ...fields];
}
