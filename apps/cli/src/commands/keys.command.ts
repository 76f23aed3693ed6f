import { Command } from 'commander';
import type { WriteKeyView } from '@tagplan/registry-client';
import { clientFor, CliError, emit } from '../output';

/** `tagplan keys ...`: environments' write keys, which apps send events to the collector with. */
export function keysCommand(): Command {
  const keys = new Command('keys').description("manage environments' write keys (what apps send events to the collector with)");

  keys
    .command('create')
    .description('create a write key for an environment; the key is printed once, the registry keeps only its hash')
    .requiredOption('-e, --env <environment>', 'the environment the key sends for, e.g. web-frontend')
    .option('-n, --name <label>', 'what the key is for, e.g. production', 'default')
    .action(async (options: { env: string; name: string }, command: Command) => {
      const key = await clientFor(command).createWriteKey(options.env, options.name);
      emit(command, key, () => [`Created write key ${key.name} (${key.id}) for ${key.environment}. The key, shown only now:`, key.key]);
    });

  keys
    .command('list')
    .description('list write keys, of one environment or of all (never the keys themselves)')
    .option('-e, --env <environment>', 'only the keys of this environment')
    .action(async (options: { env?: string }, command: Command) => {
      const list = await clientFor(command).listWriteKeys(options.env);
      emit(command, list, () => (list.length === 0 ? [options.env ? `Environment ${options.env} has no write keys.` : 'There are no write keys.'] : list.map(describeKey)));
    });

  keys
    .command('revoke')
    .description('revoke a write key: collectors refuse it within seconds')
    .argument('<id>', 'the key id (from keys list)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const client = clientFor(command);
      // The API revokes a key under its environment; the id alone is what people have at hand.
      const key = (await client.listWriteKeys()).find((candidate) => candidate.id === id.toLowerCase());
      if (!key) throw new CliError(`there is no write key ${id}; \`tagplan keys list\` shows them`);
      const revoked = await client.revokeWriteKey(key.environment, key.id);
      const already = key.revoked_at !== null;
      emit(command, revoked, () => [already ? `Write key ${revoked.id} (${revoked.name}, ${revoked.environment}) was already revoked on ${revoked.revoked_at}.` : `Revoked write key ${revoked.id} (${revoked.name}, ${revoked.environment}).`]);
    });
  return keys;
}

function describeKey(key: WriteKeyView): string {
  return `${key.id}  ${key.environment.padEnd(20)} ${key.name.padEnd(16)} created ${key.created_at} by ${key.created_by.padEnd(12)} ${key.revoked_at ? `revoked ${key.revoked_at}` : 'active'}`;
}
