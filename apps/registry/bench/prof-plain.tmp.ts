import { loadRegistryConfig, startRegistry } from '@tagplan/registry';
async function main() {
  const registry = await startRegistry(loadRegistryConfig({ port: 4555, dataDir: '/tmp/tp-prof/data', seedDemo: false }, {}));
  const { spawn } = await import('node:child_process');
  for (let i = 0; i < Number(process.env['REPS'] ?? 1); i++)
    await new Promise<void>((resolve) => spawn(process.execPath, process.argv.slice(2), { stdio: 'inherit' }).on('close', () => resolve()));
  await registry.close();
}
void main();
