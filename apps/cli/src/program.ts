import { Command } from 'commander';
import { adminCommand } from './commands/admin.command';
import { applyCommand } from './commands/apply.command';
import { diffCommand } from './commands/diff.command';
import { exportCommand } from './commands/export.command';
import { generateCommand } from './commands/generate.command';
import { keysCommand } from './commands/keys.command';
import { serveCommand } from './commands/serve.command';
import { validateCommand } from './commands/validate.command';
import { DEFAULT_URL } from './config';

export function createProgram(): Command {
  const program = new Command('tagplan')
    .description('Tagplan: the event catalog for product analytics')
    .option('--url <url>', `registry URL (default: TAGPLAN_URL or ${DEFAULT_URL})`)
    .option('--token <token>', 'API token (default: TAGPLAN_TOKEN)')
    .option('--json', 'machine-readable output');
  for (const command of [serveCommand(), applyCommand(), exportCommand(), diffCommand(), validateCommand(), generateCommand(), keysCommand(), adminCommand()]) {
    program.addCommand(command);
  }
  throwInsteadOfExiting(program);
  return program;
}

/** Usage errors become exceptions (exit code 2 in main) at every level of subcommands. */
function throwInsteadOfExiting(command: Command): void {
  command.exitOverride().showHelpAfterError();
  command.commands.forEach(throwInsteadOfExiting);
}
