import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { formatIssues, parseCatalogFile } from '@tagplan/catalog';
import type { CatalogStore } from '../modules/catalog/catalog-store.service';

export const DEMO_DIR = __dirname;
export const DEMO_AUTHOR = 'tagplan-demo';

/** The demo catalog files, in the order they are applied. */
export async function demoCatalogFiles(): Promise<string[]> {
  return (await readdir(DEMO_DIR)).filter((name) => name.endsWith('.yaml')).sort();
}

/** Applies the demo marketplace catalog, one change-log entry per file. */
export async function seedDemoCatalog(store: CatalogStore): Promise<string[]> {
  const files = await demoCatalogFiles();
  for (const name of files) {
    const parsed = parseCatalogFile(parse(await readFile(path.join(DEMO_DIR, name), 'utf8')));
    if (!parsed.ok) throw new Error(`demo catalog ${name} is invalid:\n${formatIssues(parsed.issues)}`);
    await store.apply(parsed.value, DEMO_AUTHOR, parsed.value.message ?? `Demo catalog: ${name}`, false);
  }
  return files;
}
