import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parse } from 'yaml';
import type { PlannedRouting, PlannedVersion } from '@tagplan/catalog';
import { RegistryError } from '@tagplan/registry-client';
import { clientFor, CliError, emit } from '../output';

/** `tagplan apply FILE`: make the registry match a catalog file (DESIGN §7). */
export function applyCommand(): Command {
  return new Command('apply')
    .description('make the registry match a catalog file: new versions only where something changed')
    .argument('<file>', 'catalog file (YAML or JSON)')
    .option('--dry-run', 'print the plan without writing anything')
    .option('-m, --message <message>', 'the change-log message (overrides `message:` in the file)')
    .action(async (file: string, options: { dryRun?: boolean; message?: string }, command: Command) => {
      const catalog = await readCatalogFile(file);
      const result = await clientFor(command)
        .apply(catalog, { dryRun: options.dryRun === true, ...(options.message ? { message: options.message } : {}) })
        .catch((error: unknown) => {
          // The registry names the place in the catalog; say which file it is in.
          if (error instanceof RegistryError && error.code === 'invalid_body') throw new RegistryError(error.status, error.code, `${file}: ${error.message}`, error.issues);
          throw error;
        });
      emit(command, result, () => describePlan(file, result.versions, result.routing, result.dry_run));
    });
}

export async function readCatalogFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new CliError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
}

function describePlan(file: string, versions: PlannedVersion[], routing: PlannedRouting | undefined, dryRun: boolean): string[] {
  if (versions.length === 0 && !routing) return [`Nothing to do: the registry already matches ${file}.`];
  const lines = versions.flatMap((version) => {
    const breaking = version.changes.filter((change) => change.breaking).length;
    const head = version.version === 1 ? `  + ${version.kind} ${version.name}@1 (new)` : `  ~ ${version.kind} ${version.name}@${version.version}${breaking > 0 ? `  (${breaking} breaking)` : ''}`;
    const changes = version.version === 1 ? [] : version.changes.map((change) => `      ${change.op} ${change.path}${describeValues(change)}${change.breaking ? '  BREAKING' : ''}`);
    return [head, ...changes];
  });
  if (routing) {
    const head = routing.version === 1 ? `  + routing@1 (new)` : `  ~ routing@${routing.version}`;
    lines.push(head, ...routing.changes.map((change) => `      ${change.op} ${change.path}${describeValues(change)}`));
  }
  const what = [versions.length > 0 || !routing ? `${versions.length} version(s)` : '', routing ? `routing version ${routing.version}` : ''].filter(Boolean).join(' and ');
  const summary = dryRun ? `Dry run: ${what} would be created; nothing was written.` : `Created ${what}.`;
  return [...lines, summary];
}

function describeValues(change: { op: string; before?: unknown; after?: unknown }): string {
  const show = (value: unknown) => {
    const text = JSON.stringify(value) ?? '';
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  if (change.op === 'replace') return `: ${show(change.before)} -> ${show(change.after)}`;
  if (change.op === 'add') return `: ${show(change.after)}`;
  return `: ${show(change.before)}`;
}
