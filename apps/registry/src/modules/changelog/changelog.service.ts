import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { diffBodies, InMemoryCatalog, type Change, type EntityKind, type EntityVersion } from '@tagplan/catalog';
import { toEntityVersion, VERSION_COLUMNS, type VersionRow } from '../catalog/catalog.rows';

export interface ChangelogEntry extends EntityVersion {
  id: string;
  changes: Change[];
}

export interface ChangelogPage {
  entries: ChangelogEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

/** Every version of everything, newest first, each with its diff against the version before. */
@Injectable()
export class ChangelogService {
  constructor(private readonly dataSource: DataSource) {}

  async page(query: { limit: number; cursor?: string; kind?: EntityKind; name?: string }): Promise<ChangelogPage> {
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
    const rows: VersionRow[] = await this.dataSource.query(
      `SELECT ${VERSION_COLUMNS} FROM catalog_versions ${where} ORDER BY id DESC LIMIT ${query.limit + 1}`,
      parameters,
    );
    const page = rows.slice(0, query.limit);
    const previous = await this.previousVersions(page);
    const entries = page.map((row) => {
      const version = toEntityVersion(row);
      const before = previous.body(row.kind, row.name, row.version - 1);
      return { id: row.id, ...version, changes: diffBodies(row.kind, before, version.body) };
    });
    return { entries, next_cursor: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  private async previousVersions(rows: VersionRow[]): Promise<InMemoryCatalog> {
    const earlier = rows.filter((row) => row.version > 1);
    if (earlier.length === 0) return new InMemoryCatalog([]);
    const found: VersionRow[] = await this.dataSource.query(
      `SELECT ${VERSION_COLUMNS} FROM catalog_versions
        WHERE (kind, name, version) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::int[]))`,
      [earlier.map((row) => row.kind), earlier.map((row) => row.name), earlier.map((row) => row.version - 1)],
    );
    return new InMemoryCatalog(found.map(toEntityVersion));
  }
}
