import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CollectorCatalogDocument, WriteKeyRecord } from '@tagplan/collector';
import { toEntityVersion, VERSION_COLUMNS, type VersionRow } from '../catalog/catalog.rows';
import { latestRouting } from '../routing/routing.rows';

export const COLLECTOR_CATALOG_FORMAT = 'tagplan-collector-catalog/1';

/**
 * The catalog as a collector loads it (libs/collector contracts): every version, the write
 * keys as digests, the latest routes, and a revision that collectors poll cheaply.
 *
 * The revision is made of counts: catalog and routing versions are only ever added
 * (triggers), write keys are only ever added or revoked once (a trigger), so each of these
 * changes raises one count, and equal counts mean equal content. The database's oid and the
 * time of the newest version tell one registry from another that happens to hold as many rows.
 */
@Injectable()
export class CollectorCatalogService {
  /** The last document served: built and serialized once per revision, however many collectors poll. */
  private cached: { revision: string; body: string } | undefined;

  constructor(private readonly dataSource: DataSource) {}

  revision(manager: EntityManager = this.dataSource.manager): Promise<string> {
    return revisionOf(manager);
  }

  /** The document, serialized, and its revision, both read from one snapshot of the database. */
  async document(): Promise<{ revision: string; body: string }> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const revision = await revisionOf(manager);
      const cached = this.cached;
      if (cached?.revision === revision) return cached;
      const [rows, keys, routing] = await Promise.all([
        manager.query(`SELECT ${VERSION_COLUMNS} FROM catalog_versions ORDER BY array_position(ARRAY['field', 'event', 'environment'], kind), name, version`) as Promise<VersionRow[]>,
        manager.query(`SELECT id, environment, lookup, secret_hash, revoked_at IS NOT NULL AS revoked FROM write_keys ORDER BY created_at, id`) as Promise<WriteKeyRecord[]>,
        latestRouting(manager),
      ]);
      const document: CollectorCatalogDocument = {
        format: COLLECTOR_CATALOG_FORMAT,
        revision,
        generated_at: new Date().toISOString(),
        versions: rows.map(toEntityVersion),
        write_keys: keys.map((key) => ({ id: key.id, environment: key.environment, lookup: key.lookup, secret_hash: key.secret_hash, revoked: key.revoked })),
        routes: routing?.routes ?? [],
      };
      const built = { revision, body: JSON.stringify(document) };
      this.cached = built;
      return built;
    });
  }
}

async function revisionOf(manager: EntityManager): Promise<string> {
  const [row] = (await manager.query(`
    SELECT (SELECT oid FROM pg_database WHERE datname = current_database())::text AS database,
           (SELECT count(*) || '/' || coalesce(max(created_at)::text, '') FROM catalog_versions) AS versions,
           (SELECT count(*) || '/' || coalesce(max(created_at)::text, '') FROM routing_versions) AS routing,
           (SELECT count(*) || '/' || count(revoked_at) || '/' || coalesce(max(created_at)::text, '') FROM write_keys) AS keys`)) as Record<string, string>[];
  return createHash('sha256').update(JSON.stringify(row)).digest('hex').slice(0, 32);
}
