import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { applyFilesInMemory, formatIssues, type InMemoryCatalog } from '@tagplan/catalog';

const DEMO_DIR = path.resolve(__dirname, '../../../../apps/registry/src/demo');

/** The demo catalog `tagplan serve` seeds, built in memory from its files. */
export function demoCatalog(): InMemoryCatalog {
  const files = readdirSync(DEMO_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ name, content: parse(readFileSync(path.join(DEMO_DIR, name), 'utf8')) as unknown }));
  const catalog = applyFilesInMemory(files, 'tagplan-demo');
  if (!catalog.ok) throw new Error(`the demo catalog is invalid:\n${formatIssues(catalog.issues)}`);
  return catalog.value;
}
