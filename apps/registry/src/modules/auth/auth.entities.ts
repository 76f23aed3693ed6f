import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const SCOPES = ['read', 'write', 'publish'] as const;
export type Scope = (typeof SCOPES)[number];

@Entity({ name: 'users' })
export class UserRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ type: 'text' })
  role!: Role;

  /** scrypt, with its salt and parameters; null for users who only use tokens. */
  @Column({ type: 'text', name: 'password_hash', nullable: true })
  passwordHash!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}

@Entity({ name: 'api_tokens' })
export class ApiTokenRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** A prefix of the token's SHA-256, to find the row without revealing anything usable. */
  @Column({ type: 'text', unique: true })
  lookup!: string;

  /** The token's SHA-256, compared in constant time. */
  @Column({ type: 'text', name: 'secret_hash' })
  secretHash!: string;

  @Column({ type: 'text', array: true })
  scopes!: Scope[];

  @Column({ type: 'uuid', name: 'user_id' })
  userId!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
