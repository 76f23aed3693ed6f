import { rename, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { stringify } from 'yaml';
import type { RegistryClient } from '@tagplan/registry-client';
import { clientFor, CliError, globals } from '../output';

/** `tagplan export`: the registry as a catalog file, or as a full snapshot. */
export function exportCommand(): Command {
  return new Command('export')
    .description('write the registry as a catalog file (YAML), or every version with --snapshot (JSON)')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .option('--snapshot', 'every version of everything, numbered, and the latest routes (JSON): for backups and registry-less tools')
    .option('--collector', "the collector's catalog (JSON): the snapshot plus write keys as digests, for a collector started with no registry (needs a token)")
    .action(async (options: { out?: string; snapshot?: boolean; collector?: boolean }, command: Command) => {
      if (options.snapshot && options.collector) throw new CliError('--snapshot and --collector write different files: choose one', 2);
      const client = clientFor(command);
      const asJson = options.snapshot === true || options.collector === true || globals(command).json === true || options.out?.endsWith('.json') === true;
      const content = options.collector ? await collectorCatalog(client) : options.snapshot ? await client.snapshot() : await client.exportCatalog();
      const text = asJson ? `${JSON.stringify(content, null, 2)}\n` : stringify(content, { lineWidth: 0 });
      if (!options.out) {
        process.stdout.write(text);
        return;
      }
      // Written beside the target and renamed, so a crash never leaves half a file.
      const partial = `${options.out}.partial-${process.pid}`;
      try {
        await writeFile(partial, text);
        await rename(partial, options.out);
      } catch (error) {
        throw new CliError(`cannot write ${options.out}: ${(error as Error).message}`);
      }
      process.stderr.write(`Wrote ${options.out}\n`);
    });
}

async function collectorCatalog(client: RegistryClient): Promise<unknown> {
  const answer = await client.collectorCatalog();
  // Without an ETag to send, the registry always answers with the document.
  if (!answer.changed) throw new CliError('the registry answered 304 to a request without If-None-Match');
  return answer.document;
}
