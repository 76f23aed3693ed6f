import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog: names, their immutable versions, and the pinned references between
 * versions. Immutability is the database's job, not only the application's: triggers
 * refuse UPDATE, DELETE and TRUNCATE on every catalog table.
 */
export class Catalog1763856000000 implements MigrationInterface {
  name = 'Catalog1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE catalog_entities (
        kind text NOT NULL CONSTRAINT catalog_entities_kind_check CHECK (kind IN ('field', 'event', 'environment')),
        name text NOT NULL CONSTRAINT catalog_entities_name_check CHECK (char_length(name) BETWEEN 1 AND 64),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT catalog_entities_pkey PRIMARY KEY (kind, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE catalog_versions (
        id bigint GENERATED ALWAYS AS IDENTITY,
        kind text NOT NULL,
        name text NOT NULL,
        version integer NOT NULL CONSTRAINT catalog_versions_version_check CHECK (version >= 1),
        body jsonb NOT NULL,
        author text NOT NULL,
        message text NOT NULL CONSTRAINT catalog_versions_message_check CHECK (message <> ''),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT catalog_versions_pkey PRIMARY KEY (kind, name, version),
        CONSTRAINT catalog_versions_id_key UNIQUE (id),
        CONSTRAINT catalog_versions_entity_fkey FOREIGN KEY (kind, name) REFERENCES catalog_entities (kind, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE catalog_references (
        kind text NOT NULL,
        name text NOT NULL,
        version integer NOT NULL,
        role text NOT NULL CONSTRAINT catalog_references_role_check CHECK (role IN ('field', 'common_field', 'event')),
        ref_kind text NOT NULL,
        ref_name text NOT NULL,
        ref_version integer NOT NULL,
        required boolean NOT NULL,
        position integer NOT NULL,
        CONSTRAINT catalog_references_pkey PRIMARY KEY (kind, name, version, role, ref_name),
        CONSTRAINT catalog_references_source_fkey FOREIGN KEY (kind, name, version)
          REFERENCES catalog_versions (kind, name, version),
        CONSTRAINT catalog_references_target_fkey FOREIGN KEY (ref_kind, ref_name, ref_version)
          REFERENCES catalog_versions (kind, name, version)
      )`);
    await queryRunner.query(`CREATE INDEX catalog_references_target_idx ON catalog_references (ref_kind, ref_name, ref_version)`);
    await queryRunner.query(`
      CREATE FUNCTION tagplan_refuse_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the catalog is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'TP001', HINT = 'a change is a new version beside the old ones';
      END
      $$`);
    for (const table of ['catalog_entities', 'catalog_versions', 'catalog_references']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_immutable_rows BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION tagplan_refuse_catalog_change()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_immutable_table BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION tagplan_refuse_catalog_change()`);
    }
  }

  async down(): Promise<void> {
    throw new Error('the catalog migration cannot be reverted: catalog versions are never deleted');
  }
}
