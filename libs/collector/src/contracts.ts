import type { EntityVersion } from '@tagplan/catalog';

/**
 * The contracts between the registry, the collector and the sinks (DESIGN §3, §4).
 */

/** What a collector loads: from the registry (GET /api/collector/catalog) or from a file. */
export interface CollectorCatalogDocument {
  format: 'tagplan-collector-catalog/1';
  /** Changes whenever anything below changes; the registry also sends it as the ETag. */
  revision: string;
  generated_at: string;
  /** Every version of every field, event and environment (as in a snapshot). */
  versions: EntityVersion[];
  /** Environments' write keys: stored hashed, never in clear (see hashWriteKey). */
  write_keys: WriteKeyRecord[];
  /** Which sinks get which events; sinks are named in the collector's own configuration. */
  routes: RouteRecord[];
}

export interface WriteKeyRecord {
  id: string;
  environment: string;
  /** First 16 hex digits of the key's SHA-256: finds the record without revealing anything. */
  lookup: string;
  /** The key's SHA-256 (hex), compared in constant time. */
  secret_hash: string;
  revoked: boolean;
}

/** `event` is an event name or "*" (every event of the environment). */
export interface RouteRecord {
  environment: string;
  event: string;
  sinks: string[];
}

/** One accepted event as written to the sinks (DESIGN §3). */
export interface EnrichedRecord {
  /** A UUID (8-4-4-4-12 hex digits): the intake accepts nothing else, so it needs no JSON escaping. */
  event_id: string;
  environment: string;
  /** The name of an event of the catalog (snake_case), so it needs no JSON escaping either. */
  event_name: string;
  event_version: number;
  created_ts: number;
  sent_ts: number;
  received_ts: number;
  /** created_ts + (received_ts - sent_ts): the sender's clock corrected by the skew seen at send time. */
  ts: number;
  /** pii: hash fields replaced by a keyed hash, pii: drop fields removed. */
  data: Record<string, unknown>;
  stack_ctx: Record<string, unknown> & { collector_version: string };
  query_ctx: QueryContext;
}

export interface QueryContext {
  user_agent: string | null;
  /** Keyed hash (HMAC-SHA256, hex) of the client IP; never the IP itself. */
  ip_hash: string | null;
  content_encoding: string | null;
  /** The write key's id (not the key). */
  write_key_id: string;
  request_id: string;
}

export type BadRowReason = 'invalid_data' | 'unknown_event' | 'unknown_version' | 'not_allowed' | 'invalid_event';

/** An event that could not be accepted: never dropped, written to the bad-rows stream. */
export interface BadRow {
  reason: BadRowReason;
  errors: string[];
  /** The event exactly as received. */
  raw: unknown;
  received_ts: number;
  environment: string;
  event_name: string | null;
  event_version: number | null;
  event_id: string | null;
}

/** What the sinks receive for one request: everything of it, good and bad. */
export interface SinkBatch {
  records: EnrichedRecord[];
  badRows: BadRow[];
  /**
   * Every string in `records` is ASCII, so their JSON is too: a sink may encode it as
   * Latin-1 (a plain copy) instead of UTF-8 (a scan of every character), for the same bytes.
   */
  recordsAreAscii?: boolean;
}

/**
 * A destination of records. `write` resolves only once everything it was given is
 * durably written (fsync'd, or acknowledged by the broker); it rejects otherwise, and the
 * collector answers 503 so that the sender retries.
 */
export interface Sink {
  readonly name: string;
  write(batch: SinkBatch): Promise<void>;
  /** Throws when the sink cannot take writes now (for /readyz). */
  ready(): Promise<void>;
  close(): Promise<void>;
  /**
   * Optional: calls `visit` for every event id this sink wrote since `sinceMs` (a record's or
   * a bad row's `received_ts`), so that a restarted collector still drops the duplicates of
   * what it wrote just before (DESIGN §3). A sink that cannot tell leaves it out.
   */
  recentEventIds?(sinceMs: number, visit: (eventId: string, receivedTs: number, kind: 'record' | 'bad_row') => void): Promise<void>;
}

export const SINK_UNAVAILABLE = 'sink_unavailable';

/** A sink could not durably write: the request gets 503 with Retry-After. */
export class SinkUnavailableError extends Error {
  readonly code = SINK_UNAVAILABLE;
  constructor(
    readonly sink: string,
    message: string,
    readonly retryAfterSeconds = 2,
  ) {
    super(`sink ${sink}: ${message}`);
    this.name = 'SinkUnavailableError';
  }
}

export const COLLECTOR_COUNTS_FORMAT = 'tagplan-collector-counts/1';

/**
 * What a collector pushes to the registry every few seconds (POST /api/collector/counts,
 * with the same token as the catalog): the events it accepted and turned into bad rows
 * since its previous report, per environment and event version. Only event versions the
 * catalog knows are reported (the collector's /metrics has the rest). A report that could
 * not be delivered is resent as it was, with the same report_id, before any newer one.
 */
export interface CollectorCountsReport {
  format: typeof COLLECTOR_COUNTS_FORMAT;
  /** The collector instance (its configured instance id). */
  collector_id: string;
  /** The interval counted, in milliseconds since the epoch: [from_ts, to_ts). */
  from_ts: number;
  to_ts: number;
  /** A UUID kept when the same report is resent (its answer was lost), so that it counts once. */
  report_id?: string;
  counts: EventVersionCount[];
}

export interface EventVersionCount {
  environment: string;
  event_name: string;
  event_version: number;
  accepted: number;
  bad: number;
}
