export { COLLECTOR_VERSION, startCollector } from './collector-server';
export type { RunningCollector, StartCollectorOptions } from './collector-server';
export { CollectorConfigError, DEFAULT_COLLECTOR_PORT, loadCollectorConfig, MIN_PII_SECRET_LENGTH } from './config/collector-config';
export type { CatalogConfig, CollectorConfig } from './config/collector-config';
