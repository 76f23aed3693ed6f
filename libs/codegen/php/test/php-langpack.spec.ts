import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildLangpackModel, packageNames } from '@tagplan/codegen-core';
import { CONFORMANCE_DIR, conformanceCatalog, conformanceVectors, demoCatalog } from '@tagplan/codegen-testing';
import { generatePhp } from '@tagplan/codegen-php';
import { AWKWARD_EVENTS, escapingCatalog } from './catalogs';
import { composerEnv, FIXTURES, installFromArtifact, lintAll, phpFiles, removeDir, run, runOk, tempDir, writeWithAutoloader } from './php-toolchain';

/**
 * The generated PHP in PHP's own toolchain: Composer installs the web-frontend langpack
 * from the zip the registry serves, `php -l` and the autoloader accept every file of every
 * langpack, PHPUnit runs the typed API and client tests, and a PHP driver agrees with ajv
 * on every conformance vector.
 */
jest.setTimeout(180_000);

const LANGPACKS = {
  'web-frontend': () => buildLangpackModel(demoCatalog(), 'web-frontend'),
  'ios-app': () => buildLangpackModel(demoCatalog(), 'ios-app'),
  'backend-items': () => buildLangpackModel(demoCatalog(), 'backend-items'),
  'conformance-env': () => buildLangpackModel(conformanceCatalog(), 'conformance-env'),
  'class-list': () => buildLangpackModel(escapingCatalog(), 'class-list'),
};
type LangpackName = keyof typeof LANGPACKS;

let work: string;
let project: string;
const dirOf = (name: LangpackName) => path.join(work, 'langpacks', name);
const namespaceOf = (name: LangpackName) => packageNames(name).phpNamespace;

beforeAll(async () => {
  work = await tempDir('langpack');
  await Promise.all(Object.entries(LANGPACKS).map(([name, model]) => writeWithAutoloader(dirOf(name as LangpackName), generatePhp(model()))));
  project = await installFromArtifact(work, LANGPACKS['web-frontend']());
});

afterAll(() => removeDir(work));

test('Composer installs the web-frontend langpack from an artifact repository', async () => {
  const manifest = JSON.parse(await readFile(path.join(project, 'composer.json'), 'utf8')) as { require: Record<string, string> };
  expect(manifest.require['acme/tagplan-web-frontend']).toBe(`^${LANGPACKS['web-frontend']().packageVersion}`);
  const lock = JSON.parse(await readFile(path.join(project, 'composer.lock'), 'utf8')) as { packages: { name: string; version: string; dist: { type: string } }[] };
  expect(lock.packages).toEqual([expect.objectContaining({ name: 'acme/tagplan-web-frontend', version: LANGPACKS['web-frontend']().packageVersion, dist: expect.objectContaining({ type: 'zip' }) })]);
  const { stdout } = await runOk('php', ['-r', "require 'vendor/autoload.php'; echo Acme\\Tagplan\\WebFrontend\\Client::LANGPACK_VERSION;"], { cwd: project });
  expect(stdout).toBe(LANGPACKS['web-frontend']().packageVersion);
});

test('composer validate accepts the generated composer.json', async () => {
  const result = await run('composer', ['validate', '--no-check-publish', '--no-check-lock', '--strict'], { cwd: dirOf('web-frontend'), env: composerEnv(work) });
  expect(`${result.stdout}${result.stderr}`).toMatch(/is valid/);
  expect(result.code).toBe(0);
});

test.each(Object.keys(LANGPACKS))('php -l accepts every file of the %s langpack', async (name) => {
  const files = await phpFiles(dirOf(name as LangpackName));
  expect(files.length).toBeGreaterThan(10);
  expect(await lintAll(files)).toEqual([]);
});

test.each(Object.keys(LANGPACKS))('every class, interface and enum of the %s langpack loads through the autoloader', async (name) => {
  const { stdout } = await runOk('php', [path.join(FIXTURES, 'load-all.php'), dirOf(name as LangpackName)]);
  const loaded = (JSON.parse(stdout) as { loaded: string[] }).loaded;
  expect(loaded).toEqual(expect.arrayContaining([`${namespaceOf(name as LangpackName)}\\Client`, `${namespaceOf(name as LangpackName)}\\Validator`]));
});

test('names that are PHP reserved words give events that build, set, get and validate', async () => {
  const { stdout } = await runOk('php', [path.join(FIXTURES, 'escaping.php'), dirOf('class-list'), namespaceOf('class-list')]);
  const report = JSON.parse(stdout) as { events: Record<string, { class: string; data: Record<string, unknown> }>; enumCases: Record<string, string> };
  expect(Object.keys(report.events).sort()).toEqual([...AWKWARD_EVENTS].sort());
  expect(report.events['class']?.class).toBe('Acme\\Tagplan\\ClassList\\Events\\Class_');
  expect(report.events['class']?.data).toMatchObject({ class: 'x', this: 'x', list: 'x', namespace: 'x', item: [1] });
  expect(report.enumCases).toMatchObject({ 'Kind::Class_': 'class', 'Kind::_1st': '1st', 'Kind::Uni': 'ünï', 'Kind::Empty': '', 'Kind::日本': '日本', 'Kinds::Self': 'self' });
});

test('PHPUnit: the typed API and the client with an injected transport', async () => {
  const result = await run('phpunit', ['--bootstrap', path.join(project, 'vendor/autoload.php'), '--colors=never', '--do-not-cache-result', path.join(FIXTURES, 'TypedApiTest.php')], { cwd: project });
  expect(result.stdout).toMatch(/OK \(\d+ tests, \d+ assertions\)/);
  expect(result.code).toBe(0);
  const client = await run('phpunit', ['--bootstrap', path.join(project, 'vendor/autoload.php'), '--colors=never', '--do-not-cache-result', path.join(FIXTURES, 'ClientTest.php')], { cwd: project });
  expect(client.stdout).toMatch(/OK \(\d+ tests, \d+ assertions\)/);
  expect(client.code).toBe(0);
});

describe('conformance vectors through the PHP langpack', () => {
  type Pair = { field: string; rule: string };
  type Verdict = { name: string; validator: Pair[]; typed: 'valid' | 'required' | Pair | null };
  const vectors = conformanceVectors();
  let verdicts: Map<string, Verdict>;
  const sorted = (pairs: Pair[]) => [...pairs].sort((a, b) => `${a.field}:${a.rule}`.localeCompare(`${b.field}:${b.rule}`));

  beforeAll(async () => {
    const { stdout } = await runOk('php', [path.join(FIXTURES, 'conformance-driver.php'), dirOf('conformance-env'), namespaceOf('conformance-env'), path.join(CONFORMANCE_DIR, 'vectors.json')]);
    verdicts = new Map((JSON.parse(stdout) as Verdict[]).map((verdict) => [verdict.name, verdict]));
  });

  test('the driver saw all 113 cases', () => {
    expect(vectors.cases).toHaveLength(113);
    expect(verdicts.size).toBe(vectors.cases.length);
  });

  test.each(vectors.cases.map((entry) => [entry.name, entry] as const))('Validator::validate: %s', (name, entry) => {
    const verdict = verdicts.get(name) as Verdict;
    expect({ valid: verdict.validator.length === 0, errors: sorted(verdict.validator) }).toEqual({ valid: entry.valid, errors: sorted(entry.errors ?? []) });
  });

  test('the typed API gives the same verdict on every case a PHP caller can write', () => {
    const disagreements: string[] = [];
    let expressible = 0;
    for (const entry of vectors.cases) {
      const typed = (verdicts.get(entry.name) as Verdict).typed;
      if (typed === null) continue;
      expressible += 1;
      const expected = entry.errors ?? [];
      const agrees = entry.valid
        ? typed === 'valid'
        : typed === 'required'
          ? expected.some((error) => error.rule === 'required')
          : typed !== 'valid' && expected.some((error) => error.field === typed.field && error.rule === typed.rule);
      if (!agrees) disagreements.push(`${entry.name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(typed)}`);
    }
    expect(disagreements).toEqual([]);
    // Wrong JSON types, nulls, unknown fields and enum values cannot be written with PHP types.
    expect(expressible).toBeGreaterThan(90);
  });
});
