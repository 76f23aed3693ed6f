export { RegistryClient, RegistryError } from './registry-client';
export type {
  ChangelogEntry,
  CollectorCatalogAnswer,
  CountsListing,
  CountsReport,
  EntityWithVersions,
  EventVersionCounts,
  MinuteCount,
  Tally,
  WriteKeyView,
} from './registry-client';
