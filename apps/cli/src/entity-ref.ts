import { ENTITY_KINDS, nameProblem, type EntityKind } from '@tagplan/catalog';
import { CliError } from './output';

export interface EntityRef {
  kind?: EntityKind;
  name: string;
  version?: number;
}

/** `name`, `name@3`, or with an explicit kind where a name is ambiguous: `field:user_id@3`. */
export function parseEntityRef(text: string, requireVersion: boolean): EntityRef {
  const match = /^(?:(field|event|environment):)?([^@:]+)(?:@(\d+))?$/.exec(text);
  if (!match) throw new CliError(`"${text}" is not an entity reference: write NAME@VERSION, or KIND:NAME@VERSION (kind: ${ENTITY_KINDS.join(', ')})`, 2);
  const [, kind, name = '', version] = match;
  if (requireVersion && version === undefined) throw new CliError(`"${text}" needs a version: ${name}@1`, 2);
  if (kind && nameProblem(kind as EntityKind, name)) throw new CliError(nameProblem(kind as EntityKind, name) as string, 2);
  return { ...(kind ? { kind: kind as EntityKind } : {}), name, ...(version !== undefined ? { version: Number(version) } : {}) };
}

/** The kinds a bare name could be: kebab-case is an environment, snake_case a field or an event. */
export function candidateKinds(ref: EntityRef): EntityKind[] {
  if (ref.kind) return [ref.kind];
  return ENTITY_KINDS.filter((kind) => nameProblem(kind, ref.name) === null);
}
