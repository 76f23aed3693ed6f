import { Command } from 'commander';
import { clientFor, CliError, emit } from '../output';

const ROLES = ['viewer', 'editor', 'admin'];
const SCOPES = ['read', 'write', 'publish'];

/** `tagplan admin ...`: users and API tokens (needs an admin token). */
export function adminCommand(): Command {
  const admin = new Command('admin').description('manage users and API tokens (needs an admin token)');

  admin
    .command('create-user')
    .description('create a user; with --password-stdin the user can also sign in with a password')
    .argument('<username>')
    .requiredOption('-r, --role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, options: { role: string; passwordStdin?: boolean }, command: Command) => {
      if (!ROLES.includes(options.role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`, 2);
      const password = options.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
      const user = await clientFor(command).createUser({ username, role: options.role, ...(password !== undefined ? { password } : {}) });
      emit(command, user, () => [`Created ${user.role} ${user.username}.`]);
    });

  admin
    .command('create-token')
    .description('create an API token; the secret is printed once')
    .requiredOption('-n, --name <name>', 'what the token is for, e.g. ci-publish')
    .option('-s, --scopes <scopes>', `comma-separated: ${SCOPES.join(', ')}`, 'read')
    .option('-u, --user <username>', 'the user the token acts for (default: you)')
    .action(async (options: { name: string; scopes: string; user?: string }, command: Command) => {
      const scopes = options.scopes.split(',').map((scope) => scope.trim()).filter(Boolean);
      const unknown = scopes.filter((scope) => !SCOPES.includes(scope));
      if (unknown.length > 0) throw new CliError(`unknown scope(s) ${unknown.join(', ')}; use ${SCOPES.join(', ')}`, 2);
      const token = await clientFor(command).createToken({ name: options.name, scopes, ...(options.user ? { username: options.user } : {}) });
      emit(command, token, () => [`Created token ${token.name} (${token.scopes.join(', ')}) for ${token.username}. Its secret, shown only now:`, token.token]);
    });

  admin
    .command('list-tokens')
    .description('list API tokens (never their secrets)')
    .action(async (_options: unknown, command: Command) => {
      const tokens = await clientFor(command).listTokens();
      emit(command, tokens, () => tokens.map((token) => `${token.id}  ${token.name.padEnd(20)} ${token.username.padEnd(12)} ${token.scopes.join(',').padEnd(20)} ${token.revoked_at ? `revoked ${token.revoked_at}` : 'active'}`));
    });

  admin
    .command('revoke-token')
    .argument('<id>', 'the token id (from list-tokens)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const token = await clientFor(command).revokeToken(id);
      emit(command, token, () => [`Revoked token ${token.id}.`]);
    });
  return admin;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
