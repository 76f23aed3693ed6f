import { hostname } from 'node:os';
import path from 'node:path';
import { DEFAULT_DEDUP, DEFAULT_LIMITS, LOG_LEVELS, type ConfiguredWriteKey, type DedupOptions, type IntakeLimits, type LogLevel } from '@tagplan/collector';
import { INSTANCE_ID, SINK_NAME, type SinkConfig } from '@tagplan/sinks';

export type CatalogConfig =
  /** GET /api/collector/catalog of a registry, refreshed; counts are pushed back there. */
  | { kind: 'registry'; registryUrl: string; token: string }
  /** A collector catalog document or a `tagplan export --snapshot` file (plus write keys): no registry at all. */
  | { kind: 'file'; file: string; writeKeys: ConfiguredWriteKey[] };

/** Everything the collector reads from its environment, validated once at start. */
export interface CollectorConfig {
  host: string;
  port: number;
  catalog: CatalogConfig;
  refreshMs: number;
  countsIntervalMs: number;
  /** Key of the keyed hashes (pii: hash fields, client IPs). Keep it stable: hashes join across restarts only with the same key. */
  piiSecret: string;
  /** Names this collector's files; unique per sink directory. */
  instanceId: string;
  dataDir: string;
  sinks: SinkConfig[];
  defaultSinks: string[];
  limits: IntakeLimits;
  dedup: DedupOptions;
  trustProxy: boolean;
  logLevel: LogLevel;
}

export class CollectorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid collector configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CollectorConfigError';
  }
}

export const DEFAULT_COLLECTOR_PORT = 4100;
export const MIN_PII_SECRET_LENGTH = 16;

/**
 * The only reader of process.env in the collector. Explicit overrides (from `tagplan
 * serve` or a test) win over the environment.
 */
export function loadCollectorConfig(overrides: Partial<CollectorConfig> = {}, env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const problems: string[] = [];
  const number = (name: string, fallback: number, min: number) => parseInteger(env[name], name, fallback, min, problems);

  const port = overrides.port ?? number('TAGPLAN_COLLECTOR_PORT', DEFAULT_COLLECTOR_PORT, 0);
  if (port > 65535) problems.push(`TAGPLAN_COLLECTOR_PORT must be a port number from 0 to 65535, not ${port}`);

  const catalog = overrides.catalog ?? catalogFromEnv(env, problems);
  if (overrides.catalog?.kind === 'file' && overrides.catalog.file === '') problems.push('the catalog file must be a path');

  const piiSecret = overrides.piiSecret ?? env['TAGPLAN_COLLECTOR_PII_SECRET'] ?? '';
  if (piiSecret.length < MIN_PII_SECRET_LENGTH) {
    problems.push(`TAGPLAN_COLLECTOR_PII_SECRET must have at least ${MIN_PII_SECRET_LENGTH} characters: it keys the hashes of pii fields and client IPs`);
  }

  const instanceId = overrides.instanceId ?? env['TAGPLAN_COLLECTOR_INSTANCE_ID'] ?? defaultInstanceId();
  if (!INSTANCE_ID.test(instanceId)) problems.push(`TAGPLAN_COLLECTOR_INSTANCE_ID must be 1 to 100 letters, digits, ".", "_" or "-", not ${JSON.stringify(instanceId)}`);

  const dataDir = path.resolve(overrides.dataDir ?? env['TAGPLAN_COLLECTOR_DATA_DIR'] ?? path.join(env['TAGPLAN_DATA_DIR'] || '.tagplan', 'collector'));
  const sinks = overrides.sinks ?? sinksFromEnv(env['TAGPLAN_COLLECTOR_SINKS'], problems);
  const sinkNames = new Set<string>();
  for (const sink of sinks) {
    if (!SINK_NAME.test(sink.name)) problems.push(`sink name ${JSON.stringify(sink.name)} must be 1 to 64 lower-case letters, digits, "_" or "-"`);
    if (sinkNames.has(sink.name)) problems.push(`two sinks are named ${sink.name}`);
    sinkNames.add(sink.name);
  }
  const defaultSinks = overrides.defaultSinks ?? list(env['TAGPLAN_COLLECTOR_DEFAULT_SINKS']) ?? (sinkNames.has('file') ? ['file'] : [...sinkNames]);
  if (defaultSinks.length === 0) problems.push('TAGPLAN_COLLECTOR_DEFAULT_SINKS must name at least one sink');
  for (const name of defaultSinks) {
    if (!sinkNames.has(name)) problems.push(`the default sink ${name} is not configured (TAGPLAN_COLLECTOR_SINKS has ${[...sinkNames].join(', ') || 'none'})`);
  }

  const limits: IntakeLimits = overrides.limits ?? {
    maxBodyBytes: number('TAGPLAN_COLLECTOR_MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1024),
    maxInflatedBytes: number('TAGPLAN_COLLECTOR_MAX_INFLATED_BYTES', DEFAULT_LIMITS.maxInflatedBytes, 1024),
    maxEventsPerBatch: number('TAGPLAN_COLLECTOR_MAX_EVENTS', DEFAULT_LIMITS.maxEventsPerBatch, 1),
    maxEventBytes: number('TAGPLAN_COLLECTOR_MAX_EVENT_BYTES', DEFAULT_LIMITS.maxEventBytes, 256),
    maxDepth: number('TAGPLAN_COLLECTOR_MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 4),
    maxRequestsInFlight: number('TAGPLAN_COLLECTOR_MAX_REQUESTS_IN_FLIGHT', DEFAULT_LIMITS.maxRequestsInFlight, 1),
    maxBytesInFlight: number('TAGPLAN_COLLECTOR_MAX_BYTES_IN_FLIGHT', DEFAULT_LIMITS.maxBytesInFlight, 1024 * 1024),
  };
  const dedup: DedupOptions = overrides.dedup ?? {
    windowMs: number('TAGPLAN_COLLECTOR_DEDUP_WINDOW_MS', DEFAULT_DEDUP.windowMs, 0),
    maxEntries: number('TAGPLAN_COLLECTOR_DEDUP_MAX_ENTRIES', DEFAULT_DEDUP.maxEntries, 0),
  };
  const logLevel = overrides.logLevel ?? ((env['TAGPLAN_COLLECTOR_LOG_LEVEL'] || 'info') as LogLevel);
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`TAGPLAN_COLLECTOR_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(logLevel)}`);

  const config: CollectorConfig = {
    host: overrides.host ?? env['TAGPLAN_COLLECTOR_HOST'] ?? '127.0.0.1',
    port,
    catalog,
    refreshMs: overrides.refreshMs ?? number('TAGPLAN_COLLECTOR_REFRESH_MS', 2000, 100),
    countsIntervalMs: overrides.countsIntervalMs ?? number('TAGPLAN_COLLECTOR_COUNTS_INTERVAL_MS', 5000, 100),
    piiSecret,
    instanceId,
    dataDir,
    sinks,
    defaultSinks,
    limits,
    dedup,
    trustProxy: overrides.trustProxy ?? parseBoolean(env['TAGPLAN_COLLECTOR_TRUST_PROXY'], 'TAGPLAN_COLLECTOR_TRUST_PROXY', false, problems),
    logLevel,
  };
  if (problems.length > 0) throw new CollectorConfigError(problems);
  return config;
}

function catalogFromEnv(env: NodeJS.ProcessEnv, problems: string[]): CatalogConfig {
  const file = env['TAGPLAN_COLLECTOR_CATALOG_FILE'];
  const registryUrl = env['TAGPLAN_REGISTRY_URL'];
  if (file && registryUrl) problems.push('set TAGPLAN_COLLECTOR_CATALOG_FILE or TAGPLAN_REGISTRY_URL, not both');
  if (file) return { kind: 'file', file: path.resolve(file), writeKeys: writeKeysFromEnv(env['TAGPLAN_COLLECTOR_WRITE_KEYS'], problems) };
  if (!registryUrl) {
    problems.push('the collector needs a catalog: TAGPLAN_REGISTRY_URL (with TAGPLAN_COLLECTOR_TOKEN) or TAGPLAN_COLLECTOR_CATALOG_FILE');
    return { kind: 'registry', registryUrl: '', token: '' };
  }
  try {
    const url = new URL(registryUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    problems.push(`TAGPLAN_REGISTRY_URL must be an http:// or https:// URL, not ${JSON.stringify(registryUrl)}`);
  }
  const token = env['TAGPLAN_COLLECTOR_TOKEN'] ?? '';
  if (token === '') problems.push('TAGPLAN_COLLECTOR_TOKEN must be a registry API token allowed to read the collector catalog');
  return { kind: 'registry', registryUrl, token };
}

/** `web-frontend=tpw_...,ios-app=tpw_...` */
function writeKeysFromEnv(text: string | undefined, problems: string[]): ConfiguredWriteKey[] {
  const keys: ConfiguredWriteKey[] = [];
  for (const item of list(text) ?? []) {
    const at = item.indexOf('=');
    const environment = item.slice(0, at);
    const key = item.slice(at + 1);
    if (at <= 0 || key.length < 16) problems.push(`TAGPLAN_COLLECTOR_WRITE_KEYS entries are environment=key with keys of at least 16 characters, not ${JSON.stringify(item.slice(0, 40))}`);
    else keys.push({ environment, key });
  }
  return keys;
}

function sinksFromEnv(text: string | undefined, problems: string[]): SinkConfig[] {
  if (text === undefined || text.trim() === '') return [{ name: 'file', type: 'file' }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(`TAGPLAN_COLLECTOR_SINKS must be JSON, a list of {name, type, ...options}: ${(error as Error).message}`);
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push('TAGPLAN_COLLECTOR_SINKS must be a non-empty list of {name, type, ...options}');
    return [];
  }
  const sinks: SinkConfig[] = [];
  parsed.forEach((item: unknown, index) => {
    const sink = item as Partial<SinkConfig> | null;
    if (typeof sink !== 'object' || sink === null || Array.isArray(sink) || typeof sink.name !== 'string' || typeof sink.type !== 'string') {
      problems.push(`TAGPLAN_COLLECTOR_SINKS[${index}] must be an object with a name and a type`);
    } else sinks.push(sink as SinkConfig);
  });
  return sinks;
}

function parseInteger(text: string | undefined, name: string, fallback: number, min: number, problems: string[]): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < min) {
    problems.push(`${name} must be an integer of at least ${min}, not ${JSON.stringify(text)}`);
    return fallback;
  }
  return value;
}

function parseBoolean(text: string | undefined, name: string, fallback: boolean, problems: string[]): boolean {
  if (text === undefined || text === '') return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  problems.push(`${name} must be true or false, not ${JSON.stringify(text)}`);
  return fallback;
}

function list(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function defaultInstanceId(): string {
  const name = hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100);
  return name === '' ? 'collector' : name;
}
