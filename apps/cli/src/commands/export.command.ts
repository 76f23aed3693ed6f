import { rename, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { clientFor, CliError, globals } from '../output';

/** `tagplan export`: the registry as a catalog file, or as a full snapshot. */
export function exportCommand(): Command {
  return new Command('export')
    .description('write the registry as a catalog file (YAML), or every version with --snapshot (JSON)')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .option('--snapshot', 'every version of everything, numbered (JSON): for backups and registry-less tools')
    .action(async (options: { out?: string; snapshot?: boolean }, command: Command) => {
      const client = clientFor(command);
      const asJson = options.snapshot === true || globals(command).json === true || options.out?.endsWith('.json') === true;
      const content = options.snapshot ? await client.snapshot() : await client.exportCatalog();
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
