import { SinkUnavailableError, type Sink } from '@tagplan/collector';
import { NatsSink, natsSinkFactory, SinkConfigError, type SinkConfig } from '../src';
import { recordBatch } from './support/nats-fixtures';
import { startNatsServer, type TestNatsServer } from './support/nats-server';
import { readStream } from './support/nats-stream-reader';

/** `type: "nats"` in the collector's sink configuration, against a nats-server that wants a user and password. */
jest.setTimeout(60_000);

let server: TestNatsServer;
const sinks: Sink[] = [];
const warnings: string[] = [];
const context = { instanceId: 'test', dataDir: '/nonexistent', onWarning: (message: string) => warnings.push(message) };

async function create(config: { name: string } & Record<string, unknown>): Promise<Sink> {
  const sink = await natsSinkFactory({ ...config, type: 'nats' } as SinkConfig, context);
  sinks.push(sink);
  return sink;
}

beforeAll(async () => {
  server = await startNatsServer({ args: ['--user', 'collector', '--pass', 's3cret-pass'] });
});

afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await server?.destroy();
});

describe('natsSinkFactory', () => {
  it('builds a started NATS sink from snake_case options, with user and password', async () => {
    const sink = await create({
      name: 'broker',
      servers: `${server.url}, nats://127.0.0.1:1`,
      stream: 'FACTORY',
      subject_prefix: 'factory',
      user: 'collector',
      pass: 's3cret-pass',
      publish_timeout_ms: 4_000,
      retry_after_seconds: 5,
    });
    expect(sink).toBeInstanceOf(NatsSink);
    expect(sink.name).toBe('broker');
    await (sink as NatsSink).waitUntilReady(10_000);
    const batch = recordBatch(3);
    await sink.write(batch);
    const stored = await readStream(server.url, 'FACTORY', { user: 'collector', pass: 's3cret-pass' });
    expect(stored.map((message) => message.subject)).toEqual(Array(3).fill('factory.web-frontend.item_viewed.v2'));
    expect(warnings).toContain('nats sink broker: created JetStream stream FACTORY');
  });

  it('with wrong credentials the collector still starts: the sink is not ready and says why', async () => {
    const sink = await create({ name: 'wrong', servers: server.url, stream: 'WRONG', subject_prefix: 'wrong', user: 'collector', pass: 'nope' });
    const refusal = await (sink as NatsSink).waitUntilReady(1_500).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(SinkUnavailableError);
    expect((refusal as Error).message).toMatch(/not connected to NATS \(.*[Aa]uthorization/);
    await expect(sink.write(recordBatch(1))).rejects.toThrow(SinkUnavailableError);
    expect(warnings.some((warning) => /^nats sink wrong: cannot connect to NATS: .*[Aa]uthorization/.test(warning))).toBe(true);
  });

  it.each([
    [{ servers: 'nats://127.0.0.1:4222', colour: 'blue' }, /unknown option "colour" for a nats sink/],
    [{}, /servers must be a NATS URL/],
    [{ servers: [] }, /servers must be a NATS URL/],
    [{ servers: 'nats://127.0.0.1:4222', user: 'u' }, /user and pass go together/],
    [{ servers: 'nats://127.0.0.1:4222', token: 't', creds_file: '/x.creds' }, /one form of credentials/],
    [{ servers: 'nats://127.0.0.1:4222', max_in_flight: '10' }, /max_in_flight must be an integer/],
    [{ servers: 'nats://127.0.0.1:4222', publish_timeout_ms: 0 }, /publishTimeoutMs" must be a positive integer/],
    [{ servers: 'nats://127.0.0.1:4222', subject_prefix: 'a b' }, /invalid NATS subject prefix/],
  ] as [Record<string, unknown>, RegExp][])('refuses %j with a SinkConfigError naming the sink', async (options, message) => {
    const attempt = natsSinkFactory({ name: 'broker', type: 'nats', ...options }, context);
    await expect(attempt).rejects.toThrow(SinkConfigError);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toThrow(/^sink broker: /);
  });
});
