import { readFileSync } from 'node:fs';
import {
  connect,
  createInbox,
  credsAuthenticator,
  Events,
  NatsError,
  type ConnectionOptions,
  type NatsConnection,
} from 'nats';
import { SinkUnavailableError, type Sink, type SinkBatch } from '@tagplan/collector';
import { JetStreamAckRouter, type AckOutcome } from './nats-ack-router';
import { BatchAcks } from './nats-batch-acks';
import { NatsBatchFrames, type OutgoingMessages } from './nats-batch-frames';
import { InFlightLimiter } from './nats-in-flight-limiter';
import { RecordSerializer } from './record-json';
import { ensureStream, StreamMisconfiguredError, type NatsStreamSettings } from './nats-stream';
import { assertSubjectPrefix, badRowMessageIds, badRowSubject, recordMessageId, RecordSubjects } from './nats-subjects';

/**
 * The NATS JetStream sink (DESIGN §4): every enriched record goes to
 * `<prefix>.<environment>.<event_name>.v<event_version>`, every bad row to
 * `<prefix>.bad.<environment>`, as JSON, with `Nats-Msg-Id` set so that JetStream stores a
 * resent batch once. `write` publishes a whole batch pipelined and resolves only when
 * JetStream acknowledged every message of it; otherwise it rejects with
 * SinkUnavailableError and the collector answers 503.
 *
 * The connection reconnects forever: a nats-server that goes away makes writes fail fast
 * (and `ready()` throw) until it is back, then the sink carries on by itself, re-checking
 * its stream. Nothing is published while disconnected, so nothing piles up in memory.
 */
export interface NatsSinkConfig {
  /** The sink's name in the collector's configuration and in errors. Default "nats". */
  name?: string;
  /** One or more server URLs, e.g. "nats://127.0.0.1:4222". */
  servers: string | string[];
  /** JetStream stream name. Default "TAGPLAN". */
  stream?: string;
  /** First token(s) of every subject; the stream captures `<prefix>.>`. Default "tagplan". */
  subjectPrefix?: string;
  credentials?: NatsCredentials;
  /** How long one write may take, acks included, before it fails with 503. Default 5,000 ms. */
  publishTimeoutMs?: number;
  /** Messages published and not yet acknowledged, across all writes. Default 10,000. */
  maxInFlight?: number;
  /** JetStream de-duplication window (by Nats-Msg-Id), for a stream this sink creates. Default 2 min. */
  duplicateWindowMs?: number;
  /** Age at which JetStream removes a message, for a stream this sink creates (0: never). Default 7 days. */
  maxAgeMs?: number;
  /**
   * Size limit of a stream this sink creates, in bytes. Default -1: no limit of the stream's
   * own; the server's JetStream storage (max_file_store) bounds it, and when that is full the
   * server refuses new messages (503s here) and evicts nothing. Leave it at -1 on nats-server
   * 2.9 (Debian's): with max_bytes and discard "new" it can still evict messages it had
   * acknowledged when its size estimate is off (nats-server#4771, seen here with 2.9.10).
   */
  maxBytes?: number;
  /** Replicas of a stream this sink creates (needs a JetStream cluster when > 1). Default 1. */
  replicas?: number;
  /** Retry-After of the 503s this sink causes. Default 2 s. */
  retryAfterSeconds?: number;
  /** Time allowed for one TCP + NATS handshake. Default 5,000 ms. */
  connectTimeoutMs?: number;
  /** How the connection is named on the server (its monitoring shows it). Default "tagplan-collector". */
  connectionName?: string;
  /** Connection and stream events, for the collector's logs. Must not throw. */
  onEvent?: (event: NatsSinkEvent) => void;
}

export type NatsCredentials =
  /** A NATS .creds file (JWT + NKey seed); read again at each reconnect, so rotation works. */
  | { credsFile: string }
  | { user: string; pass: string }
  | { token: string };

export type NatsSinkEvent =
  | { type: 'connected' | 'disconnected' | 'reconnected'; server: string }
  | { type: 'stream-created' | 'stream-found'; stream: string }
  | { type: 'error'; message: string };

export interface NatsSinkState {
  connected: boolean;
  streamReady: boolean;
  inFlight: number;
  lastError: string | null;
}

type ResolvedConfig = Required<Omit<NatsSinkConfig, 'credentials' | 'onEvent' | 'servers'>> & {
  servers: string[];
  credentials: NatsCredentials | undefined;
  onEvent: (event: NatsSinkEvent) => void;
};

export const NATS_SINK_DEFAULTS = {
  name: 'nats',
  stream: 'TAGPLAN',
  subjectPrefix: 'tagplan',
  publishTimeoutMs: 5_000,
  maxInFlight: 10_000,
  duplicateWindowMs: 120_000,
  maxAgeMs: 7 * 24 * 3_600_000,
  maxBytes: -1,
  replicas: 1,
  retryAfterSeconds: 2,
  connectTimeoutMs: 5_000,
  connectionName: 'tagplan-collector',
} as const;

/** Between attempts at a new connection (the client's own reconnects use RECONNECT_WAIT_MS). */
const CONNECT_BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000];
const RECONNECT_WAIT_MS = 1_000;

/** A record that can never be published (larger than the server's max_payload): retrying will not help. */
export class NatsRecordTooLargeError extends Error {
  constructor(
    readonly sink: string,
    readonly bytes: number,
    readonly maxPayload: number,
    readonly messageId: string,
  ) {
    super(`sink ${sink}: message ${messageId} is ${bytes} bytes, more than the NATS server's max_payload of ${maxPayload}`);
    this.name = 'NatsRecordTooLargeError';
  }
}

export class NatsSink implements Sink {
  readonly name: string;
  private readonly config: ResolvedConfig;
  private readonly limiter: InFlightLimiter;
  /** Every message asks for its ack on `<inbox><batch>.<index>`, whichever connection carries it. */
  private readonly inbox = `${createInbox()}.`;
  /** Subjects start with the prefix: with it ASCII, a batch of ASCII records frames as ASCII. */
  private readonly prefixIsAscii: boolean;
  private batchCounter = 0;
  private nc: NatsConnection | null = null;
  private router: JetStreamAckRouter | null = null;
  private connected = false;
  private streamReady = false;
  /** Bumped at every connect and disconnect, so that late results of an older connection are ignored. */
  private generation = 0;
  private ensuring: { generation: number; done: Promise<void> } | null = null;
  private lastError: string | null = null;
  private running: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly writes = new Set<Promise<void>>();
  /** Fails the writes waiting for acks when the connection drops: their acks cannot come any more. */
  private readonly abortHooks = new Set<(error: SinkUnavailableError) => void>();

  constructor(config: NatsSinkConfig) {
    this.config = resolveConfig(config);
    this.name = this.config.name;
    this.prefixIsAscii = /^[\x00-\x7f]*$/.test(this.config.subjectPrefix);
    this.limiter = new InFlightLimiter(this.config.maxInFlight);
  }

  /** Starts connecting in the background (idempotent); write() and ready() call it too. */
  start(): void {
    if (this.running || this.closing) return;
    this.running = this.run();
  }

  get state(): NatsSinkState {
    return { connected: this.connected, streamReady: this.streamReady, inFlight: this.limiter.inFlight, lastError: this.lastError };
  }

  async ready(): Promise<void> {
    if (this.closing) throw this.unavailable('the sink is closed');
    this.start();
    if (!this.connected) throw this.unavailable(`not connected to NATS (${this.lastError ?? 'connecting'})`);
    await this.streamWithin(this.config.publishTimeoutMs);
  }

  /** Waits until ready() passes, for start-up and tests; rejects with the last reason after timeoutMs. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.ready();
      } catch (error) {
        if (this.closing || Date.now() >= deadline) throw error;
        await delay(Math.min(100, Math.max(1, deadline - Date.now())));
      }
    }
  }

  write(batch: SinkBatch): Promise<void> {
    const written = this.publishBatch(batch);
    this.writes.add(written);
    const forget = () => this.writes.delete(written);
    written.then(forget, forget);
    return written;
  }

  async close(): Promise<void> {
    if (!this.closing) this.closing = this.shutDown();
    return this.closing;
  }

  /**
   * Frames the batch at once, then publishFrames awaits the stream and the acks: a waiting
   * write holds the bytes it sends, not the records nor their JSON strings, which would
   * otherwise outlive the young generation and grow the collector's old one.
   */
  private publishBatch(batch: SinkBatch): Promise<void> {
    if (batch.records.length === 0 && batch.badRows.length === 0) return Promise.resolve();
    if (this.closing) return Promise.reject(this.unavailable('the sink is closed'));
    this.start();
    const deadline = Date.now() + this.config.publishTimeoutMs;
    const nc = this.nc;
    if (!this.connected || !nc) return Promise.reject(this.unavailable(`not connected to NATS (${this.lastError ?? 'connecting'})`));
    let frames: NatsBatchFrames;
    try {
      // Bad rows carry messages of their own: only a batch of ASCII records alone is known to be ASCII.
      const knownAscii = batch.recordsAreAscii === true && batch.badRows.length === 0 && this.prefixIsAscii;
      frames = NatsBatchFrames.encode(this.messages(batch), this.inbox, (this.batchCounter++).toString(36), knownAscii);
    } catch (error) {
      return Promise.reject(error);
    }
    // Checked before anything is published, so such a batch writes nothing at all.
    const maxPayload = nc.info?.max_payload;
    if (maxPayload !== undefined && frames.largest.bytes > maxPayload) {
      return Promise.reject(new NatsRecordTooLargeError(this.name, frames.largest.bytes, maxPayload, frames.ids[frames.largest.index] as string));
    }
    return this.publishFrames(frames, deadline);
  }

  private async publishFrames(frames: NatsBatchFrames, deadline: number): Promise<void> {
    await this.streamWithin(deadline - Date.now());
    const router = this.router;
    if (!router || !this.connected) throw this.unavailable('the connection to NATS was lost');

    const acks = new BatchAcks(router, this.limiter, frames, (outcome, msgId) => this.refusal(outcome, msgId));
    const abort = (error: SinkUnavailableError) => acks.fail(error);
    this.abortHooks.add(abort);
    const timer = setTimeout(
      () => acks.fail(this.unavailable(`no JetStream ack within ${this.config.publishTimeoutMs} ms`)),
      Math.max(1, deadline - Date.now()),
    );
    try {
      // Issue every publish before awaiting any ack: a batch costs about one round trip.
      // The messages that have in-flight slots go out together, in one write.
      while (acks.remaining > 0) {
        let slots = this.limiter.tryAcquireUpTo(acks.remaining);
        if (slots === 0) {
          await this.waitForSlot(deadline, acks.done);
          slots = 1 + this.limiter.tryAcquireUpTo(acks.remaining - 1);
        }
        if (acks.settled || !this.connected) {
          for (let slot = 0; slot < slots; slot++) this.limiter.release();
          acks.fail(this.unavailable('the connection to NATS was lost while publishing'));
          break;
        }
        acks.publishNext(slots);
      }
      acks.seal();
      await acks.done;
    } catch (error) {
      const unavailable = this.asUnavailable(error);
      acks.fail(unavailable);
      throw unavailable;
    } finally {
      clearTimeout(timer);
      this.abortHooks.delete(abort);
    }
  }

  private async waitForSlot(deadline: number, batchDone: Promise<void>): Promise<void> {
    const slot = this.limiter.acquire(deadline - Date.now(), () =>
      this.unavailable(`more than ${this.config.maxInFlight} messages awaited JetStream acks for ${this.config.publishTimeoutMs} ms`),
    );
    try {
      // The batch fails (timeout, lost connection) or a slot comes free, whichever is first.
      await Promise.race([slot, batchDone]);
    } catch (error) {
      // The write gives up; a slot granted later goes straight back.
      slot.then(
        () => this.limiter.release(),
        () => undefined,
      );
      throw error;
    }
  }

  /** A negative JetStream ack: nothing of it was stored, the sender must retry. */
  private refusal(outcome: Exclude<AckOutcome, { ok: true }>, msgId: string): SinkUnavailableError {
    if (outcome.kind === 'no-responders') {
      // The stream is gone or JetStream is still starting: check the stream again next time.
      this.streamReady = false;
      return this.unavailable(`no JetStream stream answered for ${this.config.subjectPrefix}.> (stream ${this.config.stream} missing, or JetStream starting)`);
    }
    return this.unavailable(`JetStream refused message ${msgId}: ${outcome.message}`);
  }

  private messages(batch: SinkBatch): OutgoingMessages {
    const subjects: string[] = [];
    const ids: string[] = [];
    const payloads: string[] = [];
    // The file sink's serializer: the same JSON as JSON.stringify, with what the records of
    // one request share (query_ctx, environment, times) serialised once.
    const serializer = new RecordSerializer();
    const recordSubjects = new RecordSubjects(this.config.subjectPrefix);
    for (const record of batch.records) {
      subjects.push(recordSubjects.of(record));
      ids.push(recordMessageId(record));
      payloads.push(serializer.json(record));
    }
    const badIds = badRowMessageIds(batch.badRows);
    batch.badRows.forEach((row, index) => {
      subjects.push(badRowSubject(this.config.subjectPrefix, row));
      ids.push(badIds[index] as string);
      payloads.push(JSON.stringify(row));
    });
    return { subjects, ids, payloads };
  }

  /** Makes sure the stream exists (once per connection), within timeoutMs. */
  private async streamWithin(timeoutMs: number): Promise<void> {
    if (this.streamReady) return;
    try {
      await withTimeout(this.ensureStreamOnce(), timeoutMs, () =>
        this.unavailable(`JetStream did not confirm stream ${this.config.stream} within ${timeoutMs} ms`),
      );
    } catch (error) {
      throw this.asUnavailable(error);
    }
  }

  private ensureStreamOnce(): Promise<void> {
    if (this.streamReady) return Promise.resolve();
    // A check begun on an older connection may hang until its timeout: start afresh.
    if (!this.ensuring || this.ensuring.generation !== this.generation) {
      const nc = this.nc;
      const generation = this.generation;
      if (!nc || !this.connected) return Promise.reject(this.unavailable('not connected to NATS'));
      const settings: NatsStreamSettings = {
        name: this.config.stream,
        subjectPrefix: this.config.subjectPrefix,
        duplicateWindowMs: this.config.duplicateWindowMs,
        maxAgeMs: this.config.maxAgeMs,
        maxBytes: this.config.maxBytes,
        replicas: this.config.replicas,
      };
      const attempt = (async () => {
        const jsm = await nc.jetstreamManager({ timeout: this.config.publishTimeoutMs });
        const { created } = await ensureStream(jsm, settings);
        if (generation !== this.generation) throw this.unavailable('the connection to NATS changed while checking the stream');
        this.streamReady = true;
        this.emit({ type: created ? 'stream-created' : 'stream-found', stream: settings.name });
      })();
      const done = attempt.then(
        () => {
          if (this.ensuring?.done === done) this.ensuring = null;
        },
        (error: unknown) => {
          if (this.ensuring?.done === done) this.ensuring = null;
          this.lastError = describe(error);
          throw error;
        },
      );
      this.ensuring = { generation, done };
    }
    return this.ensuring.done;
  }

  /** Connects, then lives on the client's own reconnects; a connection that closes anyway is replaced. */
  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closing) {
      let nc: NatsConnection;
      try {
        nc = await connect(this.connectionOptions());
      } catch (error) {
        this.lastError = describe(error);
        if (failures === 0) this.emit({ type: 'error', message: `cannot connect to NATS: ${this.lastError}` });
        await this.sleep(CONNECT_BACKOFF_MS[Math.min(failures, CONNECT_BACKOFF_MS.length - 1)] as number);
        failures += 1;
        continue;
      }
      failures = 0;
      if (this.closing) {
        await nc.close();
        return;
      }
      this.attach(nc);
      const closedWith = await nc.closed();
      this.detach('the connection to NATS closed');
      this.router?.dispose();
      this.router = null;
      if (this.closing) return;
      this.lastError = closedWith ? describe(closedWith) : 'the connection to NATS closed';
      this.emit({ type: 'error', message: `NATS connection closed: ${this.lastError}` });
      await this.sleep(RECONNECT_WAIT_MS);
    }
  }

  private attach(nc: NatsConnection): void {
    this.nc = nc;
    this.router = new JetStreamAckRouter(nc, this.inbox, this.config.stream);
    this.generation += 1;
    this.connected = true;
    this.streamReady = false;
    this.lastError = null;
    this.emit({ type: 'connected', server: nc.getServer() });
    void this.watch(nc);
    this.ensureStreamOnce().catch(() => undefined);
  }

  private detach(reason: string): void {
    this.generation += 1;
    this.connected = false;
    this.streamReady = false;
    const error = this.unavailable(reason);
    for (const abort of this.abortHooks) abort(error);
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (nc !== this.nc) return;
      switch (status.type) {
        case Events.Disconnect:
          this.lastError = `disconnected from ${String(status.data)}`;
          this.detach('the connection to NATS was lost before every ack arrived');
          this.emit({ type: 'disconnected', server: String(status.data) });
          break;
        case Events.Reconnect:
          this.generation += 1;
          this.connected = true;
          this.lastError = null;
          this.emit({ type: 'reconnected', server: String(status.data) });
          // The server may have come back without the stream (a new store): check again.
          this.ensureStreamOnce().catch(() => undefined);
          break;
        case Events.Error:
          this.lastError = describe(status.data);
          this.emit({ type: 'error', message: this.lastError });
          break;
        default:
          break;
      }
    }
  }

  private connectionOptions(): ConnectionOptions {
    const { servers, connectionName, connectTimeoutMs, credentials } = this.config;
    const options: ConnectionOptions = {
      servers,
      name: connectionName,
      timeout: connectTimeoutMs,
      // Never give up: the collector keeps answering 503 until the server is back.
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: RECONNECT_WAIT_MS,
      reconnectJitter: 200,
      // Notices a server that vanished without closing the socket within about 10 s.
      pingInterval: 5_000,
      maxPingOut: 2,
      // nats.js otherwise captures a stack trace for every request (the stream checks).
      noAsyncTraces: true,
    };
    if (credentials && 'credsFile' in credentials) {
      const file = credentials.credsFile;
      options.authenticator = credsAuthenticator(() => readFileSync(file));
    } else if (credentials && 'token' in credentials) {
      options.token = credentials.token;
    } else if (credentials) {
      options.user = credentials.user;
      options.pass = credentials.pass;
    }
    return options;
  }

  private async shutDown(): Promise<void> {
    this.wakeUp?.();
    // Writes under way get their acks (or their timeouts) before the connection goes.
    await Promise.allSettled([...this.writes]);
    const nc = this.nc;
    if (nc && !nc.isClosed()) {
      if (this.connected) {
        try {
          await withTimeout(nc.drain(), this.config.publishTimeoutMs, () => new Error('drain timed out'));
        } catch {
          await nc.close();
        }
      } else {
        await nc.close();
      }
    }
    await this.running;
    this.connected = false;
    this.streamReady = false;
  }

  private sleep(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Any failure of a write or a stream check, as the 503 the collector answers (oversized records aside). */
  private asUnavailable(error: unknown): Error {
    if (error instanceof SinkUnavailableError || error instanceof NatsRecordTooLargeError) return error;
    if (error instanceof StreamMisconfiguredError) return this.unavailable(error.message);
    if (error instanceof NatsError) {
      // The JetStream API itself did not answer: not enabled, or still starting after a restart.
      if (error.code === '503') return this.unavailable('JetStream is not available on the NATS server (no responders)');
      if (error.code === 'TIMEOUT') return this.unavailable(`the JetStream API did not answer within ${this.config.publishTimeoutMs} ms`);
      if (error.api_error) return this.unavailable(`JetStream: ${describe(error)}`);
      return this.unavailable(`NATS: ${error.message}`);
    }
    return this.unavailable(describe(error));
  }

  private unavailable(message: string): SinkUnavailableError {
    return new SinkUnavailableError(this.name, message, this.config.retryAfterSeconds);
  }

  private emit(event: NatsSinkEvent): void {
    try {
      this.config.onEvent(event);
    } catch {
      // A logger must never break the sink.
    }
  }
}

function resolveConfig(config: NatsSinkConfig): ResolvedConfig {
  const servers = Array.isArray(config.servers) ? config.servers : [config.servers];
  if (servers.length === 0 || servers.some((server) => typeof server !== 'string' || server.trim() === '')) {
    throw new Error('NATS sink: "servers" needs at least one server URL, e.g. nats://127.0.0.1:4222');
  }
  const resolved: ResolvedConfig = {
    ...NATS_SINK_DEFAULTS,
    ...definedOnly(config),
    servers,
    credentials: config.credentials,
    onEvent: config.onEvent ?? (() => undefined),
  };
  assertSubjectPrefix(resolved.subjectPrefix);
  if (!/^[^\s.*>/\\]+$/.test(resolved.stream)) {
    throw new Error(`NATS sink: invalid stream name "${resolved.stream}" (no spaces, ".", "*", ">", "/" or "\\")`);
  }
  const positive: (keyof ResolvedConfig)[] = ['publishTimeoutMs', 'maxInFlight', 'duplicateWindowMs', 'replicas', 'retryAfterSeconds', 'connectTimeoutMs'];
  for (const key of positive) {
    const value = resolved[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`NATS sink: "${key}" must be a positive integer, got ${String(value)}`);
    }
  }
  if (!Number.isInteger(resolved.maxAgeMs) || resolved.maxAgeMs < 0) throw new Error(`NATS sink: "maxAgeMs" must be 0 (no limit) or more`);
  if (!Number.isInteger(resolved.maxBytes) || (resolved.maxBytes < 1 && resolved.maxBytes !== -1)) {
    throw new Error(`NATS sink: "maxBytes" must be -1 (no limit) or a positive number of bytes`);
  }
  return resolved;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(1, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(error: unknown): string {
  if (error instanceof NatsError && error.api_error) return `${error.api_error.description} (${error.api_error.err_code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
