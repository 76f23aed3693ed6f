import type { EnvironmentBody, EventBody, FieldBody } from '@tagplan/catalog';
import type { CatalogLookup } from '../src/event-schema';
import { loadFixture } from './load-fixture';

/** A small catalog (fixtures/catalog.json): field and event bodies keyed `name@version`, one environment version. */
export interface CatalogFixture {
  fields: Record<string, FieldBody>;
  events: Record<string, EventBody>;
  environment: { name: string; version: number; body: EnvironmentBody };
}

export const catalog = loadFixture<CatalogFixture>('catalog.json');

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the fixture has no ${what}`);
  return value;
}

export const fixtureLookup: CatalogLookup = {
  field: (name, version) => found(catalog.fields[`${name}@${version}`], `field ${name}@${version}`),
  event: (name, version) => found(catalog.events[`${name}@${version}`], `event ${name}@${version}`),
};
