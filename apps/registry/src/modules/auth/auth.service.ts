import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiTokenRecord, ROLES, SCOPES, UserRecord, type Role, type Scope } from './auth.entities';
import { AuthException } from './auth.exceptions';
import type { Principal } from './principal';
import { generateToken, hashPassword, sameDigest, tokenDigest, verifyPassword } from './secrets';

export const INITIAL_ADMIN = 'admin';
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MIN_PASSWORD_LENGTH = 12;

export interface TokenView {
  id: string;
  name: string;
  username: string;
  scopes: Scope[];
  created_at: string;
  revoked_at: string | null;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserRecord) private readonly users: Repository<UserRecord>,
    @InjectRepository(ApiTokenRecord) private readonly tokens: Repository<ApiTokenRecord>,
  ) {}

  /** The caller named by an Authorization header; undefined when there is none. */
  async authenticate(header: string | undefined): Promise<Principal | undefined> {
    if (!header) return undefined;
    const [scheme, credentials = ''] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer') return this.byToken(credentials.trim());
    if (scheme?.toLowerCase() === 'basic') return this.byPassword(credentials.trim());
    throw new AuthException('unauthenticated', 'unsupported Authorization scheme: use Bearer <token> or Basic');
  }

  private async byToken(token: string): Promise<Principal> {
    const { lookup, secretHash } = tokenDigest(token);
    // The token and its user in one round trip: every authenticated request pays for this.
    const [record] = (await this.tokens.query(
      `SELECT t.secret_hash, t.scopes, u.id AS user_id, u.username, u.role
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.lookup = $1 AND t.revoked_at IS NULL`,
      [lookup],
    )) as { secret_hash: string; scopes: Scope[]; user_id: string; username: string; role: Role }[];
    if (!record || !sameDigest(record.secret_hash, secretHash)) throw new AuthException('unauthenticated', 'unknown or revoked token');
    return { userId: record.user_id, username: record.username, role: record.role, scopes: record.scopes, via: 'token' };
  }

  private async byPassword(credentials: string): Promise<Principal> {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = decoded.slice(0, colon);
    const user = colon > 0 ? await this.users.findOneBy({ username }) : null;
    const valid = user?.passwordHash ? await verifyPassword(decoded.slice(colon + 1), user.passwordHash) : false;
    if (!user || !valid) throw new AuthException('unauthenticated', 'wrong username or password');
    return { userId: user.id, username: user.username, role: user.role, scopes: SCOPES, via: 'password' };
  }

  /**
   * On first start, an admin user and its token: the given one (TAGPLAN_ADMIN_TOKEN, for
   * automation) or a random one, returned so that it can be printed once.
   */
  async ensureInitialAdmin(adminToken: string | undefined): Promise<string | undefined> {
    if ((await this.users.count()) > 0) return undefined;
    const user = await this.createUser({ username: INITIAL_ADMIN, role: 'admin' });
    const token = adminToken ?? generateToken();
    await this.storeToken(user.id, 'initial-admin', [...SCOPES], token);
    return adminToken ? undefined : token;
  }

  /** A user acting for the registry itself (e.g. issuing a token for its own collector). */
  async principalOf(username: string): Promise<Principal> {
    const user = await this.users.findOneBy({ username });
    if (!user) throw new AuthException('not_found', `there is no user ${username}`);
    return { userId: user.id, username: user.username, role: user.role, scopes: SCOPES, via: 'password' };
  }

  async createUser(input: { username: unknown; role: unknown; password?: unknown }): Promise<{ id: string; username: string; role: Role }> {
    const { username, role, password } = input;
    if (typeof username !== 'string' || !USERNAME.test(username)) {
      throw new AuthException('invalid_request', '/username: 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit');
    }
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new AuthException('invalid_request', `/role: must be one of ${ROLES.join(', ')}`);
    }
    if (password !== undefined && (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH)) {
      throw new AuthException('invalid_request', `/password: at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    if (await this.users.existsBy({ username })) throw new AuthException('already_exists', `user ${username} already exists`);
    const passwordHash = typeof password === 'string' ? await hashPassword(password) : null;
    const user = await this.users.save(this.users.create({ username, role: role as Role, passwordHash }));
    return { id: user.id, username: user.username, role: user.role };
  }

  async listUsers(): Promise<{ id: string; username: string; role: Role; created_at: string }[]> {
    const users = await this.users.find({ order: { username: 'ASC' } });
    return users.map((user) => ({ id: user.id, username: user.username, role: user.role, created_at: user.createdAt.toISOString() }));
  }

  /** A new token; its secret is returned here once and never again. */
  async createToken(input: { name: unknown; scopes: unknown; username?: unknown }, caller: Principal): Promise<TokenView & { token: string }> {
    const { name, scopes } = input;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 100) throw new AuthException('invalid_request', '/name: a name of 1 to 100 characters is required');
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => (SCOPES as readonly unknown[]).includes(scope))) {
      throw new AuthException('invalid_request', `/scopes: a non-empty list of ${SCOPES.join(', ')}`);
    }
    const username = input.username ?? caller.username;
    const user = typeof username === 'string' ? await this.users.findOneBy({ username }) : null;
    if (!user) throw new AuthException('not_found', `/username: there is no user ${String(username)}`);
    const token = generateToken();
    const record = await this.storeToken(user.id, name, [...new Set(scopes as Scope[])], token);
    return { ...toView(record, user.username), token };
  }

  async listTokens(): Promise<TokenView[]> {
    const [tokens, users] = await Promise.all([this.tokens.find({ order: { createdAt: 'ASC' } }), this.users.find()]);
    const names = new Map(users.map((user) => [user.id, user.username]));
    return tokens.map((record) => toView(record, names.get(record.userId) ?? '?'));
  }

  async revokeToken(id: string): Promise<TokenView> {
    const record = /^[0-9a-f-]{36}$/i.test(id) ? await this.tokens.findOneBy({ id }) : null;
    if (!record) throw new AuthException('not_found', `there is no token ${id}`);
    if (!record.revokedAt) {
      record.revokedAt = new Date();
      await this.tokens.save(record);
    }
    const user = await this.users.findOneByOrFail({ id: record.userId });
    return toView(record, user.username);
  }

  private async storeToken(userId: string, name: string, scopes: Scope[], token: string): Promise<ApiTokenRecord> {
    const { lookup, secretHash } = tokenDigest(token);
    return this.tokens.save(this.tokens.create({ userId, name, scopes, lookup, secretHash, revokedAt: null }));
  }
}

function toView(record: ApiTokenRecord, username: string): TokenView {
  return {
    id: record.id,
    name: record.name,
    username,
    scopes: record.scopes,
    created_at: record.createdAt.toISOString(),
    revoked_at: record.revokedAt ? record.revokedAt.toISOString() : null,
  };
}
