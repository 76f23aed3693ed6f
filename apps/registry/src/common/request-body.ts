import { nameProblem, type CatalogIssueCode, type EntityKind } from '@tagplan/catalog';
import { CatalogException } from '../modules/catalog/catalog.exceptions';

/**
 * Checks of the parts of a write's body that are not the version body itself (its name,
 * message, expected version). Each rejection names its place with a JSON pointer, like
 * every other problem in a body.
 */

export const MAX_MESSAGE_LENGTH = 2000;

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidAt('', 'type', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The `message` of a write: why the change was made. Required, so the change log explains itself. */
export function messageOf(message: unknown, path = '/message', hint = ''): string {
  if (message === undefined) throw invalidAt(path, 'required', `a message saying why this change is made is required${hint}`);
  if (typeof message !== 'string' || message.trim() === '') throw invalidAt(path, 'type', `the message must be a non-empty string${hint}`);
  if (message.length > MAX_MESSAGE_LENGTH) throw invalidAt(path, 'invalid_value', `the message has at most ${MAX_MESSAGE_LENGTH} characters, not ${message.length}`);
  return message.trim();
}

/** The name of an entity being created. */
export function nameOf(kind: EntityKind, name: unknown): string {
  if (name === undefined) throw invalidAt('/name', 'required', `the ${kind}'s name is required`);
  const problem = nameProblem(kind, name);
  if (problem) throw invalidAt('/name', 'invalid_name', problem);
  return name as string;
}

/** The version a write means to create, when the caller says so (optimistic concurrency). */
export function expectedVersionOf(version: unknown): number | undefined {
  if (version === undefined) return undefined;
  if (!Number.isSafeInteger(version) || (version as number) < 1) throw invalidAt('/version', 'type', `version must be a whole number from 1, not ${JSON.stringify(version)}`);
  return version as number;
}

export function invalidAt(path: string, code: CatalogIssueCode, message: string): CatalogException {
  return CatalogException.invalid([{ path, code, message }]);
}
