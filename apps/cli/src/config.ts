/** The only reader of process.env in the CLI: where the registry is and how to authenticate. */
export interface CliEnvironment {
  url: string;
  token?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:4000';

export function cliEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  const token = env['TAGPLAN_TOKEN'];
  return { url: env['TAGPLAN_URL'] || DEFAULT_URL, ...(token ? { token } : {}) };
}
