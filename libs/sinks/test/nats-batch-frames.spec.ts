import { connect, headers, type NatsConnection } from 'nats';
import { JetStreamAckRouter, PlainAckReader, protocolWriter, type AckOutcome } from '../src/nats-ack-router';
import { NatsBatchFrames, type OutgoingMessages } from '../src/nats-batch-frames';
import { startNatsServer, type TestNatsServer } from './support/nats-server';
import { readStream } from './support/nats-stream-reader';

/**
 * The sink's own publishing path against nats.js's: the frames it writes in one piece are
 * the bytes nc.publish would write message by message, and the acks come back to the right
 * batch and index whether the frames went to nats.js's protocol writer or through nc.publish.
 */
jest.setTimeout(60_000);

let server: TestNatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc?.close();
  await server?.destroy();
});

function messages(payloads: unknown[], subject = 'tagplan.web-frontend.item_viewed.v2'): OutgoingMessages {
  return {
    subjects: payloads.map(() => subject),
    ids: payloads.map((_, index) => `7d0f6a52-4f0b-4c53-9d1e-5b0c2a6e${String(1000 + index)}`),
    payloads: payloads.map((payload) => JSON.stringify(payload)),
  };
}

/** What nats.js writes for `nc.publish` of messages [from, to), taken from its protocol writer. */
function publishedByNatsJs(outgoing: OutgoingMessages, replyPrefix: string, from: number, to: number): Buffer {
  const writer = protocolWriter(nc);
  if (!writer) throw new Error('nats.js has no protocol writer');
  const written: Uint8Array[] = [];
  writer.sendCommand = (command, ...payloads) => {
    written.push(typeof command === 'string' ? Buffer.from(command) : command, ...payloads);
  };
  try {
    for (let index = from; index < to; index++) {
      const messageHeaders = headers();
      messageHeaders.set('Nats-Msg-Id', outgoing.ids[index] as string);
      nc.publish(outgoing.subjects[index] as string, outgoing.payloads[index], { reply: `${replyPrefix}${index}`, headers: messageHeaders });
    }
  } finally {
    // The instance property shadowed the prototype's method.
    delete (writer as Partial<typeof writer>).sendCommand;
  }
  return Buffer.concat(written);
}

describe('NatsBatchFrames', () => {
  it.each([
    ['ASCII JSON', [{ item_id: 1, page: 'https://shop.example/?q=shoes' }, { item_id: 2 }, { item_id: 3, note: 'a "quoted" \\ backslash' }], undefined],
    ['JSON that is not all ASCII', [{ item_id: 1 }, { city: 'Zürich', mood: '😀' }, { item_id: 3 }], undefined],
    ['a subject that is not ASCII', [{ item_id: 1 }, { item_id: 2 }], 'tagplan.bühne.item_viewed.v1'],
  ])('frames %s byte for byte as nats.js publishes it, whole and in windows', (_, payloads, subject) => {
    const outgoing = messages(payloads, subject);
    const frames = NatsBatchFrames.encode(outgoing, '_INBOX.TEST.', '1z');
    expect(frames.replyPrefix).toBe('_INBOX.TEST.1z.');
    expect(frames.frames(0, payloads.length).equals(publishedByNatsJs(outgoing, frames.replyPrefix, 0, payloads.length))).toBe(true);
    expect(frames.frames(1, 2).equals(publishedByNatsJs(outgoing, frames.replyPrefix, 1, 2))).toBe(true);
    expect(frames.frames(1, payloads.length).equals(publishedByNatsJs(outgoing, frames.replyPrefix, 1, payloads.length))).toBe(true);
    outgoing.payloads.forEach((payload, index) => expect(frames.payload(index).toString('utf8')).toBe(payload));
  });

  it('knows its largest message, header block included, in UTF-8 bytes', () => {
    const frames = NatsBatchFrames.encode(messages([{ a: 1 }, { city: 'Zürich'.repeat(10) }, { b: 2 }]), '_INBOX.TEST.', '0');
    const id = '7d0f6a52-4f0b-4c53-9d1e-5b0c2a6e1001';
    expect(frames.largest).toEqual({ index: 1, bytes: `NATS/1.0\r\nNats-Msg-Id: ${id}\r\n\r\n`.length + Buffer.byteLength(JSON.stringify({ city: 'Zürich'.repeat(10) })) });
  });
});

describe('JetStreamAckRouter', () => {
  /** nc without nats.js's protocol writer, as a nats.js that had none would be. */
  function withoutProtocolWriter(connection: NatsConnection): NatsConnection {
    return new Proxy(connection, {
      get: (target, key) => {
        if (key === 'protocol') return undefined;
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  it.each([
    ['in one piece through the protocol writer', (connection: NatsConnection) => connection, 'ROUTED'],
    ['message by message through nc.publish', withoutProtocolWriter, 'PUBLISHED'],
  ])('publishes a batch %s and hands every ack to its batch and index', async (_, wrap, stream) => {
    const prefix = stream.toLowerCase();
    await (await nc.jetstreamManager()).streams.add({ name: stream, subjects: [`${prefix}.>`] });
    const connection = wrap(nc);
    expect(protocolWriter(connection) === null).toBe(stream === 'PUBLISHED');
    const router = new JetStreamAckRouter(connection, '_INBOX.ROUTER.', stream);
    const payloads = [{ n: 0 }, { n: 1, city: 'Zürich' }, { n: 2 }];
    const outgoing = messages(payloads, `${prefix}.web-frontend.item_viewed.v2`);
    const acks = async (batch: string) => {
      const frames = NatsBatchFrames.encode(outgoing, '_INBOX.ROUTER.', batch);
      const outcomes: [number, AckOutcome][] = [];
      const all = new Promise<void>((resolve) => {
        router.open(batch, {
          acked: (index, outcome) => {
            outcomes.push([index, outcome]);
            if (outcomes.length === payloads.length) resolve();
          },
        });
      });
      router.publish(frames, 0, 1);
      router.publish(frames, 1, payloads.length);
      await all;
      router.close(batch);
      return outcomes.sort(([a], [b]) => a - b);
    };
    expect(await acks('a')).toEqual(payloads.map((_, index) => [index, { ok: true, stream, seq: index + 1, duplicate: false }]));
    // The same ids again: JetStream acknowledges them as duplicates and stores nothing more.
    expect(await acks('b')).toEqual(payloads.map((_, index) => [index, { ok: true, stream, seq: index + 1, duplicate: true }]));
    router.dispose();

    const stored = await readStream(server.url, stream);
    expect(stored.map(({ subject, msgId, json }) => ({ subject, msgId, json }))).toEqual(
      payloads.map((payload, index) => ({ subject: outgoing.subjects[index], msgId: outgoing.ids[index], json: payload })),
    );
  });

  it('reads the acks this nats-server sends without JSON.parse', async () => {
    await (await nc.jetstreamManager()).streams.add({ name: 'PLAIN', subjects: ['plain.>'] });
    const reader = new PlainAckReader('PLAIN');
    const send = async () => {
      const messageHeaders = headers();
      messageHeaders.set('Nats-Msg-Id', 'plain-1');
      return reader.read(await nc.request('plain.x', '{}', { headers: messageHeaders, timeout: 5_000 }));
    };
    expect(await send()).toEqual({ ok: true, stream: 'PLAIN', seq: 1, duplicate: false });
    expect(await send()).toEqual({ ok: true, stream: 'PLAIN', seq: 1, duplicate: true });
  });
});
