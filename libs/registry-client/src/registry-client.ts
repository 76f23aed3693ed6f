import type { ApplyPlan, CatalogFileText, CatalogIssue, CatalogSnapshot, Change, EntityKind, EntityVersion } from '@tagplan/catalog';
import type { EventSchema } from '@tagplan/json-schema';

/** An error answer from the registry, or no answer at all (status 0). */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: CatalogIssue[] = [],
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface EntityWithVersions {
  kind: EntityKind;
  name: string;
  latest_version: number;
  versions: EntityVersion[];
}

export interface ChangelogEntry extends EntityVersion {
  id: string;
  changes: Change[];
}

const PLURAL: Record<EntityKind, string> = { field: 'fields', event: 'events', environment: 'environments' };

/** A typed client of the registry's HTTP API, for the CLI and other tools. */
export class RegistryClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token?: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  entity(kind: EntityKind, name: string): Promise<EntityWithVersions> {
    return this.request('GET', `/api/${PLURAL[kind]}/${encodeURIComponent(name)}`);
  }

  version(kind: EntityKind, name: string, version: number): Promise<EntityVersion> {
    return this.request('GET', `/api/${PLURAL[kind]}/${encodeURIComponent(name)}/versions/${version}`);
  }

  create(kind: EntityKind, body: Record<string, unknown>): Promise<EntityVersion> {
    return this.request('POST', `/api/${PLURAL[kind]}`, body);
  }

  addVersion(kind: EntityKind, name: string, body: Record<string, unknown>): Promise<EntityVersion> {
    return this.request('POST', `/api/${PLURAL[kind]}/${encodeURIComponent(name)}/versions`, body);
  }

  list(kind: EntityKind, query: { q?: string; owner?: string; limit?: number; offset?: number } = {}): Promise<{ items: EntityVersion[]; total: number }> {
    const search = queryString(query);
    return this.request('GET', `/api/${PLURAL[kind]}?${search}`);
  }

  async schemas(environment: string, version: number): Promise<EventSchema[]> {
    const answer = await this.request<{ schemas: EventSchema[] }>('GET', `/api/environments/${encodeURIComponent(environment)}/versions/${version}/schemas`);
    return answer.schemas;
  }

  changelog(query: { limit?: number; cursor?: string } = {}): Promise<{ entries: ChangelogEntry[]; next_cursor: string | null }> {
    const search = queryString(query);
    return this.request('GET', `/api/changelog?${search}`);
  }

  apply(catalog: unknown, options: { message?: string; dryRun: boolean }): Promise<ApplyPlan & { dry_run: boolean }> {
    return this.request('POST', '/api/catalog/apply', { catalog, dry_run: options.dryRun, ...(options.message ? { message: options.message } : {}) });
  }

  exportCatalog(): Promise<CatalogFileText> {
    return this.request('GET', '/api/catalog/export');
  }

  snapshot(): Promise<CatalogSnapshot> {
    return this.request('GET', '/api/catalog/snapshot');
  }

  createUser(body: { username: string; role: string; password?: string }): Promise<{ id: string; username: string; role: string }> {
    return this.request('POST', '/api/admin/users', body);
  }

  createToken(body: { name: string; scopes: string[]; username?: string }): Promise<{ id: string; name: string; username: string; scopes: string[]; token: string }> {
    return this.request('POST', '/api/admin/tokens', body);
  }

  listTokens(): Promise<{ id: string; name: string; username: string; scopes: string[]; created_at: string; revoked_at: string | null }[]> {
    return this.request('GET', '/api/admin/tokens');
  }

  revokeToken(id: string): Promise<{ id: string; revoked_at: string | null }> {
    return this.request('POST', `/api/admin/tokens/${encodeURIComponent(id)}/revoke`);
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, bad port) is in its cause.
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new RegistryError(0, 'unreachable', `cannot reach the registry at ${this.baseUrl} (${reason}); is it running? (tagplan serve, or set --url / TAGPLAN_URL)`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new RegistryError(response.status, 'invalid_response', `the registry answered ${response.status} with something that is not JSON`);
    }
    if (!response.ok) {
      const error = (parsed ?? {}) as { error?: string; message?: string; issues?: CatalogIssue[] };
      throw new RegistryError(response.status, error.error ?? 'error', error.message ?? `HTTP ${response.status}`, error.issues ?? []);
    }
    return parsed as T;
  }
}

function queryString(query: Record<string, string | number | undefined>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  return search;
}
