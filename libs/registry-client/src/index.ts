export { RegistryClient, RegistryError } from './registry-client';
export type { ChangelogEntry, EntityWithVersions } from './registry-client';
