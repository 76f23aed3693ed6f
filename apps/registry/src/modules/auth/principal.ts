import type { Role, Scope } from './auth.entities';

/** Who is calling: a user, directly (password) or through one of their tokens. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** A password login may do all its role allows; a token only what its scopes allow. */
  scopes: readonly Scope[];
  via: 'password' | 'token';
}

/**
 * `private-read` is `read` that open reads do not open: for answers that hold anything
 * about secrets (the collector's catalog carries write-key digests).
 */
export type AccessLevel = 'public' | 'read' | 'private-read' | 'write' | 'publish' | 'admin';

const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** Why this principal may not do what needs `level`, or null if it may. */
export function accessProblem(level: AccessLevel, principal: Principal | undefined, openReads: boolean): string | null {
  if (level === 'public' || (level === 'read' && openReads)) return null;
  if (!principal) return 'credentials are required: send Authorization: Bearer <token> (or Basic for a user)';
  const scope: Scope = level === 'admin' ? 'write' : level === 'private-read' ? 'read' : level;
  if (!principal.scopes.includes(scope)) return `this token lacks the "${scope}" scope`;
  if (level === 'admin' && principal.role !== 'admin') return `user ${principal.username} is not an admin`;
  if ((level === 'write' || level === 'publish') && ROLE_RANK[principal.role] < ROLE_RANK.editor) {
    return `user ${principal.username} is a viewer; writing needs the editor or admin role`;
  }
  return null;
}
