export { startSchemaCheckingCollector } from './schema-checking-collector';
export type { ReceivedBatch, SchemaCheckingCollector } from './schema-checking-collector';
export { demoCatalog } from './demo-catalog';
export { conformanceCatalog, conformanceVectors, CONFORMANCE_DIR } from '../../conformance/conformance-fixtures';
export type { ConformanceCase, ConformanceVectors } from '../../conformance/conformance-fixtures';
