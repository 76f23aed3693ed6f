export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS = Object.keys(RANK) as LogLevel[];

export interface Logger {
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Structured logs: one JSON object per line, `{time, level, msg, ...fields}`. */
export function createJsonLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stdout.write(line), base: Record<string, unknown> = {}): Logger {
  const threshold = RANK[level];
  const log = (at: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[at] < threshold) return;
    let line: string;
    try {
      line = JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...base, ...fields });
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...base });
    }
    write(`${line}\n`);
  };
  return {
    level,
    enabled: (at) => RANK[at] >= threshold,
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, error_name: error.name, ...((error as { code?: unknown }).code !== undefined ? { error_code: (error as { code?: unknown }).code } : {}) };
  return { error: String(error) };
}
