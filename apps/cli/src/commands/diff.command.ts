import { Command } from 'commander';
import { diffBodies, fetchRepinned, repinJudge, type EntityKind, type EntityVersion } from '@tagplan/catalog';
import { RegistryError, type RegistryClient } from '@tagplan/registry-client';
import { candidateKinds, parseEntityRef, type EntityRef } from '../entity-ref';
import { clientFor, CliError, emit } from '../output';

/** `tagplan diff A@1 A@2`: the structured difference between two versions, with breaking labels. */
export function diffCommand(): Command {
  return new Command('diff')
    .description('show what changed between two versions (e.g. user_id@1 user_id@2, or field:user_id@1 ...)')
    .argument('<from>', 'NAME@VERSION or KIND:NAME@VERSION')
    .argument('<to>', 'NAME@VERSION or KIND:NAME@VERSION')
    .action(async (fromText: string, toText: string, _options: unknown, command: Command) => {
      const client = clientFor(command);
      const from = await fetchVersion(client, parseEntityRef(fromText, true));
      const to = await fetchVersion(client, parseEntityRef(toText, true), from.kind);
      if (from.kind !== to.kind) throw new CliError(`cannot compare ${article(from.kind)} with ${article(to.kind)}`);
      // Re-pins are judged by the versions they move between, fetched from the registry.
      const repinned = await fetchRepinned([{ kind: from.kind, before: from.body, after: to.body }], (wanted) =>
        Promise.all(wanted.map((key) => client.version(key.kind, key.name, key.version))),
      );
      const changes = diffBodies(from.kind, from.body, to.body, repinJudge((kind, name, version) => repinned.body(kind, name, version)));
      const result = { kind: from.kind, from: `${from.name}@${from.version}`, to: `${to.name}@${to.version}`, breaking: changes.some((change) => change.breaking), changes };
      emit(command, result, () => [
        `${from.kind} ${result.from} -> ${result.to}: ${changes.length === 0 ? 'identical' : `${changes.length} change(s)${result.breaking ? ', BREAKING' : ''}`}`,
        ...changes.map((change) => {
          const values = change.op === 'replace' ? `${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}` : JSON.stringify(change.op === 'add' ? change.after : change.before);
          return `  ${change.op.padEnd(7)} ${change.path || '/'}  ${values}${change.breaking ? '  BREAKING' : ''}`;
        }),
      ]);
    });
}

function article(kind: EntityKind): string {
  return `${kind.startsWith('e') ? 'an' : 'a'} ${kind}`;
}

async function fetchVersion(client: RegistryClient, ref: EntityRef, preferred?: EntityKind): Promise<EntityVersion> {
  const kinds = preferred && !ref.kind ? [preferred] : candidateKinds(ref);
  const found: EntityVersion[] = [];
  for (const kind of kinds) {
    try {
      found.push(await client.version(kind, ref.name, ref.version as number));
    } catch (error) {
      if (!(error instanceof RegistryError && error.status === 404)) throw error;
    }
  }
  if (found.length === 0) throw new CliError(`there is no ${kinds.join(' or ')} ${ref.name}@${ref.version}`);
  if (found.length > 1) throw new CliError(`${ref.name}@${ref.version} is both a field and an event: write field:${ref.name}@${ref.version} or event:${ref.name}@${ref.version}`, 2);
  return found[0] as EntityVersion;
}
