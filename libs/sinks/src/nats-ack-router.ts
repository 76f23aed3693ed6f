import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from 'nats';

/**
 * JetStream publishing without a request per message. nats.js's `js.publish` makes every
 * message a request of its own (a promise, a timer, a stack trace, an error object to
 * cancel it): in a profile of the sink that was most of its CPU. Here every message of a
 * connection is published with a reply subject under one inbox, and one subscription hands
 * each JetStream ack to the callback of its message; a batch keeps a single timer.
 */
export type AckOutcome =
  | { ok: true; stream: string; seq: number; duplicate: boolean }
  /** No stream captures the subject (or JetStream is not running): the server answered 503 "no responders". */
  | { ok: false; kind: 'no-responders'; message: string }
  /** JetStream refused the message (stream full, storage exhausted, ...). */
  | { ok: false; kind: 'refused'; message: string; errCode: number | undefined }
  | { ok: false; kind: 'bad-reply'; message: string };

export type AckCallback = (outcome: AckOutcome) => void;

export const MSG_ID_HEADER = 'Nats-Msg-Id';

export class JetStreamAckRouter {
  private readonly prefix: string;
  private readonly pending = new Map<string, AckCallback>();
  private counter = 0;
  private readonly subscription: Subscription;

  constructor(private readonly nc: NatsConnection) {
    this.prefix = `${createInbox()}.`;
    // nats.js subscribes again by itself after a reconnect.
    this.subscription = nc.subscribe(`${this.prefix}*`, {
      callback: (error, msg) => {
        if (!error) this.route(msg);
      },
    });
  }

  /** Acks awaited now. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Publishes one message; `onAck` is called once with its ack, unless forget() comes first. Returns its token. */
  publish(subject: string, data: Uint8Array, msgId: string, onAck: AckCallback): string {
    const token = (this.counter++).toString(36);
    const messageHeaders = headers();
    messageHeaders.set(MSG_ID_HEADER, msgId);
    this.pending.set(token, onAck);
    try {
      this.nc.publish(subject, data, { reply: this.prefix + token, headers: messageHeaders });
    } catch (error) {
      this.pending.delete(token);
      throw error;
    }
    return token;
  }

  /** Stops waiting for a message's ack; true when it was still awaited. */
  forget(token: string): boolean {
    return this.pending.delete(token);
  }

  close(): void {
    this.pending.clear();
    if (!this.nc.isClosed()) this.subscription.unsubscribe();
  }

  private route(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const onAck = this.pending.get(token);
    if (!onAck) return;
    this.pending.delete(token);
    onAck(parseAck(msg));
  }
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
