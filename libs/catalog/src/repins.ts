import { repinsOf } from './diff';
import type { EntityKind, EntityVersion } from './model';
import { InMemoryCatalog } from './snapshot';

export interface VersionKey {
  kind: EntityKind;
  name: string;
  version: number;
}

/**
 * The versions that judging the re-pins from `before` to `after` bodies needs (see
 * repinJudge): both ends of every re-pin, and of the re-pins of re-pinned events in turn.
 * Fetched level by level, environment to event, event to field: `fetch` is called at most
 * twice, with what is still missing.
 */
export async function fetchRepinned(
  entries: { kind: EntityKind; before: unknown; after: unknown }[],
  fetch: (wanted: VersionKey[]) => Promise<EntityVersion[]>,
): Promise<InMemoryCatalog> {
  const versions: EntityVersion[] = [];
  let loaded = new InMemoryCatalog(versions);
  let repins = entries.flatMap((entry) => repinsOf(entry.kind, entry.before, entry.after));
  while (repins.length > 0) {
    const wanted = new Map<string, VersionKey>();
    for (const repin of repins) {
      for (const version of [repin.before, repin.after]) {
        if (loaded.body(repin.kind, repin.name, version) === undefined) wanted.set(`${repin.kind}:${repin.name}@${version}`, { kind: repin.kind, name: repin.name, version });
      }
    }
    if (wanted.size === 0) break;
    versions.push(...(await fetch([...wanted.values()])));
    loaded = new InMemoryCatalog(versions);
    // The events re-pinned: their own re-pins (of fields) come next.
    repins = repins
      .filter((repin) => repin.kind === 'event')
      .flatMap((repin) => repinsOf('event', loaded.body('event', repin.name, repin.before), loaded.body('event', repin.name, repin.after)));
  }
  return loaded;
}
