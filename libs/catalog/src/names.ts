import type { EntityKind } from './model';

export const MAX_NAME_LENGTH = 64;

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Why a name is not acceptable for an entity of this kind, or null when it is. */
export function nameProblem(kind: EntityKind, name: unknown): string | null {
  const some = kind === 'field' ? 'a field' : `an ${kind}`;
  if (typeof name !== 'string' || name.length === 0) return `${some} name must be a non-empty string`;
  if (name.length > MAX_NAME_LENGTH) {
    return `"${truncate(name)}" is ${name.length} characters long; ${some} name has at most ${MAX_NAME_LENGTH}`;
  }
  if (kind === 'environment') {
    return KEBAB_CASE.test(name)
      ? null
      : `"${name}" is not kebab-case: an environment name is lower-case letters and digits in words joined by "-", starting with a letter (e.g. web-frontend)`;
  }
  return SNAKE_CASE.test(name)
    ? null
    : `"${name}" is not snake_case: ${some} name is lower-case letters and digits in words joined by "_", starting with a letter (e.g. ${kind === 'field' ? 'user_id' : 'item_viewed'})`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
