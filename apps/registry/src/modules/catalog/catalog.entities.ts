import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AnyBody, EntityKind } from '@tagplan/catalog';

/** A name in the catalog. Rows are never updated or deleted (database triggers). */
@Entity({ name: 'catalog_entities' })
export class CatalogEntityRecord {
  @PrimaryColumn({ type: 'text' })
  kind!: EntityKind;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}

/** One immutable version of a catalog entity. */
@Entity({ name: 'catalog_versions' })
export class CatalogVersionRecord {
  @Column({ type: 'bigint', insert: false, update: false })
  id!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: EntityKind;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'jsonb' })
  body!: AnyBody;

  @Column({ type: 'text' })
  author!: string;

  @Column({ type: 'text' })
  message!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}

/** A pinned reference from a version to a field or event version (enforced by foreign keys). */
@Entity({ name: 'catalog_references' })
export class CatalogReferenceRecord {
  @PrimaryColumn({ type: 'text' })
  kind!: EntityKind;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @PrimaryColumn({ type: 'text' })
  role!: 'field' | 'common_field' | 'event';

  @Column({ type: 'text', name: 'ref_kind' })
  refKind!: EntityKind;

  @PrimaryColumn({ type: 'text', name: 'ref_name' })
  refName!: string;

  @Column({ type: 'integer', name: 'ref_version' })
  refVersion!: number;

  @Column({ type: 'boolean' })
  required!: boolean;

  @Column({ type: 'integer' })
  position!: number;
}
