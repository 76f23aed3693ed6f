import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeGeneratedFiles } from '@tagplan/codegen-core';
import { conformanceCatalog, demoCatalog } from '@tagplan/codegen-testing';
import { buildLangpackModel, generateLangpack, type Language } from '@tagplan/langpacks';

/**
 * `npm run bench:codegen` (issue 3): generation time and memory against quicktype-core,
 * and each language's cost per event of build + validate + enqueue. Prints figures; it is
 * not a test. Absolute times drift on shared machines; the ratios of one run hold.
 */
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const REGISTER = path.join(ROOT, 'tools/register.js');

async function child(script: string, ...args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run(process.execPath, ['-r', REGISTER, path.join(__dirname, script), ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop() as string);
}

async function generateInto(work: string, language: Language, catalog: ReturnType<typeof demoCatalog>, environment: string): Promise<string> {
  const directory = path.join(work, language, environment);
  await writeGeneratedFiles(directory, generateLangpack(language, buildLangpackModel(catalog, environment)));
  return directory;
}

async function perEvent(work: string): Promise<Record<string, string>> {
  const fixtures = (language: string, file: string) => path.join(ROOT, 'libs/codegen', language, 'test/fixtures', file);
  const results: Record<string, string> = {};
  const attempt = async (language: string, measure: () => Promise<string>) => {
    try {
      results[language] = await measure();
    } catch (error) {
      results[language] = `not measured: ${(error as Error).message.split('\n')[0]}`;
    }
  };
  await attempt('typescript', async () => {
    const directory = await generateInto(work, 'typescript', conformanceCatalog(), 'conformance-env');
    const { stdout } = await run(process.execPath, [fixtures('typescript', 'bench-track.mjs'), directory, '200000']);
    const figures = JSON.parse(stdout) as { label: string; nsPerEvent?: number }[];
    return figures.filter((entry) => entry.nsPerEvent !== undefined).map((entry) => `${entry.label} ${(entry.nsPerEvent as number).toFixed(0)} ns`).join(', ');
  });
  await attempt('php', async () => {
    const directory = await generateInto(work, 'php', demoCatalog(), 'web-frontend');
    await run('composer', ['dump-autoload', '--quiet'], { cwd: directory, env: { ...process.env, COMPOSER_HOME: path.join(work, 'composer-home'), COMPOSER_NO_INTERACTION: '1' } });
    const { stdout } = await run('php', ['-d', 'opcache.enable_cli=1', fixtures('php', 'bench.php'), path.join(directory, 'vendor/autoload.php'), '100000']);
    return stdout.trim().replace(/\s+/g, ' ');
  });
  await attempt('python', async () => {
    const directory = await generateInto(work, 'python', demoCatalog(), 'web-frontend');
    const { stdout } = await run('python3', [fixtures('python', 'bench_events.py'), '200000'], { env: { ...process.env, PYTHONPATH: directory } });
    return stdout.trim().replace(/\s+/g, ' ');
  });
  await attempt('go', async () => {
    const directory = await generateInto(work, 'go', demoCatalog(), 'web-frontend');
    const consumer = path.join(work, 'go-consumer');
    await mkdir(path.join(consumer, 'bench'), { recursive: true });
    await writeFile(path.join(consumer, 'go.mod'), `module consumer\n\ngo 1.21\n\nrequire example.com/tagplan/webfrontend v0.0.0\n\nreplace example.com/tagplan/webfrontend => ${directory}\n`);
    await copyFile(fixtures('go', 'consumer/bench/bench_test.go'), path.join(consumer, 'bench', 'bench_test.go'));
    const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOWORK: 'off', GOTOOLCHAIN: 'local' };
    const { stdout } = await run('go', ['test', '-run', '^$', '-bench', 'BuildValidateEnqueue', '-benchmem', '-benchtime', '200000x', './bench'], { cwd: consumer, env });
    return stdout.split('\n').filter((entry) => entry.startsWith('Benchmark')).join('; ').replace(/\s+/g, ' ');
  });
  return results;
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log('Tagplan codegen benchmark');
  console.log(`machine   ${cpus.length} cpus (${cpus[0]?.model ?? '?'}), load ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}; node ${process.version}`);
  console.error('generating the 1,000-event environment (all four languages)…');
  const thousand = await child('generate-run.ts', '1000');
  console.error('generating the 5,000-event catalog (all four languages)…');
  const fiveThousand = await child('generate-run.ts', '5000');
  console.error('quicktype-core on the same 1,000 events (types only; about half a minute)…');
  const quicktype = await child('quicktype-run.ts', '1000');
  const work = await mkdtemp(path.join(os.tmpdir(), 'tagplan-codegen-bench-'));
  console.error('per-event cost in each language…');
  const costs = await perEvent(work).finally(() => rm(work, { recursive: true, force: true }));

  const ratio = quicktype['totalMs'] / thousand['totalMs'];
  const line = (label: string, figures: Record<string, any>) =>
    `${label.padEnd(44)} ${(figures['totalMs'] / 1000).toFixed(2).padStart(7)} s  peak RSS ${figures['maxRssMb'].toFixed(0).padStart(5)} MB  (${Object.entries(figures['perLanguage'] as Record<string, number>).map(([language, ms]) => `${language} ${(ms / 1000).toFixed(2)} s`).join(', ')})`;
  console.log('');
  console.log(line('tagplan: 4 langpacks, 1,000 events x 10 fields', thousand) + `  ${thousand['outputMb'].toFixed(1)} MB of code`);
  console.log(line('tagplan: 4 langpacks, 5,000 events x 10 fields', fiveThousand) + `  ${fiveThousand['outputMb'].toFixed(1)} MB of code`);
  console.log(line('quicktype-core: types only, 1,000 events', quicktype));
  console.log('');
  console.log(`ratio quicktype / tagplan (1,000 events): ${ratio.toFixed(1)}x   target >= 10x: ${ratio >= 10 ? 'PASS' : 'MISS'}`);
  console.log(`peak memory tagplan / quicktype: ${thousand['maxRssMb'].toFixed(0)} / ${quicktype['maxRssMb'].toFixed(0)} MB   target below: ${thousand['maxRssMb'] < quicktype['maxRssMb'] ? 'PASS' : 'MISS'}`);
  console.log('');
  console.log('per event, build + validate + enqueue (targets: Go < 2 µs, TypeScript < 5 µs, PHP and Python < 20 µs):');
  for (const [language, figures] of Object.entries(costs)) console.log(`  ${language.padEnd(10)} ${figures}`);
  console.log(`BENCH_JSON ${JSON.stringify({ thousand, fiveThousand, quicktype, ratio, perEvent: costs })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
