import { headers, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { NatsBatchFrames } from './nats-batch-frames';

/**
 * JetStream publishing without a request per message. nats.js's `js.publish` makes every
 * message a request of its own (a promise, a timer, a stack trace, an error object to
 * cancel it): in a profile of the sink that was most of its CPU. Here every message asks for
 * its ack on `<inbox>.<batch>.<index>`, one subscription per connection hands each ack to
 * the batch awaiting it (one map entry and one timer per batch, whatever its size), and a
 * batch's frames, made by NatsBatchFrames, go to nats.js's protocol writer in one piece.
 */
export type AckOutcome =
  | { ok: true; stream: string; seq: number; duplicate: boolean }
  /** No stream captures the subject (or JetStream is not running): the server answered 503 "no responders". */
  | { ok: false; kind: 'no-responders'; message: string }
  /** JetStream refused the message (stream full, storage exhausted, ...). */
  | { ok: false; kind: 'refused'; message: string; errCode: number | undefined }
  | { ok: false; kind: 'bad-reply'; message: string };

/** A batch awaiting acks: told the ack of each of its messages, by index, until it is closed. */
export interface AckTarget {
  acked(index: number, outcome: AckOutcome): void;
}

export const MSG_ID_HEADER = 'Nats-Msg-Id';

/** The part of nats.js's connection that writes protocol bytes (NatsConnectionImpl.protocol in nats 2.29). */
interface ProtocolWriter {
  sendCommand(cmd: string | Uint8Array, ...payloads: Uint8Array[]): void;
}

export class JetStreamAckRouter {
  private readonly batches = new Map<string, AckTarget>();
  private readonly subscription: Subscription;
  private readonly writer: ProtocolWriter | null;
  private readonly plainAck: PlainAckReader;

  /** `prefix`: an inbox and a dot; a batch's messages reply to `<prefix><batch>.<index>`. `stream`: the stream they go to. */
  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    stream: string,
  ) {
    this.writer = protocolWriter(nc);
    this.plainAck = new PlainAckReader(stream);
    // nats.js subscribes again by itself after a reconnect.
    this.subscription = nc.subscribe(`${this.prefix}>`, {
      callback: (error, msg) => {
        if (!error) this.route(msg);
      },
    });
  }

  /** Batches awaiting acks now. */
  get waiting(): number {
    return this.batches.size;
  }

  /** Starts handing the acks of the batch whose messages reply to `<prefix><batch>.<index>` to `target`. */
  open(batch: string, target: AckTarget): void {
    this.batches.set(batch, target);
  }

  /** Stops routing acks to a batch; true when it was still open. */
  close(batch: string): boolean {
    return this.batches.delete(batch);
  }

  /**
   * Publishes messages [from, to) of a batch. Their frames go as one piece to the protocol
   * writer, where nc.publish puts each message's pieces (and where they wait, as those
   * would, while nats.js reconnects). Should anything be amiss (a connection closed or
   * draining, a message over max_payload, a server without headers, a nats.js without that
   * writer), each message goes through nc.publish, which throws as it always did.
   */
  publish(frames: NatsBatchFrames, from: number, to: number): void {
    const { info } = this.nc;
    if (this.writer && info?.headers && frames.largest.bytes <= info.max_payload && !this.nc.isClosed() && !this.nc.isDraining()) {
      this.writer.sendCommand(frames.frames(from, to));
      return;
    }
    // nc.publish checks everything again, and throws what it throws.
    for (let index = from; index < to; index++) {
      const messageHeaders = headers();
      messageHeaders.set(MSG_ID_HEADER, frames.ids[index] as string);
      this.nc.publish(frames.subjects[index] as string, frames.payload(index), { reply: frames.replyPrefix + index, headers: messageHeaders });
    }
  }

  dispose(): void {
    this.batches.clear();
    if (!this.nc.isClosed()) this.subscription.unsubscribe();
  }

  private route(msg: Msg): void {
    const subject = msg.subject;
    const dot = subject.indexOf('.', this.prefix.length);
    if (dot < 0) return;
    const target = this.batches.get(subject.slice(this.prefix.length, dot));
    if (!target) return;
    target.acked(Number(subject.slice(dot + 1)), this.plainAck.read(msg) ?? parseAck(msg));
  }
}

/** nats.js's protocol writer (NatsConnectionImpl.protocol in nats 2.29; a spec checks it is there), else null. */
export function protocolWriter(nc: NatsConnection): ProtocolWriter | null {
  const protocol = (nc as { protocol?: Partial<ProtocolWriter> }).protocol;
  return typeof protocol?.sendCommand === 'function' ? (protocol as ProtocolWriter) : null;
}

/**
 * Reads the acks JetStream sends for almost every message, `{"stream":"<stream>", "seq":<n>}`
 * and `{"stream":"<stream>", "seq":<n>,"duplicate": true}` (whitespace as JSON allows), from
 * their bytes: no decoding, no JSON.parse, no object per field. Anything else, an error
 * above all, does not match and is left to parseAck.
 */
export class PlainAckReader {
  private readonly head: Uint8Array[];

  constructor(private readonly stream: string) {
    this.head = ['{', '"stream"', ':', JSON.stringify(stream), ',', '"seq"', ':'].map(ascii);
  }

  read(msg: Msg): AckOutcome | null {
    if (msg.headers) return null;
    const data = msg.data;
    let at = 0;
    for (const token of this.head) {
      at = matchToken(data, at, token);
      if (at < 0) return null;
    }
    at = skipSpaces(data, at);
    const digitsFrom = at;
    let seq = 0;
    for (; at < data.length; at++) {
      const digit = (data[at] as number) - DIGIT_0;
      if (digit < 0 || digit > 9) break;
      seq = seq * 10 + digit;
    }
    // Up to 15 digits: a safe integer.
    if (at === digitsFrom || at - digitsFrom > 15) return null;
    let duplicate = false;
    const closed = matchToken(data, at, CLOSE);
    if (closed >= 0) {
      at = closed;
    } else {
      for (const token of DUPLICATE_TRUE) {
        at = matchToken(data, at, token);
        if (at < 0) return null;
      }
      duplicate = true;
    }
    return skipSpaces(data, at) === data.length ? { ok: true, stream: this.stream, seq, duplicate } : null;
  }
}

const CLOSE = ascii('}');
const DUPLICATE_TRUE = [',', '"duplicate"', ':', 'true', '}'].map(ascii);
const DIGIT_0 = 0x30;

function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

/** After optional whitespace, `token` at `at`: the index after it, or -1. */
function matchToken(data: Uint8Array, at: number, token: Uint8Array): number {
  let from = skipSpaces(data, at);
  if (from + token.length > data.length) return -1;
  for (let index = 0; index < token.length; index++, from++) {
    if (data[from] !== token[index]) return -1;
  }
  return from;
}

function skipSpaces(data: Uint8Array, at: number): number {
  let index = at;
  for (; index < data.length; index++) {
    const byte = data[index];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) break;
  }
  return index;
}

function parseAck(msg: Msg): AckOutcome {
  if (msg.headers?.hasError) {
    const { code, description } = msg.headers;
    if (code === 503) return { ok: false, kind: 'no-responders', message: 'no responders' };
    return { ok: false, kind: 'refused', message: `${code} ${description}`.trim(), errCode: undefined };
  }
  let reply: { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: { err_code?: number; description?: string; code?: number } };
  try {
    reply = JSON.parse(msg.string()) as typeof reply;
  } catch {
    return { ok: false, kind: 'bad-reply', message: `unreadable JetStream ack: ${msg.string().slice(0, 200)}` };
  }
  if (reply.error) {
    const { description, err_code: errCode, code } = reply.error;
    return { ok: false, kind: 'refused', message: `${description ?? 'error'} (${errCode ?? code ?? '?'})`, errCode };
  }
  if (typeof reply.stream !== 'string' || reply.stream === '' || typeof reply.seq !== 'number') {
    return { ok: false, kind: 'bad-reply', message: `not a JetStream ack: ${msg.string().slice(0, 200)}` };
  }
  return { ok: true, stream: reply.stream, seq: reply.seq, duplicate: reply.duplicate === true };
}
