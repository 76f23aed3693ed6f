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
  private readonly cache = new Map<string, EventSchema[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CatalogStore,
  ) {}

  async schemas(name: string, version: number): Promise<EventSchema[]> {
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
    this.cache.set(key, schemas);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return schemas;
  }
}

function uniquePins(pins: { name: string; version: number }[]): { name: string; version: number }[] {
  const unique = new Map(pins.map((pin) => [`${pin.name}@${pin.version}`, { name: pin.name, version: pin.version }]));
  return [...unique.values()];
}
