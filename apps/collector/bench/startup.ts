import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createJsonLogger, documentFromFile, ValidatorCache } from '@tagplan/collector';
import { readFileSync } from 'node:fs';
import { loadCollectorConfig, startCollector } from '../src';
import { syntheticDocument } from './bench-payloads';

/**
 * Start-up with a large catalog, for collector.bench.ts (each mode in a fresh process, on
 * the collector's core):
 *   collector <file>  start the collector (file catalog, file sink) until it listens;
 *   ajv <count>       compile the schemas of <count> synthetic event types with the collector's ValidatorCache.
 * Prints {ms}.
 */
async function main(): Promise<void> {
  const [mode, argument] = process.argv.slice(2);
  if (mode === 'collector') {
    const dir = await mkdtemp(path.join(tmpdir(), 'tagplan-bench-startup-'));
    try {
      const started = performance.now();
      const running = await startCollector(
        loadCollectorConfig({ port: 0, catalog: { kind: 'file', file: argument as string, writeKeys: [] }, dataDir: dir, piiSecret: 'bench-pii-secret-0123456789', instanceId: 'bench' }, {}),
        { logger: createJsonLogger('error') },
      );
      const ms = performance.now() - started;
      await running.close();
      process.stdout.write(`${JSON.stringify({ ms })}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } else if (mode === 'ajv') {
    // Parsing the file is not compiling: done before the clock starts.
    const { schemas } = syntheticDocument(Number(argument), 'tpw_bench_unused_key_0000');
    const started = performance.now();
    const cache = new ValidatorCache();
    for (const schema of schemas) cache.validator(schema.schema);
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, validators: cache.size })}\n`);
  } else if (mode === 'parse') {
    // How long reading and checking the document takes on its own (part of the collector's start-up).
    const started = performance.now();
    documentFromFile(readFileSync(argument as string, 'utf8'), [], argument as string);
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
  } else {
    throw new Error('usage: startup.ts collector <file> | ajv <count> | parse <file>');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
