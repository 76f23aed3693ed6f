import { RegistryClient, RegistryError } from '@tagplan/registry-client';
import type { Command } from 'commander';
import { cliEnvironment, DEFAULT_URL } from './config';

/** A failure the CLI reports as a sentence (no stack trace) with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

export function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function clientFor(command: Command): RegistryClient {
  const options = globals(command);
  const environment = cliEnvironment();
  const url = options.url ?? environment.url;
  if (!isHttpUrl(url)) throw new CliError(`${options.url !== undefined ? '--url' : 'TAGPLAN_URL'} must be an http:// or https:// URL such as ${DEFAULT_URL}, not "${url}"`, 2);
  return new RegistryClient(url, options.token ?? environment.token);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Prints `value` as JSON with --json, otherwise the human lines. */
export function emit(command: Command, value: unknown, human: () => string[]): void {
  if (globals(command).json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else for (const line of human()) process.stdout.write(`${line}\n`);
}

/** Reports any error readably (or as JSON with --json) and gives the exit code. */
export function report(error: unknown, json: boolean): number {
  const { message, code, exitCode, details } = describe(error);
  if (json) process.stdout.write(`${JSON.stringify({ error: code, message, details }, null, 2)}\n`);
  else {
    // A single detail usually is the message itself: say it once.
    const shown = details.length === 1 && message.endsWith(details[0] as string) ? [] : details;
    process.stderr.write(`error: ${message}\n${shown.map((line) => `  ${line}\n`).join('')}`);
  }
  return exitCode;
}

function describe(error: unknown): { message: string; code: string; exitCode: number; details: string[] } {
  if (error instanceof CliError) return { message: error.message, code: 'cli', exitCode: error.exitCode, details: error.details };
  if (error instanceof RegistryError) {
    return { message: error.message, code: error.code, exitCode: 1, details: error.issues.map((issue) => `${issue.path || '/'}: ${issue.message}`) };
  }
  return { message: error instanceof Error ? error.message : String(error), code: 'error', exitCode: 1, details: [] };
}

/** Progress on stderr, only for a person at a terminal, so pipes and --json stay clean. */
export function progress(command: Command): (text: string) => void {
  if (!process.stderr.isTTY || globals(command).json) return () => undefined;
  return (text) => process.stderr.write(`\r\x1b[K${text}`);
}
