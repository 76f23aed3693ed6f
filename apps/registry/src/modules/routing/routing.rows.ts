import type { EntityManager } from 'typeorm';
import { ANY_EVENT, type EntityKind, type Route, type RoutingVersion } from '@tagplan/catalog';
import { CatalogException } from '../catalog/catalog.exceptions';

/** How routing versions are read and written, inside or outside a transaction (an apply). */

const COLUMNS = 'id, version, routes, author, message, created_at';
const UNIQUE_VIOLATION = '23505';

export interface RoutingRow {
  id: string;
  version: number;
  routes: Route[];
  author: string;
  message: string;
  created_at: Date;
}

export function toRoutingVersion(row: RoutingRow): RoutingVersion {
  return { version: row.version, routes: row.routes, author: row.author, message: row.message, created_at: row.created_at.toISOString() };
}

export async function latestRouting(manager: EntityManager): Promise<RoutingVersion | undefined> {
  const [row] = (await manager.query(`SELECT ${COLUMNS} FROM routing_versions ORDER BY version DESC LIMIT 1`)) as RoutingRow[];
  return row ? toRoutingVersion(row) : undefined;
}

export async function routingVersionRow(manager: EntityManager, version: number): Promise<RoutingVersion | undefined> {
  const [row] = (await manager.query(`SELECT ${COLUMNS} FROM routing_versions WHERE version = $1`, [version])) as RoutingRow[];
  return row ? toRoutingVersion(row) : undefined;
}

export async function allRoutingVersions(manager: EntityManager): Promise<RoutingVersion[]> {
  const rows = (await manager.query(`SELECT ${COLUMNS} FROM routing_versions ORDER BY version DESC`)) as RoutingRow[];
  return rows.map(toRoutingVersion);
}

/** Which of the environments and events that routes name the catalog has. */
export async function routedEntities(manager: EntityManager, routes: Route[]): Promise<(kind: EntityKind, name: string) => boolean> {
  const keys = new Map<string, { kind: EntityKind; name: string }>();
  for (const route of routes) {
    keys.set(`environment:${route.environment}`, { kind: 'environment', name: route.environment });
    if (route.event !== ANY_EVENT) keys.set(`event:${route.event}`, { kind: 'event', name: route.event });
  }
  const found = keys.size === 0 ? [] : ((await manager.query(
    `SELECT kind, name FROM catalog_entities WHERE (kind, name) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [[...keys.values()].map((key) => key.kind), [...keys.values()].map((key) => key.name)],
  )) as { kind: EntityKind; name: string }[]);
  const existing = new Set(found.map((row) => `${row.kind}:${row.name}`));
  return (kind, name) => existing.has(`${kind}:${name}`);
}

/** One statement; two writers racing for the same version meet at the primary key. */
export async function insertRouting(manager: EntityManager, version: number, routes: Route[], author: string, message: string): Promise<RoutingVersion> {
  try {
    const [row] = (await manager.query(
      `INSERT INTO routing_versions (version, routes, author, message) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [version, JSON.stringify(routes), author, message],
    )) as RoutingRow[];
    return toRoutingVersion(row as RoutingRow);
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new CatalogException('version_conflict', `routing version ${version} was just created by another request; read the latest routing and try again`);
    }
    throw error;
  }
}
