import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InMemoryCatalog, type EnvironmentBody, type EventBody, type FieldBody } from '@tagplan/catalog';
import { buildEnvironmentSchemas, type EventSchema } from '@tagplan/json-schema';
import { loadPinnedVersions } from '../catalog/catalog.rows';
import { CatalogStore } from '../catalog/catalog-store.service';

/** How many environment versions' schemas are kept in memory. */
const CACHE_SIZE = 256;

/**
 * The JSON Schemas of an environment version. Versions never change, so once built the
 * schemas are cached for good (bounded, least recently used out).
 */
@Injectable()
export class EnvironmentSchemasService {
  private readonly cache = new Map<string, CachedSchemas>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CatalogStore,
  ) {}

  async schemas(name: string, version: number): Promise<EventSchema[]> {
    return (await this.entry(name, version)).schemas;
  }

  /**
   * The whole answer of GET .../versions/{version}/schemas, serialized once: like the
   * schemas, it never changes, and serializing ~100 schemas on every request was most of
   * the cost of serving them.
   */
  async answer(name: string, version: number): Promise<string> {
    const entry = await this.entry(name, version);
    entry.answer ??= JSON.stringify({ environment: name, version, schemas: entry.schemas });
    return entry.answer;
  }

  private async entry(name: string, version: number): Promise<CachedSchemas> {
    const key = `${name}@${version}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const environment = await this.store.version('environment', name, version);
    const body = environment.body as EnvironmentBody;
    const manager = this.dataSource.manager;
    const events = await loadPinnedVersions(manager, 'event', body.events);
    const fieldPins = [...body.common_fields, ...events.flatMap((event) => (event.body as EventBody).fields)];
    const fields = await loadPinnedVersions(manager, 'field', uniquePins(fieldPins));
    const catalog = new InMemoryCatalog([...events, ...fields]);
    const schemas = buildEnvironmentSchemas({ name, version, body }, {
      field: (field, at) => catalog.body('field', field, at) as FieldBody,
      event: (event, at) => catalog.body('event', event, at) as EventBody,
    });
    const entry: CachedSchemas = { schemas };
    this.cache.set(key, entry);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }
}

interface CachedSchemas {
  schemas: EventSchema[];
  /** The serialized answer of the schemas route, made on its first request. */
  answer?: string;
}

function uniquePins(pins: { name: string; version: number }[]): { name: string; version: number }[] {
  const unique = new Map(pins.map((pin) => [`${pin.name}@${pin.version}`, { name: pin.name, version: pin.version }]));
  return [...unique.values()];
}
