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

export function pageParameters(query: Record<string, unknown>): { limit: number; offset: number } {
  return { limit: integerParameter(textParameter(query, 'limit'), 'limit', 50, 1, 500), offset: integerParameter(textParameter(query, 'offset'), 'offset', 0, 0, 10_000_000) };
}

/** A query parameter given at most once (`?q=a&q=b` arrives as a list); '' counts as absent. */
export function textParameter(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new RequestException(`${name} must be given once, as text`);
  return value;
}
