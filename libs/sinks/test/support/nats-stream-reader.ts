import { connect, type ConnectionOptions, type NatsConnection } from 'nats';

/** A message as JetStream stored it, read back with a consumer (for assertions). */
export interface StoredNatsMessage {
  seq: number;
  subject: string;
  /** The Nats-Msg-Id header JetStream de-duplicated by. */
  msgId: string | undefined;
  json: any;
}

/**
 * Reads every message of a stream with an ordered JetStream consumer, on a connection of
 * its own (so what the sink under test does with its connection cannot help it).
 */
export async function readStream(url: string, stream: string, options: ConnectionOptions = {}): Promise<StoredNatsMessage[]> {
  const nc = await connect({ ...options, servers: url, reconnect: false });
  try {
    return await readWith(nc, stream);
  } finally {
    await nc.close();
  }
}

async function readWith(nc: NatsConnection, stream: string): Promise<StoredNatsMessage[]> {
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  const messages: StoredNatsMessage[] = [];
  if (state.messages === 0) return messages;
  const consumer = await nc.jetstream().consumers.get(stream);
  // An ordered consumer delivers in stream order: read up to the last sequence known now.
  let last = 0;
  while (last < state.last_seq) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 2_000 });
    let got = 0;
    for await (const message of batch) {
      got += 1;
      last = message.seq;
      messages.push({ seq: message.seq, subject: message.subject, msgId: message.headers?.get('Nats-Msg-Id') || undefined, json: message.json() });
      if (last >= state.last_seq) break;
    }
    if (got === 0) break;
  }
  if (messages.length !== state.messages) {
    throw new Error(`read ${messages.length} messages of stream ${stream}, which holds ${state.messages}`);
  }
  return messages;
}

/** How many messages the stream holds (stream info, no consumer). */
export async function streamMessageCount(url: string, stream: string, options: ConnectionOptions = {}): Promise<number> {
  const nc = await connect({ ...options, servers: url, reconnect: false });
  try {
    const jsm = await nc.jetstreamManager();
    return (await jsm.streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}
