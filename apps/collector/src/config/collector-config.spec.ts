import path from 'node:path';
import { CollectorConfigError, loadCollectorConfig } from './collector-config';

const base = { TAGPLAN_REGISTRY_URL: 'http://127.0.0.1:4000', TAGPLAN_COLLECTOR_TOKEN: 'token-of-the-registry', TAGPLAN_COLLECTOR_PII_SECRET: 'sixteen-chars-at-least' };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadCollectorConfig({}, env);
  } catch (error) {
    if (error instanceof CollectorConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadCollectorConfig', () => {
  it('has safe defaults: loopback, a file sink under the data directory, the documented limits', () => {
    const config = loadCollectorConfig({}, { ...base, TAGPLAN_COLLECTOR_INSTANCE_ID: 'one' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4100,
      catalog: { kind: 'registry', registryUrl: 'http://127.0.0.1:4000', token: 'token-of-the-registry' },
      refreshMs: 2000,
      instanceId: 'one',
      dataDir: path.resolve('.tagplan/collector'),
      sinks: [{ name: 'file', type: 'file' }],
      defaultSinks: ['file'],
      limits: { maxBodyBytes: 5 * 1024 * 1024, maxInflatedBytes: 10 * 1024 * 1024, maxEventsPerBatch: 1000, maxEventBytes: 128 * 1024, maxDepth: 32, maxRequestsInFlight: 1024, maxBytesInFlight: 256 * 1024 * 1024 },
      dedup: { windowMs: 3_600_000, maxEntries: 1_000_000 },
      trustProxy: false,
      logLevel: 'info',
    });
  });

  it('reads every setting from the environment', () => {
    const config = loadCollectorConfig(
      {},
      {
        TAGPLAN_COLLECTOR_CATALOG_FILE: 'snapshot.json',
        TAGPLAN_COLLECTOR_WRITE_KEYS: 'web-frontend=tpw_0123456789abcdef, ios-app=tpw_fedcba9876543210',
        TAGPLAN_COLLECTOR_PII_SECRET: 'sixteen-chars-at-least',
        TAGPLAN_COLLECTOR_SINKS: '[{"name":"file","type":"file","dir":"/var/tagplan"},{"name":"bus","type":"nats","servers":"nats://127.0.0.1:4222"}]',
        TAGPLAN_COLLECTOR_DEFAULT_SINKS: 'file,bus',
        TAGPLAN_COLLECTOR_MAX_EVENTS: '500',
        TAGPLAN_COLLECTOR_MAX_EVENT_BYTES: '65_536',
        TAGPLAN_COLLECTOR_DEDUP_WINDOW_MS: '600000',
        TAGPLAN_COLLECTOR_TRUST_PROXY: 'true',
        TAGPLAN_COLLECTOR_LOG_LEVEL: 'debug',
      },
    );
    expect(config.catalog).toEqual({
      kind: 'file',
      file: path.resolve('snapshot.json'),
      writeKeys: [
        { environment: 'web-frontend', key: 'tpw_0123456789abcdef' },
        { environment: 'ios-app', key: 'tpw_fedcba9876543210' },
      ],
    });
    expect(config.sinks.map((sink) => sink.name)).toEqual(['file', 'bus']);
    expect(config.defaultSinks).toEqual(['file', 'bus']);
    expect(config.limits.maxEventsPerBatch).toBe(500);
    expect(config.limits.maxEventBytes).toBe(65_536);
    expect(config.dedup.windowMs).toBe(600_000);
    expect(config.trustProxy).toBe(true);
    expect(config.logLevel).toBe('debug');
  });

  it('names every problem at once', () => {
    expect(problems({ TAGPLAN_COLLECTOR_PORT: '70000', TAGPLAN_COLLECTOR_MAX_EVENTS: 'lots', TAGPLAN_COLLECTOR_TRUST_PROXY: 'maybe', TAGPLAN_COLLECTOR_INSTANCE_ID: 'a/b' })).toEqual([
      'TAGPLAN_COLLECTOR_PORT must be a port number from 0 to 65535, not 70000',
      'the collector needs a catalog: TAGPLAN_REGISTRY_URL (with TAGPLAN_COLLECTOR_TOKEN) or TAGPLAN_COLLECTOR_CATALOG_FILE',
      'TAGPLAN_COLLECTOR_PII_SECRET must have at least 16 characters: it keys the hashes of pii fields and client IPs',
      'TAGPLAN_COLLECTOR_INSTANCE_ID must be 1 to 100 letters, digits, ".", "_" or "-", not "a/b"',
      'TAGPLAN_COLLECTOR_MAX_EVENTS must be an integer of at least 1, not "lots"',
      'TAGPLAN_COLLECTOR_TRUST_PROXY must be true or false, not "maybe"',
    ]);
  });

  it.each([
    [{ TAGPLAN_REGISTRY_URL: 'ftp://registry' }, 'TAGPLAN_REGISTRY_URL must be an http:// or https:// URL, not "ftp://registry"'],
    [{ TAGPLAN_COLLECTOR_TOKEN: '' }, 'TAGPLAN_COLLECTOR_TOKEN must be a registry API token allowed to read the collector catalog'],
    [{ TAGPLAN_COLLECTOR_CATALOG_FILE: 'x.json' }, 'set TAGPLAN_COLLECTOR_CATALOG_FILE or TAGPLAN_REGISTRY_URL, not both'],
    [{ TAGPLAN_COLLECTOR_SINKS: '{"name":"file"}' }, 'TAGPLAN_COLLECTOR_SINKS must be a non-empty list of {name, type, ...options}'],
    [{ TAGPLAN_COLLECTOR_SINKS: '[{"name":"file","type":"file"}]', TAGPLAN_COLLECTOR_DEFAULT_SINKS: 'nats' }, 'the default sink nats is not configured (TAGPLAN_COLLECTOR_SINKS has file)'],
    [{ TAGPLAN_COLLECTOR_SINKS: '[{"name":"File","type":"file"}]' }, 'sink name "File" must be 1 to 64 lower-case letters, digits, "_" or "-"'],
    [{ TAGPLAN_COLLECTOR_LOG_LEVEL: 'loud' }, 'TAGPLAN_COLLECTOR_LOG_LEVEL must be one of debug, info, warn, error, not "loud"'],
  ])('refuses %j', (env, problem) => {
    expect(problems({ ...base, ...env })).toContain(problem);
  });

  it('refuses write keys that are not environment=key', () => {
    expect(problems({ TAGPLAN_COLLECTOR_CATALOG_FILE: 's.json', TAGPLAN_COLLECTOR_PII_SECRET: base.TAGPLAN_COLLECTOR_PII_SECRET, TAGPLAN_COLLECTOR_WRITE_KEYS: 'tpw_0123456789abcdef' })).toEqual([
      'TAGPLAN_COLLECTOR_WRITE_KEYS entries are environment=key with keys of at least 16 characters, not "tpw_0123456789abcdef"',
    ]);
  });

  it('lets explicit settings win over the environment', () => {
    const config = loadCollectorConfig({ port: 0, catalog: { kind: 'file', file: '/tmp/c.json', writeKeys: [] } }, { ...base, TAGPLAN_REGISTRY_URL: 'not a url' });
    expect(config.port).toBe(0);
    expect(config.catalog.kind).toBe('file');
  });
});
