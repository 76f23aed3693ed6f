import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { diffBodies, diffRoutes, fetchRepinned, InMemoryCatalog, repinJudge, type Change, type EntityKind, type EntityVersion, type Route } from '@tagplan/catalog';
import { toEntityVersion, VERSION_COLUMNS, type VersionRow } from '../catalog/catalog.rows';

/** Routing versions (DESIGN §4) are listed beside entity versions, under this kind and name. */
export const ROUTING = 'routing';
export type ChangelogKind = EntityKind | typeof ROUTING;

export type ChangelogEntry =
  | (EntityVersion & { id: string; changes: Change[] })
  | { id: string; kind: typeof ROUTING; name: typeof ROUTING; version: number; body: { routes: Route[] }; author: string; message: string; created_at: string; changes: Change[] };

export interface ChangelogPage {
  entries: ChangelogEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

type EntryRow = Omit<VersionRow, 'kind'> & { kind: ChangelogKind };

/**
 * Every version of everything, newest first, each with its diff against the version before.
 * Routing versions take their ids from the catalog versions' sequence, so one cursor pages
 * through both in the order they were written.
 */
@Injectable()
export class ChangelogService {
  constructor(private readonly dataSource: DataSource) {}

  async page(query: { limit: number; cursor?: string; kind?: ChangelogKind; name?: string }): Promise<ChangelogPage> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (query.cursor !== undefined) {
      parameters.push(query.cursor);
      conditions.push(`id < $${parameters.length}`);
    }
    if (query.kind !== undefined) {
      parameters.push(query.kind);
      conditions.push(`kind = $${parameters.length}`);
    }
    if (query.name !== undefined) {
      parameters.push(query.name);
      conditions.push(`name = $${parameters.length}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${VERSION_COLUMNS} FROM catalog_versions
         UNION ALL
         SELECT id, '${ROUTING}' AS kind, '${ROUTING}' AS name, version, jsonb_build_object('routes', routes) AS body, author, message, created_at FROM routing_versions
       ) entries ${where} ORDER BY id DESC LIMIT ${query.limit + 1}`,
      parameters,
    );
    const page = rows.slice(0, query.limit);
    const [previous, previousRouting] = await Promise.all([this.previousVersions(page), this.previousRouting(page)]);
    const repinned = await this.repinnedVersions(page, previous);
    const judgeRepin = repinJudge((kind, name, version) => repinned.body(kind, name, version));
    const entries = page.map((row): ChangelogEntry => {
      if (row.kind === ROUTING) {
        const body = row.body as unknown as { routes: Route[] };
        return {
          id: row.id,
          kind: ROUTING,
          name: ROUTING,
          version: row.version,
          body,
          author: row.author,
          message: row.message,
          created_at: row.created_at.toISOString(),
          changes: diffRoutes(previousRouting.get(row.version - 1), body.routes),
        };
      }
      const version = toEntityVersion(row as VersionRow);
      const before = previous.body(row.kind, row.name, row.version - 1);
      return { id: row.id, ...version, changes: diffBodies(row.kind, before, version.body, judgeRepin) };
    });
    return { entries, next_cursor: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  private async previousVersions(rows: EntryRow[]): Promise<InMemoryCatalog> {
    const earlier = rows.filter((row): row is VersionRow => row.kind !== ROUTING && row.version > 1);
    if (earlier.length === 0) return new InMemoryCatalog([]);
    const found: VersionRow[] = await this.dataSource.query(
      `SELECT ${VERSION_COLUMNS} FROM catalog_versions
        WHERE (kind, name, version) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::int[]))`,
      [earlier.map((row) => row.kind), earlier.map((row) => row.name), earlier.map((row) => row.version - 1)],
    );
    return new InMemoryCatalog(found.map(toEntityVersion));
  }

  /** What judging the page's re-pins needs (fetchRepinned): two queries at most. */
  private repinnedVersions(rows: EntryRow[], previous: InMemoryCatalog): Promise<InMemoryCatalog> {
    const entries = rows
      .filter((row): row is VersionRow => row.kind !== ROUTING && row.version > 1)
      .map((row) => ({ kind: row.kind, before: previous.body(row.kind, row.name, row.version - 1), after: row.body }));
    return fetchRepinned(entries, async (wanted) => {
      const found: VersionRow[] = await this.dataSource.query(
        `SELECT ${VERSION_COLUMNS} FROM catalog_versions
          WHERE (kind, name, version) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::int[]))`,
        [wanted.map((key) => key.kind), wanted.map((key) => key.name), wanted.map((key) => key.version)],
      );
      return found.map(toEntityVersion);
    });
  }

  private async previousRouting(rows: EntryRow[]): Promise<Map<number, Route[]>> {
    const earlier = rows.filter((row) => row.kind === ROUTING && row.version > 1).map((row) => row.version - 1);
    if (earlier.length === 0) return new Map();
    const found = (await this.dataSource.query(`SELECT version, routes FROM routing_versions WHERE version = ANY($1::int[])`, [earlier])) as { version: number; routes: Route[] }[];
    return new Map(found.map((row) => [row.version, row.routes]));
  }
}
