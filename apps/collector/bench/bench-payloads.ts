import { randomUUID } from 'node:crypto';
import type { EntityVersion, InMemoryCatalog } from '@tagplan/catalog';
import type { ValidateFunction } from 'ajv';
import { demoCatalog } from '@tagplan/codegen-testing';
import { schemasFromCatalog, type EventSchema } from '@tagplan/json-schema';
import { ValidatorCache, type CollectorCatalogDocument } from '@tagplan/collector';
import { syntheticCatalog } from '../../../libs/codegen/bench/synthetic-catalog';
import { catalogDocument } from '../../../libs/collector/test/support/catalog-fixtures';

/** The environment of the demo catalog the load is sent from (a browser langpack). */
export const BENCH_ENVIRONMENT = 'web-frontend';
export const EVENTS_PER_BATCH = 100;
export const TARGET_EVENT_BYTES = 400;

/** The demo catalog as the registry would serve it to a collector, with one write key of BENCH_ENVIRONMENT. */
export function demoDocument(writeKey: string): CollectorCatalogDocument {
  return catalogDocument({ keys: [{ environment: BENCH_ENVIRONMENT, key: writeKey }], revision: 'bench-demo' });
}

/** `eventCount` synthetic event types of ten fields each, for the start-up figure. */
export function syntheticDocument(eventCount: number, writeKey: string): { document: CollectorCatalogDocument; schemas: EventSchema[] } {
  const catalog = syntheticCatalog(eventCount, 10, 2 * eventCount);
  const versions: EntityVersion[] = [];
  for (const kind of ['field', 'event', 'environment'] as const) {
    for (const name of catalog.names(kind)) versions.push(...catalog.versions(kind, name));
  }
  return {
    document: catalogDocument({ keys: [{ environment: 'bench-env', key: writeKey }], versions, revision: `bench-synthetic-${eventCount}` }),
    schemas: schemasFromCatalog(catalog, 'bench-env'),
  };
}

/**
 * The collector's validators (its ValidatorCache over the same schemas) of every event the
 * newest version of BENCH_ENVIRONMENT sends, by `name@version`: for the yardsticks.
 */
export function benchValidators(): Map<string, ValidateFunction> {
  const catalog = demoCatalog();
  const cache = new ValidatorCache();
  const validators = new Map<string, ValidateFunction>();
  for (const schema of schemasFromCatalog(catalog, BENCH_ENVIRONMENT, newestVersion(catalog))) {
    validators.set(`${schema.event_name}@${schema.event_version}`, cache.validator(schema.schema));
  }
  return validators;
}

function newestVersion(catalog: InMemoryCatalog): number {
  return Math.max(...catalog.versions('environment', BENCH_ENVIRONMENT).map((entry) => entry.version));
}

/**
 * One event of every type the newest version of BENCH_ENVIRONMENT sends, as its langpack
 * would send it: the required fields from their examples, then optional ones while the
 * event stays within about TARGET_EVENT_BYTES of JSON.
 */
export function eventTemplates(): Record<string, unknown>[] {
  const catalog = demoCatalog();
  const environmentVersion = newestVersion(catalog);
  return schemasFromCatalog(catalog, BENCH_ENVIRONMENT, environmentVersion).map((schema) => {
    const properties = schema.schema['properties'] as Record<string, { examples?: unknown[] }>;
    const required = new Set(schema.schema['required'] as string[]);
    const data: Record<string, unknown> = {};
    const event = {
      event_id: randomUUID(),
      event_name: schema.event_name,
      event_version: schema.event_version,
      created_ts: Date.now(),
      data,
      stack_ctx: { langpack: 'typescript', langpack_version: `0.1.${environmentVersion}` },
    };
    const names = Object.keys(properties).sort((a, b) => Number(required.has(b)) - Number(required.has(a)));
    for (const name of names) {
      const example = properties[name]?.examples?.[0];
      if (example === undefined) continue;
      data[name] = example;
      if (!required.has(name) && JSON.stringify(event).length > TARGET_EVENT_BYTES) delete data[name];
    }
    return event;
  });
}

/**
 * Request bodies of EVENTS_PER_BATCH events, each event with a fresh event_id (the
 * collector writes a repeated id once, which would flatter it) and the current sent_ts.
 * The JSON is made once; a body is the fixed pieces joined with new ids, which keeps the
 * load generator cheap enough to share a core.
 */
export class BatchFactory {
  private readonly pieces: string[];
  private readonly prefix = randomUUID().slice(0, 24);
  private counter = 0;

  /** `invalidEvery`: every n-th event carries data of the wrong type (a bad row). */
  constructor(templates: Record<string, unknown>[], invalidEvery = 0) {
    const createdTs = Date.now();
    const events: Record<string, unknown>[] = [];
    for (let index = 0; index < EVENTS_PER_BATCH; index++) {
      const template = templates[index % templates.length] as Record<string, unknown>;
      const event: Record<string, unknown> = { ...template, event_id: '\u0000', created_ts: createdTs };
      if (invalidEvery > 0 && index % invalidEvery === invalidEvery - 1) event['data'] = { ...(template['data'] as object), session_id: 12345 };
      events.push(event);
    }
    // `"\u0000"` marks where each event_id goes; JSON.stringify writes it as \u0000.
    this.pieces = JSON.stringify({ events }).slice(0, -1).split('"\\u0000"');
  }

  /** Bytes of one event on the wire, on average. */
  get eventBytes(): number {
    return Math.round((this.pieces.join('').length + EVENTS_PER_BATCH * 38) / EVENTS_PER_BATCH);
  }

  body(sentTs = Date.now()): string {
    const pieces = this.pieces;
    let text = `{"payload_version":1,"sent_ts":${sentTs},${(pieces[0] as string).slice(1)}`;
    for (let index = 1; index < pieces.length; index++) text += `"${this.nextId()}"${pieces[index] as string}`;
    return `${text}}`;
  }

  private nextId(): string {
    return this.prefix + (this.counter++).toString(16).padStart(12, '0');
  }
}
