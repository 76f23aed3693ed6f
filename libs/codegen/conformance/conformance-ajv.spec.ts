import { CatalogValidator, schemasFromCatalog } from '@tagplan/json-schema';
import { conformanceCatalog, conformanceVectors } from './conformance-fixtures';

/** The reference verdicts: ajv over the JSON Schema the registry serves. Every langpack must agree. */
describe('conformance vectors under ajv and the registry JSON Schema', () => {
  const vectors = conformanceVectors();
  const validator = new CatalogValidator(schemasFromCatalog(conformanceCatalog(), vectors.environment));

  test.each(vectors.cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const verdict = validator.validate(vectors.event, 1, JSON.parse(entry.data_json));
    const errors = verdict.valid ? [] : verdict.violations.map((violation) => ({ field: violation.path.split('/')[1] ?? '', rule: violation.rule }));
    expect({ valid: verdict.valid, errors: dedupe(errors) }).toEqual({ valid: entry.valid, errors: entry.errors ?? [] });
  });
});

function dedupe(errors: { field: string; rule: string }[]): { field: string; rule: string }[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.field}:${error.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
