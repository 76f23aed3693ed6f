export { startSchemaCheckingCollector } from './schema-checking-collector';
export type { ReceivedBatch, SchemaCheckingCollector } from './schema-checking-collector';
export { demoCatalog } from './demo-catalog';
export { conformanceCatalog, conformanceVectors, CONFORMANCE_DIR } from '@tagplan/codegen-conformance';
export type { ConformanceCase, ConformanceVectors } from '@tagplan/codegen-conformance';
export { toolchainTest } from './toolchain-test';
