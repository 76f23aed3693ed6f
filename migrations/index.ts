import { Catalog1763856000000 } from './1763856000000-catalog';
import { Auth1763856001000 } from './1763856001000-auth';

/** Every migration, oldest first. Append only: a committed migration is never rewritten. */
export const MIGRATIONS = [Catalog1763856000000, Auth1763856001000];
