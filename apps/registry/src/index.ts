export { startRegistry } from './registry';
export type { RunningRegistry } from './registry';
export { ConfigError, loadRegistryConfig } from './config/registry-config';
export type { RegistryConfig } from './config/registry-config';
export { freePort } from './database/embedded-postgres';
