import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InMemoryCatalog, type EnvironmentBody, type EventBody, type FieldBody } from '@tagplan/catalog';
import { buildEnvironmentSchemas, type EventSchema } from '@tagplan/json-schema';
import { ImmutableCache } from '../../common/immutable-cache';
import { loadEnvironmentClosure } from '../catalog/catalog.rows';
import { CatalogStore } from '../catalog/catalog-store.service';

interface CachedSchemas {
  schemas: EventSchema[];
  /** The serialized answer of the schemas route, made on its first request. */
  answer?: string;
}

/**
 * The JSON Schemas of an environment version. Versions never change, so once built the
 * schemas are cached for good.
 */
@Injectable()
export class EnvironmentSchemasService {
  private readonly cache = new ImmutableCache<CachedSchemas>(256);

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

  private entry(name: string, version: number): Promise<CachedSchemas> {
    return this.cache.get(`${name}@${version}`, async () => {
      const environment = await this.store.version('environment', name, version);
      const catalog = new InMemoryCatalog(await loadEnvironmentClosure(this.dataSource.manager, environment));
      const schemas = buildEnvironmentSchemas({ name, version, body: environment.body as EnvironmentBody }, {
        field: (field, at) => catalog.body('field', field, at) as FieldBody,
        event: (event, at) => catalog.body('event', event, at) as EventBody,
      });
      return { schemas };
    });
  }
}
