import { InputData, JSONSchemaInput, quicktype } from 'quicktype-core';
import { schemasFromCatalog } from '@tagplan/json-schema';
import { syntheticCatalog } from './synthetic-catalog';

/**
 * Run in its own process by codegen.bench.ts: quicktype-core generating only the types of
 * the same events in the same four languages, for comparison. Prints one JSON line.
 */
async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 1000);
  const schemas = schemasFromCatalog(syntheticCatalog(events, 10, 2000), 'bench-env');
  const started = process.hrtime.bigint();
  const perLanguage: Record<string, number> = {};
  for (const lang of ['typescript', 'php', 'go', 'python'] as const) {
    const languageStarted = process.hrtime.bigint();
    const input = new JSONSchemaInput(undefined);
    for (const entry of schemas) {
      const { $schema: _dialect, $id: _id, ...schema } = entry.schema;
      await input.addSource({ name: entry.event_name, schema: JSON.stringify(schema) });
    }
    const inputData = new InputData();
    inputData.addInput(input);
    const result = await quicktype({ inputData, lang, rendererOptions: { 'just-types': 'true' } });
    if (result.lines.length === 0) throw new Error(`quicktype produced nothing for ${lang}`);
    perLanguage[lang] = Number(process.hrtime.bigint() - languageStarted) / 1e6;
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ totalMs, perLanguage, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
