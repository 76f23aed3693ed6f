import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFORMANCE_DIR, conformanceCatalog, conformanceVectors, type ConformanceCase } from '@tagplan/codegen-testing';
import { buildTypescriptView } from '@tagplan/codegen-typescript';
import { FIXTURES, installLangpack, runNodeJson, temporaryDirectory } from './support';

interface Verdict {
  name: string;
  checked: { valid: boolean; errors: { field: string; rule: string }[] };
  typed:
    | { skipped: string }
    | { crashed: string }
    | { valid: true; roundTrip: boolean }
    | { valid: false; event: string; field: string; rule: string; errors: { field: string; rule: string }[] };
}

/**
 * The shared vectors through the generated TypeScript langpack, decoded by Node's own
 * JSON.parse: validateEvent must give ajv's verdicts on every case, and the typed API
 * must accept exactly the valid data (and give it back unchanged) and refuse the rest
 * with the expected field and rule.
 */
describe('conformance vectors through the TypeScript langpack', () => {
  const vectors = conformanceVectors();
  let verdicts: Map<string, Verdict>;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    const root = await temporaryDirectory('conformance');
    remove = root.remove;
    const { model, directory } = await installLangpack(root.path, conformanceCatalog(), vectors.environment);
    const event = buildTypescriptView(model).events.find((entry) => entry.catalogName === vectors.event);
    if (!event) throw new Error(`the conformance langpack has no ${vectors.event}`);
    const api = {
      className: event.className,
      fields: Object.fromEntries(event.fields.map((field) => [field.wireName, { property: field.property, setter: field.setter, required: field.required }])),
    };
    const apiPath = path.join(root.path, 'api.json');
    await writeFile(apiPath, JSON.stringify(api));
    const printed = await runNodeJson<Verdict[]>([path.join(FIXTURES, 'conformance-driver.mjs'), directory, path.join(CONFORMANCE_DIR, 'vectors.json'), apiPath]);
    verdicts = new Map(printed.map((verdict) => [verdict.name, verdict]));
  }, 120_000);

  afterAll(() => remove?.());

  test('the driver answered every case', () => {
    expect(vectors.cases.length).toBe(113);
    expect([...verdicts.keys()]).toEqual(vectors.cases.map((entry) => entry.name));
  });

  describe('validateEvent agrees with ajv', () => {
    test.each(vectors.cases.map((entry) => [entry.name, entry] as const))('%s', (name, entry) => {
      const verdict = verdicts.get(name) as Verdict;
      expect({ valid: verdict.checked.valid, errors: asSet(verdict.checked.errors) }).toEqual({ valid: entry.valid, errors: asSet(entry.errors ?? []) });
    });
  });

  describe('the typed API agrees', () => {
    const typedCases = vectors.cases.filter((entry) => !(entry.errors ?? []).some((error) => error.rule === 'additionalProperties'));

    test('only data the typed API cannot express is left out', () => {
      const skipped = vectors.cases.filter((entry) => 'skipped' in (verdicts.get(entry.name) as Verdict).typed).map((entry) => entry.name);
      expect(skipped).toEqual(vectors.cases.filter((entry) => !typedCases.includes(entry)).map((entry) => entry.name));
    });

    test.each(typedCases.map((entry) => [entry.name, entry] as const))('%s', (name, entry: ConformanceCase) => {
      const typed = (verdicts.get(name) as Verdict).typed;
      if (entry.valid) {
        expect(typed).toEqual({ valid: true, roundTrip: true });
      } else {
        expect(typed).toMatchObject({ valid: false, event: vectors.event });
        const thrown = typed as { field: string; rule: string; errors: { field: string; rule: string }[] };
        // The first failing setter throws, so the error names one of the expected violations, and only expected ones.
        expect(entry.errors).toContainEqual({ field: thrown.field, rule: thrown.rule });
        for (const error of thrown.errors) expect(entry.errors).toContainEqual(error);
      }
    });
  });
});

function asSet(errors: { field: string; rule: string }[]): string[] {
  return [...new Set(errors.map((error) => `${error.field}:${error.rule}`))].sort();
}
