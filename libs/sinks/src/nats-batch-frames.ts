import { MSG_ID_HEADER } from './nats-ack-router';

/** What a batch publishes, in order: subjects and ids checked (nats-subjects.ts), JSON made. */
export interface OutgoingMessages {
  subjects: string[];
  /** Nats-Msg-Id of each message: printable ASCII without spaces. */
  ids: string[];
  /** The JSON of each message. */
  payloads: string[];
}

/**
 * The messages of one write as the bytes of their NATS protocol frames,
 *
 *   HPUB <subject> <reply> <header bytes> <total bytes>\r\n
 *   NATS/1.0\r\nNats-Msg-Id: <id>\r\n\r\n<JSON>\r\n
 *
 * byte for byte what nats.js writes for `nc.publish(subject, json, { reply, headers })`
 * with a Nats-Msg-Id header (a spec compares them), but made once per batch: nats.js
 * builds a MsgHdrs map, its text and three encoded buffers per message and then copies
 * them all into one buffer again, which in a profile of the sink cost more than the JSON.
 *
 * It keeps the bytes and not the JSON strings: a batch waits a while for its acks, and
 * strings kept that long outlive the young generation and make the collector's old one grow.
 */
export class NatsBatchFrames {
  private constructor(
    /** This batch's token in its reply subjects. */
    readonly batch: string,
    /** Message i replies to `<replyPrefix><i>`. */
    readonly replyPrefix: string,
    readonly subjects: readonly string[],
    readonly ids: readonly string[],
    readonly bytes: Buffer,
    /** Where the frame of message i ends in `bytes` (it starts where message i - 1 ends). */
    private readonly ends: readonly number[],
    /** Where the JSON of message i starts in `bytes`. */
    private readonly payloadStarts: readonly number[],
    /** The largest message, header block and JSON, in bytes: what the server's max_payload bounds. */
    readonly largest: { index: number; bytes: number },
  ) {}

  /**
   * Message i asks for its JetStream ack on `<inbox><batch>.<i>` (`inbox` ends with a dot).
   * `knownAscii`: the caller knows every string to be ASCII (SinkBatch.recordsAreAscii), which
   * spares a scan of the whole batch.
   */
  static encode(messages: OutgoingMessages, inbox: string, batch: string, knownAscii = false): NatsBatchFrames {
    const { subjects, ids, payloads } = messages;
    const replyPrefix = `${inbox}${batch}.`;
    const ends = new Array<number>(ids.length);
    const payloadStarts = new Array<number>(ids.length);
    const largest = { index: 0, bytes: 0 };
    // One string for the batch, copied once into bytes. While every character is ASCII (the
    // JSON of almost every event), string lengths are byte lengths and latin1 bytes are
    // UTF-8 bytes; copying latin1 is several times faster than encoding UTF-8.
    let text = '';
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index] as string;
      const payload = payloads[index] as string;
      text += framePrefix(subjects[index] as string, replyPrefix + index, id, payload.length);
      payloadStarts[index] = text.length;
      text += payload + '\r\n';
      ends[index] = text.length;
      const bytes = MSG_ID_HEADER_BYTES + id.length + payload.length;
      if (bytes > largest.bytes) {
        largest.index = index;
        largest.bytes = bytes;
      }
    }
    // Any other character takes more bytes in UTF-8 than units in UTF-16.
    if (!knownAscii && Buffer.byteLength(text) !== text.length) return NatsBatchFrames.encodeEach(messages, batch, replyPrefix);
    return new NatsBatchFrames(batch, replyPrefix, subjects, ids, Buffer.from(text, 'latin1'), ends, payloadStarts, largest);
  }

  /** Some text is not ASCII: each message framed on its own, with its JSON's UTF-8 length. */
  private static encodeEach(messages: OutgoingMessages, batch: string, replyPrefix: string): NatsBatchFrames {
    const { subjects, ids, payloads } = messages;
    const parts: Buffer[] = [];
    const ends: number[] = [];
    const payloadStarts: number[] = [];
    const largest = { index: 0, bytes: 0 };
    let end = 0;
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index] as string;
      const payload = Buffer.from(payloads[index] as string);
      const prefix = Buffer.from(framePrefix(subjects[index] as string, replyPrefix + index, id, payload.length));
      parts.push(prefix, payload, CRLF);
      payloadStarts.push(end + prefix.length);
      end += prefix.length + payload.length + CRLF.length;
      ends.push(end);
      const bytes = MSG_ID_HEADER_BYTES + id.length + payload.length;
      if (bytes > largest.bytes) {
        largest.index = index;
        largest.bytes = bytes;
      }
    }
    return new NatsBatchFrames(batch, replyPrefix, subjects, ids, Buffer.concat(parts, end), ends, payloadStarts, largest);
  }

  get count(): number {
    return this.ends.length;
  }

  /** The frames of messages [from, to), to be written as they are. */
  frames(from: number, to: number): Buffer {
    return this.bytes.subarray(from === 0 ? 0 : (this.ends[from - 1] as number), this.ends[to - 1] as number);
  }

  /** The JSON of message i, in UTF-8. */
  payload(index: number): Buffer {
    return this.bytes.subarray(this.payloadStarts[index] as number, (this.ends[index] as number) - CRLF.length);
  }
}

/** "NATS/1.0\r\n" + "Nats-Msg-Id: " + "\r\n\r\n": the header block without the id. */
export const MSG_ID_HEADER_BYTES = 'NATS/1.0\r\n'.length + `${MSG_ID_HEADER}: `.length + '\r\n\r\n'.length;

const CRLF = Buffer.from('\r\n');

/** A message's frame up to its JSON. */
function framePrefix(subject: string, reply: string, id: string, payloadBytes: number): string {
  const headerBytes = MSG_ID_HEADER_BYTES + id.length;
  return `HPUB ${subject} ${reply} ${headerBytes} ${headerBytes + payloadBytes}\r\nNATS/1.0\r\n${MSG_ID_HEADER}: ${id}\r\n\r\n`;
}
