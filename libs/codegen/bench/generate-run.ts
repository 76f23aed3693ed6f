import { buildLangpackModel, generateLangpack, LANGUAGES } from '@tagplan/langpacks';
import { syntheticCatalog } from './synthetic-catalog';

/**
 * Run in its own process by codegen.bench.ts, so that its peak memory is its own: all four
 * langpacks of one synthetic environment. Prints one JSON line.
 */
const events = Number(process.argv[2] ?? 1000);
const catalog = syntheticCatalog(events, 10, 2000);
const model = buildLangpackModel(catalog, 'bench-env');
const started = process.hrtime.bigint();
const perLanguage: Record<string, number> = {};
let bytes = 0;
for (const language of LANGUAGES) {
  const languageStarted = process.hrtime.bigint();
  for (const file of generateLangpack(language, model)) bytes += file.content.length;
  perLanguage[language] = Number(process.hrtime.bigint() - languageStarted) / 1e6;
}
const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ events, totalMs, perLanguage, outputMb: bytes / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
