import { nameProblem, type EntityKind } from '@tagplan/catalog';
import { RequestException } from './request.exception';

/** Parsers for path and query parameters, each rejecting bad input with a message naming it. */

export function integerParameter(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) throw new RequestException(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

export function versionParameter(text: string): number {
  return integerParameter(text, 'version', 0, 1, 2_147_483_647);
}

export function nameParameter(kind: EntityKind, name: string): string {
  const problem = nameProblem(kind, name);
  if (problem) throw new RequestException(problem);
  return name;
}

export function pageParameters(query: { limit?: string; offset?: string }): { limit: number; offset: number } {
  return { limit: integerParameter(query.limit, 'limit', 50, 1, 500), offset: integerParameter(query.offset, 'offset', 0, 0, 10_000_000) };
}

/** The `message` of a write: why the change was made. Required, so the change log explains itself. */
export function messageOf(body: Record<string, unknown>, path = '/message'): string {
  const message = body['message'];
  if (typeof message !== 'string' || message.trim() === '') throw new RequestException(`${path}: a message saying why this change is made is required`);
  if (message.length > 2000) throw new RequestException(`${path}: at most 2000 characters`);
  return message.trim();
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestException('the request body must be a JSON object');
  return body as Record<string, unknown>;
}
