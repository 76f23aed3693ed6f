import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { generateWriteKey, writeKeyDigest } from '@tagplan/collector';
import { invalidAt, objectBody } from '../../common/request-body';
import { CatalogException } from '../catalog/catalog.exceptions';

/** A write key as the API shows it: never the key, nor its digest. */
export interface WriteKeyView {
  id: string;
  environment: string;
  name: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

interface WriteKeyRow {
  id: string;
  environment: string;
  name: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
}

const COLUMNS = 'id, environment, name, created_at, created_by, revoked_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = '23505';
export const DEFAULT_KEY_NAME = 'default';

/**
 * Environments' write keys (DESIGN §3): the key identifies the environment to the
 * collector. Only its SHA-256 is stored; the key itself is shown once, when created.
 * Keys are not catalog versions: they are revoked, never deleted (a trigger sees to it).
 */
@Injectable()
export class WriteKeysService {
  constructor(private readonly dataSource: DataSource) {}

  async create(environment: string, body: unknown, createdBy: string): Promise<WriteKeyView & { key: string }> {
    const request = objectBody(body ?? {});
    for (const key of Object.keys(request)) if (key !== 'name') throw invalidAt(`/${key}`, 'unknown_property', `unknown property "${key}"; a write key has only a name`);
    const name = request['name'] ?? DEFAULT_KEY_NAME;
    if (typeof name !== 'string' || name.trim() === '' || name.trim().length > 100) throw invalidAt('/name', 'type', 'the name of a write key is 1 to 100 characters, e.g. "production"');
    await this.requireEnvironment(environment);
    // A clash of two random 256-bit keys' lookups is not going to happen; one retry costs nothing.
    for (let attempt = 0; ; attempt += 1) {
      const key = generateWriteKey();
      const { lookup, secret_hash } = writeKeyDigest(key);
      try {
        const [row] = (await this.dataSource.query(
          `INSERT INTO write_keys (environment, name, lookup, secret_hash, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
          [environment, name.trim(), lookup, secret_hash, createdBy],
        )) as WriteKeyRow[];
        return { ...toView(row as WriteKeyRow), key };
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt > 0) throw error;
      }
    }
  }

  /** Every key of one environment, or of all of them; oldest first. */
  async list(environment?: string): Promise<WriteKeyView[]> {
    if (environment !== undefined) await this.requireEnvironment(environment);
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM write_keys ${environment !== undefined ? 'WHERE environment = $1' : ''} ORDER BY created_at, id`,
      environment !== undefined ? [environment] : [],
    )) as WriteKeyRow[];
    return rows.map(toView);
  }

  /** Revokes a key at once for every collector that reloads the catalog; revoking twice changes nothing. */
  async revoke(environment: string, id: string): Promise<WriteKeyView> {
    await this.requireEnvironment(environment);
    const notFound = new CatalogException('not_found', `environment ${environment} has no write key ${id}`);
    if (!UUID.test(id)) throw notFound;
    // TypeORM answers an UPDATE with [rows, affected].
    const [revoked] = (await this.dataSource.query(
      `UPDATE write_keys SET revoked_at = clock_timestamp() WHERE id = $1 AND environment = $2 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id, environment],
    )) as [WriteKeyRow[], number];
    const row = revoked[0];
    if (row) return toView(row);
    const [existing] = (await this.dataSource.query(`SELECT ${COLUMNS} FROM write_keys WHERE id = $1 AND environment = $2`, [id, environment])) as WriteKeyRow[];
    if (!existing) throw notFound;
    return toView(existing);
  }

  private async requireEnvironment(environment: string): Promise<void> {
    const found = (await this.dataSource.query(`SELECT 1 FROM catalog_entities WHERE kind = 'environment' AND name = $1`, [environment])) as unknown[];
    if (found.length === 0) throw new CatalogException('not_found', `there is no environment named ${environment}`);
  }
}

function toView(row: WriteKeyRow): WriteKeyView {
  return {
    id: row.id,
    environment: row.environment,
    name: row.name,
    created_at: row.created_at.toISOString(),
    created_by: row.created_by,
    revoked_at: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}
