import { headers, type Msg } from 'nats';
import { PlainAckReader } from './nats-ack-router';

/** The fast reading of JetStream acks: what it takes, and everything it must leave to JSON.parse. */
function ack(text: string, withHeaders = false): Msg {
  return { data: Buffer.from(text), headers: withHeaders ? headers(503, 'No Responders') : undefined } as unknown as Msg;
}

describe('PlainAckReader', () => {
  const reader = new PlainAckReader('TAGPLAN');

  it.each([
    ['nats-server 2.9', '{"stream":"TAGPLAN", "seq":42}', 42, false],
    ['a duplicate, nats-server 2.9', '{"stream":"TAGPLAN", "seq":42,"duplicate": true}', 42, true],
    ['compact JSON', '{"stream":"TAGPLAN","seq":7,"duplicate":true}', 7, true],
    ['JSON with spaces everywhere', ' { "stream" : "TAGPLAN" , "seq" : 123456789012345 } \n', 123456789012345, false],
  ])('reads an ack of %s', (_, text, seq, duplicate) => {
    expect(reader.read(ack(text))).toEqual({ ok: true, stream: 'TAGPLAN', seq, duplicate });
  });

  it.each([
    ['an error', '{"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"}}'],
    ['an error after the stream', '{"stream":"TAGPLAN", "seq":0,"error":{"code":400,"description":"bad"}}'],
    ['another stream', '{"stream":"OTHER", "seq":1}'],
    ['a stream whose name starts the same', '{"stream":"TAGPLAN2", "seq":1}'],
    ['a domain', '{"stream":"TAGPLAN", "domain":"hub", "seq":1}'],
    ['no sequence', '{"stream":"TAGPLAN", "seq":}'],
    ['a sequence past 15 digits', '{"stream":"TAGPLAN", "seq":1234567890123456}'],
    ['a negative sequence', '{"stream":"TAGPLAN", "seq":-1}'],
    ['duplicate false', '{"stream":"TAGPLAN", "seq":1,"duplicate": false}'],
    ['anything after the object', '{"stream":"TAGPLAN", "seq":1}x'],
    ['a cut-off ack', '{"stream":"TAGPLAN", "seq":1'],
    ['nothing', ''],
  ])('leaves %s to JSON.parse', (_, text) => {
    expect(reader.read(ack(text))).toBeNull();
  });

  it('leaves a status message (503 no responders) to the full reading', () => {
    expect(reader.read(ack('', true))).toBeNull();
  });
});
