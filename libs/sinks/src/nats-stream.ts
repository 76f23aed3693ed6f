import { DiscardPolicy, NatsError, RetentionPolicy, StorageType, nanos, type JetStreamManager, type StreamInfo } from 'nats';

/**
 * The JetStream stream that holds what the NATS sink publishes. Created when missing;
 * reused as it is when present (an operator may have tuned it), as long as it captures
 * every subject the sink publishes to.
 *
 * A stream the sink creates (defaults of NatsSinkConfig):
 *   name TAGPLAN, subjects `tagplan.>`, file storage, 1 replica, retention by limits;
 *   duplicate_window 2 min: a Nats-Msg-Id seen within it is acknowledged again but not
 *     stored again, so a batch resent after a 503 is stored once;
 *   max_age 7 days: consumers must read within that (0: forever);
 *   max_bytes -1, max_msgs -1: the server's JetStream storage (max_file_store) bounds it;
 *   discard new: a full stream refuses new messages (the collector answers 503) rather
 *     than dropping old ones that were acknowledged;
 *   a message is at most the server's max_payload (1 MiB by default), checked before a
 *     batch is published.
 * Consumers read records with `tagplan.<environment>.>` or `tagplan.*.*.*` and bad rows
 * with `tagplan.bad.*` (a record subject has four tokens, a bad-row subject three).
 */
export interface NatsStreamSettings {
  name: string;
  subjectPrefix: string;
  /** JetStream drops a message whose Nats-Msg-Id it saw within this window. */
  duplicateWindowMs: number;
  /** Messages older than this are removed (0: kept until maxBytes). */
  maxAgeMs: number;
  /** Bytes the stream may hold (-1: no limit of its own, only the server's JetStream storage; see NatsSinkConfig.maxBytes). */
  maxBytes: number;
  replicas: number;
}

export type EnsureStreamResult = { created: boolean; info: StreamInfo };

/** JetStream's error codes (nats-server's errors.json) that the sink tells apart. */
export const JS_STREAM_NOT_FOUND = 10059;
export const JS_STREAM_NAME_IN_USE = 10058;

export function streamSubject(subjectPrefix: string): string {
  return `${subjectPrefix}.>`;
}

export async function ensureStream(jsm: JetStreamManager, settings: NatsStreamSettings): Promise<EnsureStreamResult> {
  const existing = await findStream(jsm, settings.name);
  if (existing) return { created: false, info: checkCaptures(existing, settings) };
  try {
    const info = await jsm.streams.add({
      name: settings.name,
      subjects: [streamSubject(settings.subjectPrefix)],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      // When the stream is full, refuse new messages (the collector answers 503 and the
      // sender retries) rather than silently evicting records already acknowledged.
      discard: DiscardPolicy.New,
      max_age: settings.maxAgeMs > 0 ? nanos(settings.maxAgeMs) : 0,
      max_bytes: settings.maxBytes,
      max_msgs: -1,
      duplicate_window: nanos(settings.duplicateWindowMs),
      num_replicas: settings.replicas,
      description: 'Tagplan collector: enriched records and bad rows',
    });
    return { created: true, info };
  } catch (error) {
    // Another collector created it between our lookup and our add: use theirs.
    if (apiErrorCode(error) === JS_STREAM_NAME_IN_USE) {
      const raced = await findStream(jsm, settings.name);
      if (raced) return { created: false, info: checkCaptures(raced, settings) };
    }
    throw error;
  }
}

async function findStream(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (apiErrorCode(error) === JS_STREAM_NOT_FOUND) return null;
    throw error;
  }
}

function checkCaptures(info: StreamInfo, settings: NatsStreamSettings): StreamInfo {
  const wanted = streamSubject(settings.subjectPrefix);
  const subjects = info.config.subjects ?? [];
  if (!subjects.includes(wanted) && !subjects.includes('>')) {
    throw new StreamMisconfiguredError(
      `stream ${settings.name} exists but does not capture ${wanted} (its subjects: ${subjects.join(', ') || 'none'}); add ${wanted} to it or configure another stream name`,
    );
  }
  return info;
}

/** The stream exists but cannot take the sink's subjects: an operator has to act, retrying will not help. */
export class StreamMisconfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamMisconfiguredError';
  }
}

export function apiErrorCode(error: unknown): number | undefined {
  return error instanceof NatsError ? error.api_error?.err_code : undefined;
}
