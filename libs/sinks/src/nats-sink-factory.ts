import { NatsSink, type NatsCredentials, type NatsSinkConfig } from './nats-sink';
import { SinkConfigError, type SinkFactory } from './sink-registry';

/**
 * `{name, type: "nats", servers, ...}` in the collector's sink configuration:
 *
 *   servers               "nats://host:4222", a comma-separated list, or an array (required)
 *   stream                JetStream stream name (default TAGPLAN)
 *   subject_prefix        first subject token(s) (default tagplan)
 *   creds_file | user + pass | token    credentials, one form at most
 *   publish_timeout_ms    a write's time limit, acks included (default 5000)
 *   max_in_flight         messages awaiting acks across writes (default 10000)
 *   duplicate_window_ms, max_age_ms, max_bytes, replicas    for a stream the sink creates
 *   retry_after_seconds   Retry-After of the 503s it causes (default 2)
 *
 * The sink starts connecting at once but the collector does not wait for it: with NATS
 * down the collector starts, answers 503 for what routes to this sink, and /readyz says why.
 */
const NUMBER_OPTIONS = {
  publish_timeout_ms: 'publishTimeoutMs',
  max_in_flight: 'maxInFlight',
  duplicate_window_ms: 'duplicateWindowMs',
  max_age_ms: 'maxAgeMs',
  max_bytes: 'maxBytes',
  replicas: 'replicas',
  retry_after_seconds: 'retryAfterSeconds',
} as const;
const STRING_OPTIONS = { stream: 'stream', subject_prefix: 'subjectPrefix' } as const;
const CREDENTIAL_OPTIONS = ['creds_file', 'user', 'pass', 'token'] as const;
const KNOWN = new Set<string>(['name', 'type', 'servers', ...Object.keys(NUMBER_OPTIONS), ...Object.keys(STRING_OPTIONS), ...CREDENTIAL_OPTIONS]);

export const natsSinkFactory: SinkFactory = async (config, context) => {
  const fail = (message: string): never => {
    throw new SinkConfigError(`sink ${config.name}: ${message}`);
  };
  for (const key of Object.keys(config)) {
    if (!KNOWN.has(key)) fail(`unknown option "${key}" for a nats sink (options: ${[...KNOWN].filter((k) => k !== 'name' && k !== 'type').join(', ')})`);
  }
  const options: NatsSinkConfig = { name: config.name, servers: servers(config['servers'], fail) };
  for (const [key, field] of Object.entries(NUMBER_OPTIONS)) {
    const value = config[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(`${key} must be an integer`);
    options[field] = value as number;
  }
  for (const [key, field] of Object.entries(STRING_OPTIONS)) {
    const value = config[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') fail(`${key} must be a non-empty string`);
    options[field] = value as string;
  }
  const credentials = credentialsOf(config, fail);
  if (credentials) options.credentials = credentials;
  const warn = context.onWarning;
  if (warn) {
    options.onEvent = (event) => {
      if (event.type === 'disconnected') warn(`nats sink ${config.name}: disconnected from ${event.server}; answering 503 until it is back`);
      else if (event.type === 'reconnected') warn(`nats sink ${config.name}: reconnected to ${event.server}`);
      else if (event.type === 'stream-created') warn(`nats sink ${config.name}: created JetStream stream ${event.stream}`);
      else if (event.type === 'error') warn(`nats sink ${config.name}: ${event.message}`);
    };
  }
  let sink: NatsSink;
  try {
    sink = new NatsSink(options);
  } catch (error) {
    // The sink's own checks (stream name, prefix, ranges) word the problem.
    return fail((error as Error).message.replace(/^NATS sink: /, ''));
  }
  sink.start();
  return sink;
};

function servers(value: unknown, fail: (message: string) => never): string[] {
  const list = typeof value === 'string' ? value.split(',').map((server) => server.trim()) : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((server) => typeof server !== 'string' || server === '')) {
    return fail('servers must be a NATS URL ("nats://127.0.0.1:4222"), a comma-separated list or an array of them');
  }
  return list as string[];
}

function credentialsOf(config: Record<string, unknown>, fail: (message: string) => never): NatsCredentials | undefined {
  for (const key of CREDENTIAL_OPTIONS) {
    if (config[key] !== undefined && (typeof config[key] !== 'string' || config[key] === '')) fail(`${key} must be a non-empty string`);
  }
  const { creds_file: credsFile, user, pass, token } = config as Partial<Record<(typeof CREDENTIAL_OPTIONS)[number], string>>;
  const forms = [credsFile !== undefined, user !== undefined || pass !== undefined, token !== undefined].filter(Boolean).length;
  if (forms > 1) fail('give one form of credentials: creds_file, user and pass, or token');
  if (credsFile !== undefined) return { credsFile };
  if (token !== undefined) return { token };
  if (user !== undefined || pass !== undefined) {
    if (user === undefined || pass === undefined) fail('user and pass go together');
    return { user: user as string, pass: pass as string };
  }
  return undefined;
}
