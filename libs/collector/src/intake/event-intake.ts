import { isAscii } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { toViolation } from '@tagplan/json-schema';
import { SinkUnavailableError, type BadRow, type BadRowReason, type EnrichedRecord, type QueryContext, type Sink, type SinkBatch } from '../contracts';
import type { CompiledCatalog, CompiledEnvironment, PinnedEvent } from '../catalog/compiled-catalog';
import { CLAIM_UNTRACKED, CLAIM_WRITTEN, type DedupKind, type DedupWindow, type SinkDedupWindows } from '../dedup/dedup-window';
import { isUuid, uuidWords } from '../dedup/uuid-ring';
import type { EventCount } from '../metrics/event-counts';
import type { CollectorMetrics } from '../metrics/collector-metrics';
import { bodyEncoding, readBody, type BodyEncoding, type BodyLimits } from './body-reader';
import { IntakeError } from './intake-errors';
import type { KeyedHasher } from './keyed-hasher';

export interface IntakeLimits extends BodyLimits {
  maxEventsPerBatch: number;
  /** Bytes of one event's JSON; a larger event becomes a bad row (its raw cut to a preview). */
  maxEventBytes: number;
  /** Nesting levels a bad row's raw event may have; deeper is a 400 (it could not be written). */
  maxDepth: number;
  /** Requests being read, checked or written at once; one more gets 503 (bounds memory under overload). */
  maxRequestsInFlight: number;
  /** Bytes of bodies (as read, and inflated) held by the requests in flight; past it, 503. */
  maxBytesInFlight: number;
}

export const DEFAULT_LIMITS: IntakeLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxInflatedBytes: 10 * 1024 * 1024,
  maxEventsPerBatch: 1000,
  maxEventBytes: 128 * 1024,
  maxDepth: 32,
  maxRequestsInFlight: 1024,
  maxBytesInFlight: 256 * 1024 * 1024,
};

/** Retry-After of the 503 an overloaded collector answers: soon, but spread out by the senders' jitter. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 1;

/** How much of an oversized event a bad row keeps: enough to see what and who. */
export const OVERSIZED_PREVIEW_CHARS = 1024;
/** Senders whose clock is further off than this are counted (their events are still accepted, ts corrected). */
export const SKEW_COUNTED_MS = 24 * 60 * 60 * 1000;

export interface IntakeRequest {
  headers: IncomingHttpHeaders;
  body: Readable;
  remoteAddress: string | undefined;
}

export interface RejectedEvent {
  index: number;
  event_name: string | null;
  reason: BadRowReason;
  errors: string[];
}

export interface IntakeResult {
  accepted: number;
  rejected: RejectedEvent[];
  /** For the request log. */
  environment: string;
  events: number;
  duplicates: number;
  requestId: string;
}

export interface EventIntakeOptions {
  /** The catalog in force (swapped whole on refresh); undefined until the first load. */
  catalog: () => CompiledCatalog | undefined;
  limits: IntakeLimits;
  dedup: SinkDedupWindows;
  hasher: KeyedHasher;
  metrics: CollectorMetrics;
  collectorVersion: string;
  /** Take the client IP from X-Forwarded-For (behind a load balancer). */
  trustProxy: boolean;
}

const LANGPACK_VERSION = /^0\.[0-9]+\.([0-9]+)$/;
const UNICODE_ESCAPE = Buffer.from('\\u');
const NON_ASCII = /[^\x00-\x7f]/;
const MAX_USER_AGENT = 512;

/**
 * POST /v1/events (DESIGN §3): one request in, its records written by every sink they are
 * routed to, then the answer. The per-event loop does only what must be done per event
 * (shape, look-up, validation, enrichment); everything else happens once per request.
 */
export class EventIntake {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly collectorVersionIsAscii: boolean;
  private requestsInFlight = 0;
  private bytesInFlight = 0;

  constructor(private readonly options: EventIntakeOptions) {
    this.collectorVersionIsAscii = isAsciiText(options.collectorVersion);
  }

  /** Requests being read, checked or written now, and the bytes of their bodies (for /metrics). */
  get inFlight(): { requests: number; bytes: number } {
    return { requests: this.requestsInFlight, bytes: this.bytesInFlight };
  }

  /**
   * Refuses a request with 503 when too many are under way (so that an overload costs the
   * senders a retry, never the collector its memory); otherwise receives it.
   */
  async receive(request: IntakeRequest): Promise<IntakeResult> {
    const { maxRequestsInFlight, maxBytesInFlight } = this.options.limits;
    if (this.requestsInFlight >= maxRequestsInFlight) {
      throw overloaded(`${this.requestsInFlight} requests are under way, the collector's limit (TAGPLAN_COLLECTOR_MAX_REQUESTS_IN_FLIGHT)`);
    }
    if (this.bytesInFlight >= maxBytesInFlight) {
      throw overloaded(`the requests under way hold ${this.bytesInFlight} bytes, the collector's limit (TAGPLAN_COLLECTOR_MAX_BYTES_IN_FLIGHT)`);
    }
    this.requestsInFlight++;
    let held = 0;
    try {
      return await this.admitted(request, (bytes) => {
        held += bytes;
        this.bytesInFlight += bytes;
      });
    } finally {
      this.requestsInFlight--;
      this.bytesInFlight -= held;
    }
  }

  private async admitted(request: IntakeRequest, hold: (bytes: number) => void): Promise<IntakeResult> {
    const { headers } = request;
    const encoding = bodyEncoding(single(headers['content-encoding']));
    checkContentType(headers['content-type']);
    const catalog = this.options.catalog();
    if (!catalog) throw new IntakeError('catalog_not_loaded', 'the collector has not loaded its catalog yet: try again shortly', 2);
    const { environment, keyId } = authenticate(catalog, headers.authorization);
    const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    // The parsed batch lives only inside process(): across the wait for the sinks this frame
    // holds the answer, not the events, which keeps concurrent requests' garbage young.
    const raw = await readBody(request.body, encoding, this.options.limits, length);
    // Until the answer, a request holds about its body's size: its records' bytes waiting for their commit.
    hold(raw.length);
    const outcome = this.process(raw, encoding, catalog, environment, keyId, request);
    const duplicates = await outcome.written;
    return { ...outcome.result, duplicates };
  }

  private process(
    raw: Buffer,
    encoding: BodyEncoding,
    catalog: CompiledCatalog,
    environment: CompiledEnvironment,
    keyId: string,
    request: IntakeRequest,
  ): { written: Promise<number>; result: Omit<IntakeResult, 'duplicates'> } {
    this.options.metrics.bytesIn(encoding, raw.length);
    let text: string;
    try {
      text = this.decoder.decode(raw);
    } catch {
      throw new IntakeError('invalid_utf8', 'the body is not valid UTF-8');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      throw new IntakeError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
    }
    const { sentTs, events } = this.envelope(payload);
    const receivedTs = Date.now();
    const requestId = randomUUID();
    const queryCtx: QueryContext = {
      user_agent: userAgent(request.headers['user-agent']),
      ip_hash: this.ipHash(request.headers, request.remoteAddress),
      content_encoding: encoding === 'gzip' ? 'gzip' : null,
      write_key_id: keyId,
      request_id: requestId,
    };
    const checked = this.check(catalog, environment, events, sentTs, receivedTs, queryCtx, text.length > this.options.limits.maxEventBytes);
    checked.recordsAreAscii = this.recordsAreAscii(raw, queryCtx);
    if (Math.abs(receivedTs - sentTs) > SKEW_COUNTED_MS) this.options.metrics.skewedEvents(environment.name, events.length);
    return {
      written: this.dispatch(environment, checked, receivedTs),
      result: { accepted: checked.records.length, rejected: checked.rejected, environment: environment.name, events: events.length, requestId },
    };
  }

  /**
   * Whether every string of this request's records is ASCII: the body's bytes are, no \u
   * escape can have made a character beyond ASCII of them (a false alarm, such as an
   * escaped backslash before a "u", only costs the fast path), and neither do the strings
   * the collector adds (the user agent, a header decoded as Latin-1, and the key's id;
   * names, ids, hashes and the version are ASCII by construction).
   */
  private recordsAreAscii(raw: Buffer, queryCtx: QueryContext): boolean {
    return this.collectorVersionIsAscii && isAscii(raw) && raw.indexOf(UNICODE_ESCAPE) === -1 && isAsciiText(queryCtx.user_agent) && isAsciiText(queryCtx.write_key_id);
  }

  private envelope(payload: unknown): { sentTs: number; events: unknown[] } {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new IntakeError('invalid_request', `the body must be a JSON object {payload_version, sent_ts, events}, not ${describe(payload)}`);
    }
    const body = payload as Record<string, unknown>;
    const problems: string[] = [];
    if (body['payload_version'] !== 1) problems.push(`payload_version must be 1, not ${describe(body['payload_version'])}`);
    const sentTs = body['sent_ts'];
    if (!isTimestamp(sentTs)) problems.push(`sent_ts must be the time of sending in milliseconds since the epoch, not ${describe(sentTs)}`);
    const events = body['events'];
    if (!Array.isArray(events)) problems.push(`events must be a list of events, not ${describe(events)}`);
    if (problems.length > 0) throw new IntakeError('invalid_request', problems.join('; '));
    const list = events as unknown[];
    if (list.length > this.options.limits.maxEventsPerBatch) {
      throw new IntakeError(
        'too_many_events',
        `a batch has at most ${this.options.limits.maxEventsPerBatch} events, not ${list.length} (TAGPLAN_COLLECTOR_MAX_EVENTS): send them in several requests`,
      );
    }
    return { sentTs: sentTs as number, events: list };
  }

  /** Splits the batch into enriched records and bad rows; throws (nothing written) only for what cannot be written at all. */
  private check(
    catalog: CompiledCatalog,
    environment: CompiledEnvironment,
    events: unknown[],
    sentTs: number,
    receivedTs: number,
    queryCtx: QueryContext,
    mayBeOversized: boolean,
  ): CheckedBatch {
    const { hasher, collectorVersion, limits } = this.options;
    const skew = receivedTs - sentTs;
    const checked: CheckedBatch = {
      records: [],
      recordsAreAscii: false,
      recordPins: [],
      recordIds: new Uint32Array(events.length * 4),
      badRows: [],
      badIds: new Uint32Array(events.length * 4),
      badIdIsUuid: [],
      badCounts: [],
      rejected: [],
    };
    const environmentName = environment.name;
    const reject = (index: number, event: unknown, reason: BadRowReason, errors: string[], raw: unknown = event) => {
      if (exceedsDepth(raw, limits.maxDepth)) {
        throw new IntakeError('too_deep', `events[${index}] nests deeper than ${limits.maxDepth} levels (TAGPLAN_COLLECTOR_MAX_DEPTH)`);
      }
      const fields = isObject(event) ? event : {};
      const name = typeof fields['event_name'] === 'string' ? fields['event_name'] : null;
      const version = Number.isSafeInteger(fields['event_version']) ? (fields['event_version'] as number) : null;
      const id = typeof fields['event_id'] === 'string' ? fields['event_id'] : null;
      // event_id first: a restarted collector finds ids in the files without parsing whole lines.
      const row: BadRow = { event_id: id, reason, errors, environment: environmentName, event_name: name, event_version: version, received_ts: receivedTs, raw };
      checked.badIdIsUuid.push(id !== null && uuidWords(id, checked.badIds, checked.badRows.length * 4));
      checked.badRows.push(row);
      const knownName = name !== null && catalog.knowsEvent(name) ? name : undefined;
      const knownVersion = knownName !== undefined && version !== null && catalog.knowsEventVersion(knownName, version) ? version : undefined;
      checked.badCounts.push({ count: this.options.metrics.counts.entry(environmentName, knownName, knownVersion), reason });
      checked.rejected.push({ index, event_name: name, reason, errors });
    };
    let lastLangpackVersion: unknown;
    let lastEnvironmentVersion: number | undefined;
    for (let index = 0; index < events.length; index++) {
      const event = events[index];
      if (!isObject(event)) {
        reject(index, event, 'invalid_event', [`the event must be a JSON object, not ${describe(event)}`]);
        continue;
      }
      if (mayBeOversized) {
        const size = jsonSize(event, index, limits.maxDepth);
        if (size > limits.maxEventBytes) {
          const preview = { truncated_json: JSON.stringify(event).slice(0, OVERSIZED_PREVIEW_CHARS), size_bytes: size };
          reject(index, event, 'invalid_event', [`the event is ${size} bytes of JSON, more than the limit of ${limits.maxEventBytes} (TAGPLAN_COLLECTOR_MAX_EVENT_BYTES)`], preview);
          continue;
        }
      }
      const id = event['event_id'];
      const name = event['event_name'];
      const version = event['event_version'];
      const created = event['created_ts'];
      const data = event['data'];
      const stack = event['stack_ctx'];
      if (
        typeof id !== 'string' ||
        // Read into the words of the record this event becomes, for de-duplication.
        !uuidWords(id, checked.recordIds, checked.records.length * 4) ||
        typeof name !== 'string' ||
        !Number.isSafeInteger(version) ||
        (version as number) < 1 ||
        !isTimestamp(created) ||
        !isObject(data) ||
        (stack !== undefined && !isFlatObject(stack))
      ) {
        reject(index, event, 'invalid_event', shapeErrors(event));
        continue;
      }
      const pinned = environment.events.get(name)?.get(version as number);
      if (!pinned) {
        const reason = catalog.notAllowedReason(name, version as number);
        reject(index, event, reason, [notAllowedMessage(reason, name, version as number, environment)]);
        continue;
      }
      const langpackVersion = stack === undefined ? undefined : (stack as Record<string, unknown>)['langpack_version'];
      if (langpackVersion !== lastLangpackVersion) {
        lastLangpackVersion = langpackVersion;
        const match = typeof langpackVersion === 'string' ? LANGPACK_VERSION.exec(langpackVersion) : null;
        lastEnvironmentVersion = match ? Number(match[1]) : undefined;
      }
      let valid: boolean;
      let resolved;
      try {
        resolved = pinned.resolve(lastEnvironmentVersion);
        valid = resolved.validate(data) as boolean;
      } catch (error) {
        if (error instanceof RangeError) throw new IntakeError('too_deep', `events[${index}] nests too deep to be checked`);
        reject(index, event, 'invalid_data', [`the collector cannot check ${name}@${String(version)}: ${(error as Error).message}`]);
        continue;
      }
      if (!valid) {
        reject(
          index,
          event,
          'invalid_data',
          (resolved.validate.errors ?? []).map((error) => toViolation(error).message),
        );
        continue;
      }
      // The parsed event is ours alone: enrich it in place rather than copy it.
      if (resolved.hasPii) {
        for (const field of resolved.hashFields) {
          const value = data[field];
          if (value !== undefined) data[field] = hasher.hashValue(value);
        }
        for (const field of resolved.dropFields) delete data[field];
      }
      let stackCtx: EnrichedRecord['stack_ctx'];
      if (stack === undefined) stackCtx = { collector_version: collectorVersion };
      else {
        stackCtx = stack as EnrichedRecord['stack_ctx'];
        stackCtx.collector_version = collectorVersion;
      }
      checked.records.push({
        event_id: id,
        environment: environmentName,
        event_name: name,
        event_version: version as number,
        created_ts: created as number,
        sent_ts: sentTs,
        received_ts: receivedTs,
        ts: (created as number) + skew,
        data,
        stack_ctx: stackCtx,
        query_ctx: queryCtx,
      });
      checked.recordPins.push(pinned);
    }
    return checked;
  }

  /**
   * Hands what is not a duplicate to every sink it is routed to. The promise settles once
   * all of it is durable: the acknowledgement promises exactly that (DESIGN §3).
   */
  private dispatch(environment: CompiledEnvironment, checked: CheckedBatch, receivedTs: number): Promise<number> {
    const { dedup, metrics } = this.options;
    dedup.prune(receivedTs);
    let settle!: { resolve: () => void; reject: (error: unknown) => void };
    const ours = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // Requests that wait for this one see its failure; nobody else must.
    ours.catch(() => undefined);
    const routed = this.route(environment, checked, receivedTs, ours);
    const own = [...routed.batches].map(([sink, batch]) => this.timedWrite(sink, batch));
    // From here on only what the answer and the settling need is kept, not the batch: the
    // records of requests waiting for their commit then cost the garbage collector nothing.
    const { claims, waits, acceptedCounts, badCounts, duplicates } = routed;
    const { recordIds, badIds } = checked;
    return Promise.allSettled([...own, ...waits]).then((results) => {
      let ownFailure: PromiseRejectedResult | undefined;
      claims.forEach((sinkClaims, index) => {
        const result = results[index] as PromiseSettledResult<void>;
        if (result.status === 'rejected') ownFailure ??= result;
        sinkClaims.settle(recordIds, badIds, result.status === 'fulfilled', receivedTs);
      });
      if (ownFailure) {
        // What the other sinks wrote stays written, and remembered: the sender's retry goes only where it failed.
        settle.reject(ownFailure.reason);
        throw unavailable(ownFailure.reason);
      }
      settle.resolve();
      for (const count of acceptedCounts) count.accepted++;
      for (const { count, reason } of badCounts) count.addBad(reason);
      metrics.duplicates(environment.name, duplicates);
      const waitFailure = results.slice(own.length).find((result): result is PromiseRejectedResult => result.status === 'rejected');
      // A duplicate another request was writing did not make it: the sender must retry (and this time it is written).
      if (waitFailure) throw unavailable(waitFailure.reason);
      return duplicates;
    });
  }

  /**
   * Claims each record's and bad row's event_id in the window of each sink it goes to: what
   * a sink wrote within the window is not written there again, and what another request is
   * writing there right now is waited for rather than written twice.
   */
  private route(environment: CompiledEnvironment, checked: CheckedBatch, receivedTs: number, ours: Promise<void>): RoutedBatch {
    const routed: RoutedBatch = { batches: new Map(), claims: [], waits: new Set(), acceptedCounts: [], badCounts: [], duplicates: 0 };
    const bySink = new Map<Sink, { batch: SinkBatch; claims: SinkClaims }>();
    const forSink = (sink: Sink) => {
      let entry = bySink.get(sink);
      if (!entry) {
        entry = { batch: { records: [], badRows: [], recordsAreAscii: checked.recordsAreAscii }, claims: new SinkClaims(this.options.dedup.of(sink.name)) };
        bySink.set(sink, entry);
      }
      return entry;
    };
    const claim = (claims: SinkClaims, words: Uint32Array, index: number, kind: DedupKind): boolean => {
      const result = claims.window.claim(words, index * 4, kind, receivedTs, ours);
      if (result >= 0) {
        (kind === 'record' ? claims.records : claims.badRows).push(index, result);
        return true;
      }
      if (result === CLAIM_UNTRACKED) return true;
      if (result !== CLAIM_WRITTEN) {
        const pending = claims.window.pendingWrite(kind, result);
        if (pending !== undefined && pending !== ours) routed.waits.add(pending);
      }
      return false;
    };
    checked.records.forEach((record, index) => {
      const pinned = checked.recordPins[index] as PinnedEvent;
      let fresh = false;
      for (const sink of pinned.sinks) {
        const entry = forSink(sink);
        if (!claim(entry.claims, checked.recordIds, index, 'record')) continue;
        entry.batch.records.push(record);
        fresh = true;
      }
      if (fresh) routed.acceptedCounts.push(pinned.counts);
      else routed.duplicates++;
    });
    checked.badRows.forEach((row, index) => {
      let fresh = false;
      for (const sink of environment.badRowSinks) {
        const entry = forSink(sink);
        // Only UUIDs are de-duplicated: a bad row without one is written each time it comes.
        if (checked.badIdIsUuid[index] && !claim(entry.claims, checked.badIds, index, 'bad_row')) continue;
        entry.batch.badRows.push(row);
        fresh = true;
      }
      if (fresh) routed.badCounts.push(checked.badCounts[index] as CheckedBatch['badCounts'][number]);
      else routed.duplicates++;
    });
    for (const [sink, { batch, claims }] of bySink) {
      // A sink that has all of it already gets no write at all.
      if (batch.records.length + batch.badRows.length === 0) continue;
      routed.batches.set(sink, batch);
      routed.claims.push(claims);
    }
    return routed;
  }

  private timedWrite(sink: Sink, batch: SinkBatch): Promise<void> {
    const started = process.hrtime.bigint();
    const observe = (ok: boolean) => this.options.metrics.sinkWrite(sink.name, Number(process.hrtime.bigint() - started) / 1e9, ok);
    let written: Promise<void>;
    try {
      written = sink.write(batch);
    } catch (error) {
      written = Promise.reject(error);
    }
    return written.then(
      () => observe(true),
      (error: unknown) => {
        observe(false);
        throw error;
      },
    );
  }

  private ipHash(headers: IncomingHttpHeaders, remoteAddress: string | undefined): string | null {
    let ip = remoteAddress;
    if (this.options.trustProxy) {
      const forwarded = single(headers['x-forwarded-for']);
      const first = forwarded?.split(',')[0]?.trim();
      if (first) ip = first;
    }
    if (!ip) return null;
    // The same client over IPv4 and IPv4-mapped IPv6 must hash the same.
    if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
    return this.options.hasher.hash(ip);
  }
}

interface CheckedBatch {
  records: EnrichedRecord[];
  /** See SinkBatch.recordsAreAscii. */
  recordsAreAscii: boolean;
  /** The allowed event version of each record (its routes and counts). */
  recordPins: PinnedEvent[];
  /** Each record's event_id as four words (record i at 4 i), read once while checking. */
  recordIds: Uint32Array;
  badRows: BadRow[];
  badIds: Uint32Array;
  /** Whether a bad row's event_id is a UUID (only those are de-duplicated). */
  badIdIsUuid: boolean[];
  badCounts: { count: EventCount; reason: BadRowReason }[];
  rejected: RejectedEvent[];
}

/** A request's batches per sink and what settling them needs. */
interface RoutedBatch {
  batches: Map<Sink, SinkBatch>;
  /** One per sink of `batches`, in the same order. */
  claims: SinkClaims[];
  /** Writes of the same ids by other requests, still under way. */
  waits: Set<Promise<void>>;
  acceptedCounts: EventCount[];
  badCounts: CheckedBatch['badCounts'];
  duplicates: number;
}

/** The ids one request claimed in one sink's window: settled written or failed with that sink's write. */
class SinkClaims {
  /** Pairs of (record index, claimed entry). */
  readonly records: number[] = [];
  /** Pairs of (bad row index, claimed entry). */
  readonly badRows: number[] = [];

  constructor(readonly window: DedupWindow) {}

  settle(recordIds: Uint32Array, badIds: Uint32Array, ok: boolean, at: number): void {
    for (let pair = 0; pair < this.records.length; pair += 2) this.window.settle(recordIds, (this.records[pair] as number) * 4, 'record', this.records[pair + 1] as number, ok, at);
    for (let pair = 0; pair < this.badRows.length; pair += 2) this.window.settle(badIds, (this.badRows[pair] as number) * 4, 'bad_row', this.badRows[pair + 1] as number, ok, at);
  }
}

function overloaded(why: string): IntakeError {
  return new IntakeError('overloaded', `the collector is overloaded (${why}): nothing was acknowledged, send again after Retry-After`, OVERLOADED_RETRY_AFTER_SECONDS);
}

function unavailable(error: unknown): IntakeError {
  const retryAfter = error instanceof SinkUnavailableError ? error.retryAfterSeconds : 2;
  return new IntakeError('sink_unavailable', `nothing was acknowledged: ${error instanceof Error ? error.message : String(error)}`, retryAfter);
}

function authenticate(catalog: CompiledCatalog, header: string | undefined): { environment: CompiledEnvironment; keyId: string } {
  if (header === undefined || header === '') throw new IntakeError('missing_write_key', "send the environment's write key as Authorization: Bearer <key>");
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match) throw new IntakeError('missing_write_key', 'the Authorization header must be "Bearer <write key>"');
  const result = catalog.authenticate(match[1] as string);
  if (!result.ok) {
    throw new IntakeError(result.code, result.code === 'revoked_write_key' ? 'this write key has been revoked: use a current key of the environment' : 'this write key is not known to the collector');
  }
  return result;
}

function checkContentType(header: string | undefined): void {
  if (header === undefined) return;
  const type = header.split(';')[0]?.trim().toLowerCase();
  // text/plain is what navigator.sendBeacon sends from a browser without a CORS preflight.
  if (type === 'application/json' || type === 'text/plain' || type === '') return;
  throw new IntakeError('unsupported_content_type', `Content-Type ${JSON.stringify(header)} is not supported: send application/json`);
}

function shapeErrors(event: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const id = event['event_id'];
  if (typeof id !== 'string' || !isUuid(id)) errors.push(`event_id must be a UUID, not ${describe(id)}`);
  if (typeof event['event_name'] !== 'string') errors.push(`event_name must be a string, not ${describe(event['event_name'])}`);
  const version = event['event_version'];
  if (!Number.isSafeInteger(version) || (version as number) < 1) errors.push(`event_version must be a positive integer, not ${describe(version)}`);
  if (!isTimestamp(event['created_ts'])) errors.push(`created_ts must be milliseconds since the epoch, not ${describe(event['created_ts'])}`);
  if (!isObject(event['data'])) errors.push(`data must be an object, not ${describe(event['data'])}`);
  const stack = event['stack_ctx'];
  if (stack !== undefined && !isFlatObject(stack)) errors.push('stack_ctx must be an object of strings, numbers, booleans or nulls');
  return errors;
}

function notAllowedMessage(reason: string, name: string, version: number, environment: CompiledEnvironment): string {
  if (reason === 'unknown_event') return `there is no event named ${JSON.stringify(name.slice(0, 100))} in the catalog`;
  if (reason === 'unknown_version') return `event ${name} has no version ${version}`;
  const allowed = [...(environment.events.get(name)?.keys() ?? [])].sort((a, b) => a - b);
  return allowed.length > 0
    ? `${name}@${version} is not allowed from ${environment.name} (allowed: version ${allowed.join(', ')})`
    : `${name} is not sent from ${environment.name}: no version of the environment pins it`;
}

function jsonSize(event: Record<string, unknown>, index: number, maxDepth: number): number {
  try {
    return Buffer.byteLength(JSON.stringify(event), 'utf8');
  } catch {
    throw new IntakeError('too_deep', `events[${index}] nests deeper than ${maxDepth} levels (TAGPLAN_COLLECTOR_MAX_DEPTH)`);
  }
}

/** Without recursion: a deep value must not take the stack with it. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: [object, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [object, number];
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child as object, depth + 1]);
    }
  }
  return false;
}

function isAsciiText(value: string | null): boolean {
  return value === null || !NON_ASCII.test(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFlatObject(value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const key in value) {
    const item = value[key];
    if (item !== null && typeof item === 'object') return false;
  }
  return true;
}

function isTimestamp(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function userAgent(value: string | undefined): string | null {
  if (value === undefined) return null;
  return value.length > MAX_USER_AGENT ? value.slice(0, MAX_USER_AGENT) : value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
