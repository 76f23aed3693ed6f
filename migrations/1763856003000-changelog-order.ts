import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Any constant shared by every catalog writer; "tagplan" in ASCII. */
const CATALOG_WRITE_LOCK = 0x74_61_67_70_6c_61_6e;

/**
 * Catalog and routing versions commit in the order of their ids. The change log lists them
 * by id and clients page and poll it by id; ids come from a sequence, which hands them out
 * when a row is inserted, not when it commits, so two writers could commit out of order and
 * a reader that had already seen the higher id would never see the lower one. Now every
 * insert into the catalog's tables first takes one transaction-scoped advisory lock, and a
 * version draws its id under that lock: writers commit one after another, in id order.
 * Catalog writes are made by people and CI pipelines, a few per second at most: serializing
 * them costs nothing that matters. Taking the lock at a writer's first insert, before it
 * holds any row lock, keeps it free of deadlocks.
 */
export class ChangelogOrder1763856003000 implements MigrationInterface {
  name = 'ChangelogOrder1763856003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [sequence] = (await queryRunner.query(`SELECT pg_get_serial_sequence('catalog_versions', 'id') AS name`)) as { name: string }[];
    if (!sequence?.name) throw new Error('catalog_versions.id has no sequence');
    // The identity (or default) value drawn before the trigger runs is replaced: ids may have
    // gaps, they only have to grow in commit order.
    await queryRunner.query(`
      CREATE FUNCTION tagplan_catalog_write_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${CATALOG_WRITE_LOCK});
        IF TG_TABLE_NAME <> 'catalog_entities' THEN
          NEW.id := nextval('${sequence.name}'::regclass);
        END IF;
        RETURN NEW;
      END
      $$`);
    for (const table of ['catalog_entities', 'catalog_versions', 'routing_versions']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_write_order BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION tagplan_catalog_write_order()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['catalog_entities', 'catalog_versions', 'routing_versions']) {
      await queryRunner.query(`DROP TRIGGER ${table}_write_order ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION tagplan_catalog_write_order()`);
  }
}
