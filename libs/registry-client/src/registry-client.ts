import type { ApplyPlan, CatalogFileText, CatalogIssue, CatalogSnapshot, Change, EntityKind, EntityVersion, Route, RoutingVersion } from '@tagplan/catalog';
import type { CollectorCatalogDocument, CollectorCountsReport } from '@tagplan/collector';
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

/** A version in the change log: of an entity, or of the routing table (kind and name "routing"). */
export type ChangelogEntry =
  | (EntityVersion & { id: string; changes: Change[] })
  | { id: string; kind: 'routing'; name: 'routing'; version: number; body: { routes: Route[] }; author: string; message: string; created_at: string; changes: Change[] };

/** A write key as listed: never the key itself. */
export interface WriteKeyView {
  id: string;
  environment: string;
  name: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export interface Tally {
  accepted: number;
  bad: number;
}

export interface EventVersionCounts {
  event_name: string;
  event_version: number;
  as_of: string;
  last_hour: Tally;
  last_day: Tally;
  by_environment: { environment: string; last_hour: Tally; last_day: Tally }[];
}

export interface CountsListing {
  window: 'hour' | 'day';
  since: string;
  as_of: string;
  items: (Tally & { event_name: string; event_version: number; in_catalog: boolean; by_environment: (Tally & { environment: string })[] })[];
}

/** A count that names its own minute, for reports without a to_ts. */
export type MinuteCount = CollectorCountsReport['counts'][number] & { minute?: string };

/** What POST /api/collector/counts takes: the collector's report, or counts that each name their minute. */
export type CountsReport = Partial<Omit<CollectorCountsReport, 'counts'>> & { counts: MinuteCount[]; report_id?: string };

/** The answer to a conditional GET of the collector's catalog. */
export type CollectorCatalogAnswer = { changed: false; etag: string } | { changed: true; etag: string; document: CollectorCatalogDocument };

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

  createWriteKey(environment: string, name?: string): Promise<WriteKeyView & { key: string }> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/keys`, name === undefined ? {} : { name });
  }

  /** The keys of one environment, or of all of them. */
  listWriteKeys(environment?: string): Promise<WriteKeyView[]> {
    return this.request('GET', environment === undefined ? '/api/keys' : `/api/environments/${encodeURIComponent(environment)}/keys`);
  }

  revokeWriteKey(environment: string, id: string): Promise<WriteKeyView> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/keys/${encodeURIComponent(id)}/revoke`);
  }

  /** The latest routing version (version 0 and no routes before the first). */
  routes(): Promise<RoutingVersion | { version: 0; routes: []; author: null; message: null; created_at: null }> {
    return this.request('GET', '/api/routes');
  }

  routingVersion(version: number): Promise<RoutingVersion> {
    return this.request('GET', `/api/routes/versions/${version}`);
  }

  addRoutingVersion(body: { routes: Route[]; message: string; version?: number }): Promise<RoutingVersion> {
    return this.request('POST', '/api/routes/versions', body);
  }

  /**
   * The collector's catalog, fetched only when it changed: pass the ETag of the document
   * held, and a 304 comes back as `changed: false` with no body to parse.
   */
  async collectorCatalog(etag?: string): Promise<CollectorCatalogAnswer> {
    const response = await this.send('GET', '/api/collector/catalog', undefined, etag === undefined ? {} : { 'if-none-match': etag });
    const answeredEtag = response.headers.get('etag') ?? '';
    if (response.status === 304) {
      await response.body?.cancel();
      return { changed: false, etag: answeredEtag || (etag as string) };
    }
    return { changed: true, etag: answeredEtag, document: await this.answer<CollectorCatalogDocument>(response) };
  }

  reportCounts(report: CountsReport): Promise<{ recorded: number; skipped: number; duplicate: boolean }> {
    return this.request('POST', '/api/collector/counts', report);
  }

  eventCounts(event: string, version: number): Promise<EventVersionCounts> {
    return this.request('GET', `/api/events/${encodeURIComponent(event)}/versions/${version}/counts`);
  }

  counts(window: 'hour' | 'day' = 'hour'): Promise<CountsListing> {
    return this.request('GET', `/api/counts?window=${window}`);
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
    return this.answer<T>(await this.send(method, path, body));
  }

  private async send(method: 'GET' | 'POST', path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, bad port) is in its cause.
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new RegistryError(0, 'unreachable', `cannot reach the registry at ${this.baseUrl} (${reason}); is it running? (tagplan serve, or set --url / TAGPLAN_URL)`);
    }
  }

  private async answer<T>(response: Response): Promise<T> {
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
