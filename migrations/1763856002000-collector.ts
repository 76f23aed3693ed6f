import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the shared collector needs from the registry (DESIGN §3, §4): environments' write
 * keys (stored hashed), routing versions (catalog data: append-only like the rest), and
 * counts of accepted and bad events per event version and minute (counters: updated in
 * place and pruned).
 */
export class Collector1763856002000 implements MigrationInterface {
  name = 'Collector1763856002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE write_keys (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        environment_kind text NOT NULL DEFAULT 'environment' CONSTRAINT write_keys_environment_kind_check CHECK (environment_kind = 'environment'),
        environment text NOT NULL,
        name text NOT NULL CONSTRAINT write_keys_name_check CHECK (char_length(name) BETWEEN 1 AND 100),
        lookup text NOT NULL,
        secret_hash text NOT NULL CONSTRAINT write_keys_secret_hash_check CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        created_by text NOT NULL,
        revoked_at timestamptz,
        CONSTRAINT write_keys_pkey PRIMARY KEY (id),
        CONSTRAINT write_keys_lookup_key UNIQUE (lookup),
        CONSTRAINT write_keys_environment_fkey FOREIGN KEY (environment_kind, environment) REFERENCES catalog_entities (kind, name)
      )`);
    await queryRunner.query(`CREATE INDEX write_keys_environment_idx ON write_keys (environment)`);
    // The collector's catalog revision counts keys and revocations: that holds only if a key
    // is never deleted and a revocation never undone. It is also what a key's audit trail needs.
    await queryRunner.query(`
      CREATE FUNCTION tagplan_write_keys_only_revoke() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
           AND (NEW.id, NEW.environment_kind, NEW.environment, NEW.name, NEW.lookup, NEW.secret_hash, NEW.created_at, NEW.created_by)
               IS NOT DISTINCT FROM (OLD.id, OLD.environment_kind, OLD.environment, OLD.name, OLD.lookup, OLD.secret_hash, OLD.created_at, OLD.created_by) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'write keys are never deleted or changed, only revoked once: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'TP002', HINT = 'create a new key and revoke the old one';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER write_keys_only_revoke_rows BEFORE UPDATE OR DELETE ON write_keys
      FOR EACH ROW EXECUTE FUNCTION tagplan_write_keys_only_revoke()`);
    await queryRunner.query(`
      CREATE TRIGGER write_keys_only_revoke_table BEFORE TRUNCATE ON write_keys
      FOR EACH STATEMENT EXECUTE FUNCTION tagplan_write_keys_only_revoke()`);

    // Routing versions draw their ids from the catalog versions' sequence, so that the change
    // log can list both in the order they were written with one cursor.
    const [sequence] = (await queryRunner.query(`SELECT pg_get_serial_sequence('catalog_versions', 'id') AS name`)) as { name: string }[];
    if (!sequence?.name) throw new Error('catalog_versions.id has no sequence');
    await queryRunner.query(`
      CREATE TABLE routing_versions (
        id bigint NOT NULL DEFAULT nextval('${sequence.name}'::regclass),
        version integer NOT NULL CONSTRAINT routing_versions_version_check CHECK (version >= 1),
        routes jsonb NOT NULL CONSTRAINT routing_versions_routes_check CHECK (jsonb_typeof(routes) = 'array'),
        author text NOT NULL,
        message text NOT NULL CONSTRAINT routing_versions_message_check CHECK (message <> ''),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT routing_versions_pkey PRIMARY KEY (version),
        CONSTRAINT routing_versions_id_key UNIQUE (id)
      )`);
    await queryRunner.query(`
      CREATE TRIGGER routing_versions_immutable_rows BEFORE UPDATE OR DELETE ON routing_versions
      FOR EACH ROW EXECUTE FUNCTION tagplan_refuse_catalog_change()`);
    await queryRunner.query(`
      CREATE TRIGGER routing_versions_immutable_table BEFORE TRUNCATE ON routing_versions
      FOR EACH STATEMENT EXECUTE FUNCTION tagplan_refuse_catalog_change()`);

    // No foreign keys to the catalog: bad rows are counted too, and they may name events
    // and versions the catalog does not have.
    await queryRunner.query(`
      CREATE TABLE event_counts (
        environment text NOT NULL,
        event_name text NOT NULL,
        event_version integer NOT NULL CONSTRAINT event_counts_event_version_check CHECK (event_version >= 0),
        minute timestamptz NOT NULL CONSTRAINT event_counts_minute_check CHECK (minute = date_trunc('minute', minute)),
        accepted bigint NOT NULL DEFAULT 0 CONSTRAINT event_counts_accepted_check CHECK (accepted >= 0),
        bad bigint NOT NULL DEFAULT 0 CONSTRAINT event_counts_bad_check CHECK (bad >= 0),
        CONSTRAINT event_counts_pkey PRIMARY KEY (event_name, event_version, environment, minute)
      )`);
    await queryRunner.query(`CREATE INDEX event_counts_minute_idx ON event_counts (minute)`);
    // Reports a collector resends after a lost answer are recognised by their id and counted once.
    await queryRunner.query(`
      CREATE TABLE event_count_reports (
        id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT event_count_reports_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX event_count_reports_received_at_idx ON event_count_reports (received_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const [routing] = (await queryRunner.query(`SELECT 1 FROM routing_versions LIMIT 1`)) as unknown[];
    if (routing) throw new Error('the collector migration cannot be reverted once routing versions exist: catalog versions are never deleted');
    await queryRunner.query(`DROP TABLE event_count_reports`);
    await queryRunner.query(`DROP TABLE event_counts`);
    await queryRunner.query(`DROP TABLE routing_versions`);
    await queryRunner.query(`DROP TABLE write_keys`);
    await queryRunner.query(`DROP FUNCTION tagplan_write_keys_only_revoke()`);
  }
}
