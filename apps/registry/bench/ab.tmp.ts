import { existsSync } from 'node:fs';
import { loadRegistryConfig, startRegistry } from '@tagplan/registry';
async function main() {
  const url = process.env['AB_DB'];
  const registry = await startRegistry(loadRegistryConfig({ port: Number(process.env['AB_PORT']), dataDir: '/tmp/tp-prof/data', seedDemo: false, ...(url ? { databaseUrl: url } : {}) }, {}));
  process.stdout.write(`READY ${registry.databaseUrl}\n`);
  while (!existsSync('/tmp/prof/stop')) await new Promise((r) => setTimeout(r, 200));
  await registry.close();
}
void main();
