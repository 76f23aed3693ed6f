import path from 'node:path';

/** Everything the registry reads from its environment, validated once at start. */
export interface RegistryConfig {
  host: string;
  port: number;
  /** A PostgreSQL server; when absent the registry runs on the embedded database. */
  databaseUrl?: string;
  /** Where the embedded database and other local state live. */
  dataDir: string;
  /** Whether reads need no credentials. Writes always do. */
  openReads: boolean;
  /** Becomes the initial admin token on first start (for automation). */
  adminToken?: string;
  /** Seed the demo catalog into an empty registry. */
  seedDemo: boolean;
  /** How langpack packages are named (TAGPLAN_PACKAGE_PREFIX, TAGPLAN_GO_MODULE_BASE). */
  packageNaming: { prefix: string; goModuleBase: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const MIN_ADMIN_TOKEN_LENGTH = 16;

/**
 * The only reader of process.env in the registry. Explicit overrides (command-line flags)
 * win over the environment.
 */
export function loadRegistryConfig(overrides: Partial<RegistryConfig> = {}, env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const problems: string[] = [];
  const port = overrides.port ?? parsePort(env['PORT'] ?? '4000', 'PORT', problems);
  const databaseUrl = overrides.databaseUrl ?? nonEmpty(env['DATABASE_URL']);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const openReads = overrides.openReads ?? parseBoolean(env['TAGPLAN_OPEN_READS'] ?? 'true', 'TAGPLAN_OPEN_READS', problems);
  const adminToken = overrides.adminToken ?? nonEmpty(env['TAGPLAN_ADMIN_TOKEN']);
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    problems.push(`TAGPLAN_ADMIN_TOKEN must have at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  const packageNaming = overrides.packageNaming ?? { prefix: env['TAGPLAN_PACKAGE_PREFIX'] || 'acme', goModuleBase: env['TAGPLAN_GO_MODULE_BASE'] || 'example.com/tagplan' };
  if (!/^[a-z][a-z0-9-]*$/.test(packageNaming.prefix)) problems.push('TAGPLAN_PACKAGE_PREFIX must be lower-case letters, digits and "-", starting with a letter');
  if (!/^[a-z0-9.-]+(\/[A-Za-z0-9._~-]+)*$/.test(packageNaming.goModuleBase)) problems.push('TAGPLAN_GO_MODULE_BASE must be a Go module path such as example.com/tagplan');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host: overrides.host ?? env['HOST'] ?? '127.0.0.1',
    port,
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    dataDir: path.resolve(overrides.dataDir ?? env['TAGPLAN_DATA_DIR'] ?? '.tagplan'),
    openReads,
    ...(adminToken !== undefined ? { adminToken } : {}),
    seedDemo: overrides.seedDemo ?? false,
    packageNaming,
  };
}

export function parsePort(text: string, name: string, problems: string[]): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`${name} must be a port number from 0 to 65535, not "${text}"`);
  return port;
}

function parseBoolean(text: string, name: string, problems: string[]): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  problems.push(`${name} must be true or false, not "${text}"`);
  return true;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
