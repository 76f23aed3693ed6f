import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildLangpackModel, generateLangpack, LANGUAGES } from '@tagplan/langpacks';
import { demoCatalog } from '@tagplan/codegen-testing';

/**
 * generated/ holds the langpacks of the demo catalog, checked in. They must be exactly what
 * the generator makes today: after a change to the templates or the demo catalog, run
 * `npm run generate:demo` and commit the result.
 */
const GENERATED = path.resolve(__dirname, '../../../../generated');

function filesUnder(directory: string, prefix = ''): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => (statSync(path.join(directory, name)).isDirectory() ? filesUnder(path.join(directory, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

describe('generated/ matches the generator byte for byte', () => {
  const catalog = demoCatalog();
  const environments = catalog.names('environment');

  test('every environment of the demo catalog has a langpack in every language, and nothing else is there', () => {
    const expected = LANGUAGES.flatMap((language) => environments.map((environment) => `${language}/${environment}`)).sort();
    const present = readdirSync(GENERATED).sort().flatMap((language) => readdirSync(path.join(GENERATED, language)).map((environment) => `${language}/${environment}`));
    expect(present.sort()).toEqual(expected);
  });

  test.each(LANGUAGES.flatMap((language) => environments.map((environment) => [language, environment] as const)))('%s/%s', (language, environment) => {
    const files = generateLangpack(language, buildLangpackModel(catalog, environment));
    const directory = path.join(GENERATED, language, environment);
    expect(filesUnder(directory)).toEqual(files.map((file) => file.path));
    const different = files.filter((file) => readFileSync(path.join(directory, file.path), 'utf8') !== file.content).map((file) => file.path);
    expect({ different, fix: 'npm run generate:demo' }).toEqual({ different: [], fix: 'npm run generate:demo' });
  });
});
