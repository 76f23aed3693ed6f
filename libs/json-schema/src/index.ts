export { buildEnvironmentSchemas, buildEventSchema, fieldSchema, JSON_SCHEMA_DIALECT } from './event-schema';
export type { CatalogLookup, EventSchema, JsonSchemaObject } from './event-schema';
export { CatalogValidator, createAjv, toViolation } from './validator';
export type { DataViolation, EventVerdict } from './validator';
export { validateEventLines } from './jsonl';
export type { LineResult, LineSummary } from './jsonl';
export { mergeNewestFirst, schemasFromCatalog } from './from-catalog';
export { FORMAT_CHECKS, isDate, isDateTime, isEmail, isUri, isUuid } from './formats';
export { DATE_PATTERN, DATE_TIME_PATTERN, EMAIL_PATTERN, URI_PATTERN, UUID_PATTERN } from './formats';
