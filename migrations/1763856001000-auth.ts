import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users with a role, and API tokens with scopes; every secret is stored hashed. */
export class Auth1763856001000 implements MigrationInterface {
  name = 'Auth1763856001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        username text NOT NULL,
        role text NOT NULL CONSTRAINT users_role_check CHECK (role IN ('viewer', 'editor', 'admin')),
        password_hash text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT users_pkey PRIMARY KEY (id),
        CONSTRAINT users_username_key UNIQUE (username)
      )`);
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        lookup text NOT NULL,
        secret_hash text NOT NULL,
        scopes text[] NOT NULL CONSTRAINT api_tokens_scopes_check CHECK (scopes <@ ARRAY['read', 'write', 'publish']::text[]),
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        revoked_at timestamptz,
        CONSTRAINT api_tokens_pkey PRIMARY KEY (id),
        CONSTRAINT api_tokens_lookup_key UNIQUE (lookup),
        CONSTRAINT api_tokens_user_fkey FOREIGN KEY (user_id) REFERENCES users (id)
      )`);
    await queryRunner.query(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_tokens`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
