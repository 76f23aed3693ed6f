import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { applyFilesInMemory, formatIssues, type InMemoryCatalog } from '@tagplan/catalog';

/** The shared conformance catalog and test vectors (see catalog.yaml and make-vectors.py). */
export const CONFORMANCE_DIR = __dirname;

export interface ConformanceCase {
  name: string;
  data_json: string;
  valid: boolean;
  errors?: { field: string; rule: string }[];
}

export interface ConformanceVectors {
  environment: string;
  event: string;
  cases: ConformanceCase[];
}

export function conformanceVectors(): ConformanceVectors {
  return JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, 'vectors.json'), 'utf8')) as ConformanceVectors;
}

export function conformanceCatalog(): InMemoryCatalog {
  const content = parse(readFileSync(path.join(CONFORMANCE_DIR, 'catalog.yaml'), 'utf8')) as unknown;
  const catalog = applyFilesInMemory([{ name: 'catalog.yaml', content }]);
  if (!catalog.ok) throw new Error(`conformance catalog.yaml:\n${formatIssues(catalog.issues)}`);
  return catalog.value;
}
