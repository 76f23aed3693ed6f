import { loadRegistryConfig, startRegistry } from '@tagplan/registry';
import { Client } from 'pg';
const stats = new Map<string, { n: number; ms: number }>();
let on = false;
const original = Client.prototype.query as any;
(Client.prototype as any).query = function (this: unknown, ...args: any[]) {
  const text = typeof args[0] === 'string' ? args[0] : args[0]?.text ?? '?';
  const start = performance.now();
  const result = original.apply(this, args);
  if (on && result && typeof result.then === 'function') {
    result.then(() => {
      const key = String(text).replace(/\s+/g, ' ').slice(0, 110);
      const s = stats.get(key) ?? { n: 0, ms: 0 };
      s.n += 1; s.ms += performance.now() - start; stats.set(key, s);
    }, () => undefined);
  }
  return result;
};
async function main() {
  const config = loadRegistryConfig({ port: 4555, dataDir: '/tmp/tp-prof/data', seedDemo: false }, {});
  const registry = await startRegistry(config);
  on = true;
  const { spawn } = await import('node:child_process');
  await new Promise<void>((resolve) => spawn(process.execPath, process.argv.slice(2), { stdio: 'inherit' }).on('close', () => resolve()));
  on = false;
  for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) console.log(String(s.n).padStart(6), (s.ms / s.n).toFixed(3).padStart(8), 'ms avg', k);
  await registry.close();
}
void main();
