import type { EnvironmentBody, EventBody, FieldBody, InMemoryCatalog } from '@tagplan/catalog';
import { buildEnvironmentSchemas, type EventSchema } from './event-schema';

/**
 * The schemas an environment accepts. With a version, exactly that version's; without,
 * every event version pinned by any version of the environment (DESIGN §3: older
 * langpacks keep working), each with the schema of the newest environment version that
 * pins it.
 */
export function schemasFromCatalog(catalog: InMemoryCatalog, environment: string, version?: number): EventSchema[] {
  const versions = catalog.versions('environment', environment).filter((entry) => version === undefined || entry.version === version);
  if (versions.length === 0) {
    throw new Error(version === undefined ? `there is no environment named ${environment}` : `environment ${environment} has no version ${version}`);
  }
  const lookup = {
    field: (name: string, at: number) => required(catalog.body('field', name, at), `field ${name}@${at}`) as FieldBody,
    event: (name: string, at: number) => required(catalog.body('event', name, at), `event ${name}@${at}`) as EventBody,
  };
  return mergeNewestFirst(
    [...versions].reverse().map((entry) => buildEnvironmentSchemas({ name: environment, version: entry.version, body: entry.body as EnvironmentBody }, lookup)),
  );
}

/** One schema per event version, the first list (the newest environment version) winning. */
export function mergeNewestFirst(perVersion: EventSchema[][]): EventSchema[] {
  const merged = new Map<string, EventSchema>();
  for (const schemas of perVersion) {
    for (const schema of schemas) {
      const key = `${schema.event_name}@${schema.event_version}`;
      if (!merged.has(key)) merged.set(key, schema);
    }
  }
  return [...merged.values()];
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the catalog is missing ${what}`);
  return value;
}
