import { Catalog1763856000000 } from './1763856000000-catalog';
import { Auth1763856001000 } from './1763856001000-auth';
import { Collector1763856002000 } from './1763856002000-collector';
import { ChangelogOrder1763856003000 } from './1763856003000-changelog-order';

/** Every migration, oldest first. Append only: a committed migration is never rewritten. */
export const MIGRATIONS = [Catalog1763856000000, Auth1763856001000, Collector1763856002000, ChangelogOrder1763856003000];
