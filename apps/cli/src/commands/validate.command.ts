import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { formatIssues, InMemoryCatalog, parseSnapshot } from '@tagplan/catalog';
import { CatalogValidator, mergeNewestFirst, schemasFromCatalog, validateEventLines, type EventSchema, type LineResult } from '@tagplan/json-schema';
import type { RegistryClient } from '@tagplan/registry-client';
import { parseEntityRef } from '../entity-ref';
import { clientFor, CliError, globals, progress } from '../output';

/** `tagplan validate --env web-frontend@3 events.jsonl`: check event data as the collector would. */
export function validateCommand(): Command {
  return new Command('validate')
    .description('check JSON lines of {event_name, event_version, data} against an environment; exit 1 if any is invalid')
    .requiredOption('-e, --env <environment>', 'NAME (every version the environment ever pinned) or NAME@VERSION')
    .option('--snapshot <file>', 'use a snapshot (tagplan export --snapshot) instead of asking the registry')
    .argument('<file>', 'JSON lines; - for standard input')
    .action(async (file: string, options: { env: string; snapshot?: string }, command: Command) => {
      const env = parseEntityRef(options.env, false);
      if (env.kind && env.kind !== 'environment') throw new CliError(`--env needs an environment, not a ${env.kind}`, 2);
      const schemas = options.snapshot ? await fromSnapshot(options.snapshot, env.name, env.version) : await fromRegistry(clientFor(command), env.name, env.version);
      const validator = new CatalogValidator(schemas);
      const json = globals(command).json === true;
      const show = progress(command);
      const invalid: LineResult[] = [];
      const input = file === '-' ? process.stdin : createReadStream(file);
      const opened = new Promise<void>((resolve, reject) => {
        input.once('error', (error: Error) => reject(new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
        input.once('readable', () => resolve());
        input.once('end', () => resolve());
      });
      await opened;
      const summary = await validateEventLines(createInterface({ input, crlfDelay: Infinity }), validator, (result) => {
        if (!result.valid) {
          if (json) invalid.push(result);
          else {
            // A line that is not JSON (or has no event_name) has no event to name.
            const event = result.event_name === undefined ? '' : `${result.event_name}${result.event_version !== undefined ? `@${result.event_version}` : ''}: `;
            for (const violation of result.violations) process.stdout.write(`${file}:${result.line}: ${event}${violation.message}\n`);
          }
        }
        if (result.line % 10_000 === 0) show(`checked ${result.line} lines…`);
      });
      show('');
      if (json) process.stdout.write(`${JSON.stringify({ ...summary, invalid_lines: invalid }, null, 2)}\n`);
      else process.stdout.write(`${summary.lines} event(s) checked: ${summary.valid} valid, ${summary.invalid} invalid\n`);
      if (summary.invalid > 0) process.exitCode = 1;
    });
}

async function fromRegistry(client: RegistryClient, environment: string, version?: number): Promise<EventSchema[]> {
  if (version !== undefined) return client.schemas(environment, version);
  const { latest_version: latest } = await client.entity('environment', environment);
  const versions = Array.from({ length: latest }, (_, index) => latest - index);
  return mergeNewestFirst(await Promise.all(versions.map((number) => client.schemas(environment, number))));
}

async function fromSnapshot(file: string, environment: string, version?: number): Promise<EventSchema[]> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read the snapshot ${file}: ${(error as Error).message}`);
  }
  const snapshot = parseSnapshot(input);
  if (!snapshot.ok) throw new CliError(`${file} is not a usable snapshot`, 1, formatIssues(snapshot.issues).split('\n'));
  try {
    return schemasFromCatalog(new InMemoryCatalog(snapshot.value.versions), environment, version);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
