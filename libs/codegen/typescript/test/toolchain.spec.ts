import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InMemoryCatalog } from '@tagplan/catalog';
import { conformanceCatalog, conformanceVectors, demoCatalog } from '@tagplan/codegen-testing';
import { buildTypescriptView } from '@tagplan/codegen-typescript';
import { schemasFromCatalog } from '@tagplan/json-schema';
import { ESCAPING_ENVIRONMENT, escapingCatalog } from './catalogs';
import { FIXTURES, installLangpack, run, temporaryDirectory, TSC, WORKSPACE, type RunResult } from './support';

/** The strictest settings a consumer may use; the langpack's declarations must pass all of them. */
const STRICT = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noPropertyAccessFromIndexSignature: true,
  noFallthroughCasesInSwitch: true,
  forceConsistentCasingInFileNames: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  skipLibCheck: false,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
};

/**
 * The langpacks under tsc --strict, as an application installs them (in node_modules):
 * the demo catalog's three environments, the conformance catalog and a catalog of names
 * that clash with the language, each with code that uses it; then the typed-API tests
 * compiled from TypeScript and run by node --test.
 */
describe('TypeScript langpacks under tsc --strict', () => {
  let root: string;
  let remove: () => Promise<void>;
  const readmes: string[] = [];
  const referenceChecks = new Map<string, string[]>();

  beforeAll(async () => {
    const temporary = await temporaryDirectory('toolchain');
    root = temporary.path;
    remove = temporary.remove;
    await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const langpacks: [InMemoryCatalog, string][] = [
      [demoCatalog(), 'web-frontend'],
      [demoCatalog(), 'ios-app'],
      [demoCatalog(), 'backend-items'],
      [conformanceCatalog(), conformanceVectors().environment],
      [escapingCatalog(), ESCAPING_ENVIRONMENT],
    ];
    await mkdir(path.join(root, 'jstt'));
    const jobs: JsonSchemaJob[] = [];
    for (const [catalog, environment] of langpacks) {
      const { model, directory, npmName } = await installLangpack(root, catalog, environment);
      // The README's usage example must compile as it is written.
      const readme = await readFile(path.join(directory, 'README.md'), 'utf8');
      const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
      if (!example) throw new Error(`the README of ${environment} has no TypeScript example`);
      await writeFile(path.join(root, `readme-${environment}.mts`), example);
      readmes.push(environment);
      // json-schema-to-typescript loses a property named `constructor`, so it cannot judge the escaping catalog.
      if (environment !== ESCAPING_ENVIRONMENT) {
        const events = buildTypescriptView(model).events;
        jobs.push(await jsonSchemaJob(root, catalog, environment, model.environment.version, npmName, events));
        referenceChecks.set(environment, events.map((event) => event.dataName));
      }
    }
    const jobsPath = path.join(root, 'jstt', 'jobs.json');
    await writeFile(jobsPath, JSON.stringify(jobs));
    const converted = await run(process.execPath, [path.join(FIXTURES, 'json-schema-types.mjs'), WORKSPACE, jobsPath]);
    if (converted.code !== 0) throw new Error(`json-schema-to-typescript failed:\n${converted.stderr}`);
    for (const fixture of ['consumer.mts', 'typed-api.test.mts', 'missing-required.mts']) await copyFile(path.join(FIXTURES, fixture), path.join(root, fixture));
    const typeRoots = [path.join(WORKSPACE, 'node_modules', '@types')];
    // A browser project: DOM, no Node types. It compiles everything but the Node tests.
    await writeTsconfig(root, 'tsconfig.browser.json', { ...STRICT, lib: ['ES2022', 'DOM'], types: [], noEmit: true }, ['consumer.mts', 'readme-*.mts', 'jstt/*.mts', 'node_modules/@acme/*/dist/**/*.d.ts']);
    // A Node project without DOM: the typed-API tests, emitted next to their source to run.
    await writeTsconfig(root, 'tsconfig.node.json', { ...STRICT, lib: ['ES2022'], types: ['node'], typeRoots }, ['typed-api.test.mts', 'consumer.mts']);
    await writeTsconfig(root, 'tsconfig.missing.json', { ...STRICT, lib: ['ES2022', 'DOM'], types: [], noEmit: true }, ['missing-required.mts']);
  }, 180_000);

  afterAll(() => remove?.());

  const tsc = (config: string): Promise<RunResult> => run(TSC, ['-p', config, '--pretty', 'false'], { cwd: root, timeoutMs: 240_000 });

  test('the demo, conformance and escaping langpacks, their README examples and a consumer pass a browser project', async () => {
    expect(readmes).toEqual(['web-frontend', 'ios-app', 'backend-items', 'conformance-env', ESCAPING_ENVIRONMENT]);
    const result = await tsc('tsconfig.browser.json');
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 240_000);

  test('the data interfaces equal what json-schema-to-typescript makes of the registry JSON Schema', async () => {
    // The checks are in jstt/*.check.mts, compiled by the browser project above; here, that they cover every event.
    expect([...referenceChecks.keys()]).toEqual(['web-frontend', 'ios-app', 'backend-items', 'conformance-env']);
    for (const [environment, dataNames] of referenceChecks) {
      const checks = await readFile(path.join(root, 'jstt', `${environment}.check.mts`), 'utf8');
      const checked = [...checks.matchAll(/^export const (\w+): Same<langpack\.(\w+), reference\.Reference(\w+)> = true;$/gm)].map((match) => match[1]);
      expect(checked).toEqual(dataNames);
      expect(dataNames.length).toBeGreaterThan(0);
    }
  });

  test('typed API tests compile in a Node project and pass under node --test', async () => {
    const compiled = await tsc('tsconfig.node.json');
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    const tested = await run(process.execPath, ['--test', '--test-reporter=tap', 'typed-api.test.mjs'], { cwd: root });
    if (tested.code !== 0) throw new Error(`node --test failed:\n${tested.stdout}\n${tested.stderr}`);
    expect(tested.stdout).toMatch(/^# fail 0$/m);
    expect(tested.stdout).toMatch(/^# pass [1-9]\d*$/m);
  }, 240_000);

  test('leaving out a required constructor field does not compile', async () => {
    const result = await tsc('tsconfig.missing.json');
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/missing-required\.mts\(4,\d+\): error TS2345/);
    expect(result.stdout).toMatch(/Property 'itemId' is missing in type .* but required in type 'ItemViewedInit'/);
  }, 240_000);
});

async function writeTsconfig(root: string, name: string, compilerOptions: Record<string, unknown>, include: string[]): Promise<void> {
  await writeFile(path.join(root, name), JSON.stringify({ compilerOptions, include, exclude: [] }, null, 2));
}

/**
 * json-schema-to-typescript over the registry's JSON Schema of each event gives the
 * reference type of its data; a type-level check asserts the generated `<Event>Data`
 * and the reference are assignable both ways. (Array length bounds are left to the
 * runtime checks, as the langpack does.)
 */
interface JsonSchemaJob {
  output: string;
  schemas: { name: string; schema: Record<string, unknown> }[];
}

async function jsonSchemaJob(root: string, catalog: InMemoryCatalog, environment: string, version: number, npmName: string, events: { catalogName: string; dataName: string }[]): Promise<JsonSchemaJob> {
  const schemas = schemasFromCatalog(catalog, environment, version);
  const job: JsonSchemaJob = { output: path.join(root, 'jstt', `${environment}.mts`), schemas: [] };
  const checks = [`import type * as langpack from '${npmName}';`, `import type * as reference from './${environment}.mjs';`, 'type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;'];
  for (const event of events) {
    const schema = schemas.find((entry) => entry.event_name === event.catalogName)?.schema;
    if (!schema) throw new Error(`no JSON Schema for ${event.catalogName}`);
    const { $id: _id, $schema: _dialect, ...rest } = schema;
    job.schemas.push({ name: event.dataName, schema: { ...rest, title: `Reference${event.dataName}` } });
    checks.push(`export const ${event.dataName}: Same<langpack.${event.dataName}, reference.Reference${event.dataName}> = true;`);
  }
  await writeFile(path.join(root, 'jstt', `${environment}.check.mts`), `${checks.join('\n')}\n`);
  return job;
}
