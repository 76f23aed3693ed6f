import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CatalogValidator, schemasFromCatalog } from '@tagplan/json-schema';
import { CONFORMANCE_DIR, conformanceCatalog, conformanceVectors, demoCatalog, toolchainTest } from '@tagplan/codegen-testing';
import { escapingCatalog, findPython39, FIXTURES, generateInto, modelOf, PYTHON, pythonCan, pythonEnv, run } from './python-toolchain';

/**
 * The generated Python langpacks in Python's own toolchain: mypy --strict (Python 3.9
 * rules), pytest suites for the typed API and the client, the conformance vectors, and
 * packaging metadata. Everything is generated into one temporary folder.
 */

jest.setTimeout(600_000);

const DEMO_ENVIRONMENTS = ['web-frontend', 'ios-app', 'backend-items'];

let root: string;
let work: string;
const packages: Record<string, string> = {};

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tagplan-python-'));
  work = path.join(root, 'work');
  const demo = demoCatalog();
  for (const environment of DEMO_ENVIRONMENTS) packages[environment] = await generateInto(root, environment, modelOf(demo, environment));
  packages['conformance-env'] = await generateInto(root, 'conformance-env', modelOf(conformanceCatalog(), 'conformance-env'));
  const escaping = escapingCatalog();
  packages['escaping-env'] = await generateInto(root, 'escaping-env', modelOf(escaping, 'escaping-env'));
  packages['bare-env'] = await generateInto(root, 'bare-env', modelOf(escaping, 'bare-env'));
  // The fixtures run from a copy, so that Python leaves nothing in the source tree.
  mkdirSync(work, { recursive: true });
  for (const file of readdirSync(FIXTURES)) copyFileSync(path.join(FIXTURES, file), path.join(work, file));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const modulePath = (environment: string, module: string) => path.join(packages[environment] as string, module);
const allRoots = () => Object.values(packages);

function mypy(targets: string[]): Promise<{ status: number | null; output: string }> {
  return run(PYTHON, ['-m', 'mypy', '--strict', '--python-version', '3.9', '--no-error-summary', '--cache-dir', path.join(root, '.mypy_cache'), '--show-error-codes', ...targets], {
    cwd: work,
    env: { ...pythonEnv(allRoots()), MYPYPATH: allRoots().join(path.delimiter) },
  }).then((result) => ({ status: result.status, output: result.stdout + result.stderr }));
}

describe('mypy --strict --python-version 3.9', () => {
  test('passes over the demo, conformance and name-escaping langpacks and a consumer', async () => {
    const targets = [
      modulePath('web-frontend', 'acme_tagplan_web_frontend'),
      modulePath('ios-app', 'acme_tagplan_ios_app'),
      modulePath('backend-items', 'acme_tagplan_backend_items'),
      modulePath('conformance-env', 'acme_tagplan_conformance_env'),
      modulePath('escaping-env', 'acme_tagplan_escaping_env'),
      modulePath('bare-env', 'acme_tagplan_bare_env'),
      path.join(work, 'consumer_ok.py'),
    ];
    const result = await mypy(targets);
    expect(result.output.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  test('fails on a consumer that omits a required argument or passes a wrong value', async () => {
    const result = await mypy([path.join(work, 'consumer_missing_required.py')]);
    expect(result.status).toBe(1);
    const lines = result.output.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/consumer_missing_required\.py:5: error: Missing named argument "item_id" for "ItemViewed" {2}\[call-arg\]/),
      expect.stringMatching(/consumer_missing_required\.py:10: error: Argument 1 to "set_source" of "ItemViewed" has incompatible type "Literal\['nowhere'\]"; expected ".*" {2}\[arg-type\]/),
      expect.stringMatching(/consumer_missing_required\.py:11: error: Argument 1 to "set_item_id" of "ItemViewed" has incompatible type "str"; expected "int" {2}\[arg-type\]/),
    ]);
  });
});

describe('formatting', () => {
  // Black is not a requirement of the langpacks; where it is installed, the generated code must be unchanged by it.
  toolchainTest(pythonCan('import black'), 'Black is not installed for python3')('the generated packages are as Black formats them', async () => {
    const targets = Object.entries(packages).map(([environment, directory]) => path.join(directory, `acme_tagplan_${environment.replace(/-/g, '_')}`));
    const result = await run(PYTHON, ['-m', 'black', '--check', '--quiet', '--line-length', '88', ...targets]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('pytest', () => {
  test('typed API, client against a local HTTP server, and escaped names', async () => {
    const result = await run(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'test_typed_api.py', 'test_client.py', 'test_escaping.py'], {
      cwd: work,
      env: pythonEnv(allRoots()),
    });
    const summary = result.stdout.trim().split('\n').pop() ?? '';
    if (result.status !== 0) throw new Error(`pytest failed:\n${result.stdout}\n${result.stderr}`);
    expect(summary).toMatch(/^\d+ passed in /);
    expect(Number(/^(\d+) passed/.exec(summary)?.[1])).toBeGreaterThanOrEqual(80);
  });
});

type Verdict = { name: string; valid: boolean; errors: { field: string; rule: string }[] };

async function pythonVerdicts(vectorsFile: string, interpreter = PYTHON): Promise<Verdict[]> {
  const result = await run(interpreter, [path.join(work, 'conformance_driver.py'), 'acme_tagplan_conformance_env', vectorsFile], { cwd: work, env: pythonEnv(allRoots()) });
  if (result.status !== 0) throw new Error(`the conformance driver failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Verdict[];
}

const key = (errors: { field: string; rule: string }[]) => [...new Set(errors.map((error) => `${error.field}:${error.rule}`))].sort();

describe('conformance', () => {
  const vectors = conformanceVectors();

  test('every vector gets the expected verdict from validate_event', async () => {
    const verdicts = await pythonVerdicts(path.join(CONFORMANCE_DIR, 'vectors.json'));
    expect(verdicts).toHaveLength(vectors.cases.length);
    expect(vectors.cases.length).toBe(113);
    const mismatches = vectors.cases.flatMap((entry, index) => {
      const verdict = verdicts[index] as Verdict;
      const expected = { valid: entry.valid, errors: key(entry.errors ?? []) };
      const actual = { valid: verdict.valid, errors: key(verdict.errors) };
      return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [{ name: entry.name, expected, actual }];
    });
    expect(mismatches).toEqual([]);
  });

  test('agrees with ajv on more data: several violations at once, wrong types with enums, arrays', async () => {
    const base = { s_plain: 'x', c_session: 's-1' };
    const probes: Record<string, unknown>[] = [
      { s_enum: 5 }, { s_enum: null }, { s_length: 5 }, { i_range: 1.5 }, { i_range: 11.5 }, { i_range: '11' }, { i_exclusive: -0.5 },
      { a_tags: [1, 1] }, { a_tags: ['a', 1, 'a'] }, { a_tags: [1, 'abcdef', 'abcdef', 'abcdef'] }, { a_ints: [1, 1.0] }, { a_any: [1, 1.0, true] },
      { a_ints: [-1, 1.5, 'x'] }, { s_pattern: 5 }, { s_date: 5 }, { n_range: true }, { a_tags: ['a', 'b', 'c', 'd', 'a'] }, { a_tags: 5 },
      { a_tags: null }, { s_plain: 1, c_session: '', extra: 1, other: null }, { i_any: -9007199254740993 }, { n_exclusive: -1e308 },
      { s_uri: 'mailto:a@b.c' }, { s_email: 'a@-b.com' }, { s_date_time: '2026-11-23T23:59:60-00:01' }, { s_uuid: 'g1936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3d' },
      { s_unicode_pattern: 'àÿ\n' }, { s_dot_pattern: 'a\u2029c' }, { b_flag: 0 }, { a_any: [] }, { a_tags: ['😀', '😀'] },
    ];
    const cases = probes.map((probe, index) => ({ name: `probe ${index}`, data_json: JSON.stringify({ ...base, ...probe }) }));
    cases.push({ name: 'not an object', data_json: '[1, 2]' }, { name: 'null data', data_json: 'null' }, { name: 'empty object', data_json: '{}' });
    const file = path.join(root, 'probes.json');
    writeFileSync(file, JSON.stringify({ environment: vectors.environment, event: vectors.event, cases }));
    const validator = new CatalogValidator(schemasFromCatalog(conformanceCatalog(), vectors.environment));
    const verdicts = await pythonVerdicts(file);
    const mismatches = cases.flatMap((entry, index) => {
      const reference = validator.validate(vectors.event, 1, JSON.parse(entry.data_json));
      const expected = { valid: reference.valid, errors: reference.valid ? [] : key(reference.violations.map((violation) => ({ field: violation.path.split('/')[1] ?? '', rule: violation.rule }))) };
      const verdict = verdicts[index] as Verdict;
      const actual = { valid: verdict.valid, errors: key(verdict.errors) };
      return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [{ data: entry.data_json, expected, actual }];
    });
    expect(mismatches).toEqual([]);
  });
});

const python39 = findPython39();
// Not a toolchainTest: no package registry this CI reaches serves a 3.9 interpreter, so a
// machine without one (pyenv here has 3.9.18) can only skip it, and says so.
if (!python39) console.warn('no Python 3.9 interpreter (python3.9, PYTHON39 or pyenv): the run on the oldest supported Python is skipped');

describe('Python 3.9, the oldest supported version', () => {
  // Runs where the machine has a 3.9 interpreter (pyenv here); mypy above checks 3.9 rules everywhere.
  (python39 ? test : test.skip)('runs the conformance vectors and a smoke test of the typed API and the client', async () => {
    const interpreter = python39 as string;
    const verdicts = await pythonVerdicts(path.join(CONFORMANCE_DIR, 'vectors.json'), interpreter);
    const cases = conformanceVectors().cases;
    expect(verdicts.map((verdict) => verdict.valid)).toEqual(cases.map((entry) => entry.valid));
    const smoke = await run(interpreter, [path.join(work, 'smoke.py')], { cwd: work, env: pythonEnv(allRoots()) });
    expect(smoke.stderr).toBe('');
    expect(smoke.stdout.trim()).toBe('smoke ok');
  });

  test('the smoke test also runs on the default interpreter', async () => {
    const smoke = await run(PYTHON, [path.join(work, 'smoke.py')], { cwd: work, env: pythonEnv(allRoots()) });
    expect(smoke.stdout.trim()).toBe('smoke ok');
  });
});

describe('benchmark script', () => {
  // `bench_events.py` prints the per-event cost of build + validate + enqueue; here it only has to run.
  test('runs and reports ns/event for every event it sent', async () => {
    const result = await run(PYTHON, [path.join(work, 'bench_events.py'), '3000'], { cwd: work, env: pythonEnv(allRoots()) });
    expect(result.stderr).toBe('');
    const figures = (JSON.parse(result.stdout) as { ns_per_event: Record<string, number | string> }).ns_per_event;
    for (const name of ['build_validate_wall', 'build_validate_thread', 'build_validate_enqueue_wall', 'build_validate_enqueue_thread']) {
      expect(figures[name]).toEqual(expect.any(Number));
    }
    expect(figures['sent']).toBe(3000 + 2000);
  });
});

describe('packaging', () => {
  test('pyproject.toml is valid TOML with the PEP 621 metadata, and py.typed ships', async () => {
    const script = [
      'import json, sys',
      'try:',
      '    import tomllib',
      'except ImportError:',
      '    sys.exit(3)',
      'with open(sys.argv[1], "rb") as f:',
      '    print(json.dumps(tomllib.load(f)))',
    ].join('\n');
    const result = await run(PYTHON, ['-c', script, path.join(packages['web-frontend'] as string, 'pyproject.toml')]);
    expect(result.status).toBe(0);
    const pyproject = JSON.parse(result.stdout) as { project: Record<string, unknown>; 'build-system': Record<string, unknown>; tool: { flit: { module: { name: string } } } };
    expect(pyproject.project).toMatchObject({ name: 'acme-tagplan-web-frontend', 'requires-python': '>=3.9', dependencies: [], readme: 'README.md' });
    expect(pyproject.project['version']).toMatch(/^0\.\d+\.\d+$/);
    expect(pyproject['build-system']).toEqual({ requires: ['flit_core>=3.8,<5'], 'build-backend': 'flit_core.buildapi' });
    expect(pyproject.tool.flit.module.name).toBe('acme_tagplan_web_frontend');
    expect(readFileSync(path.join(modulePath('web-frontend', 'acme_tagplan_web_frontend'), 'py.typed'), 'utf8')).toContain('PEP 561');
  });

  // Building needs the backend; the packaging step builds wheels itself. Runs where flit_core is installed.
  toolchainTest(pythonCan('import flit_core'), 'flit_core is not installed for python3')('builds a wheel and an sdist with flit_core and installs the wheel offline', async () => {
    const source = packages['web-frontend'] as string;
    const dist = path.join(root, 'dist');
    mkdirSync(dist, { recursive: true });
    const build = await run(PYTHON, ['-c', 'import sys, flit_core.buildapi as b; print(b.build_wheel(sys.argv[1])); print(b.build_sdist(sys.argv[1]))', dist], { cwd: source });
    expect(build.stderr).toBe('');
    const [wheel, sdist] = build.stdout.trim().split('\n') as [string, string];
    expect(wheel).toMatch(/^acme_tagplan_web_frontend-0\.\d+\.\d+-py3-none-any\.whl$/);
    expect(sdist).toMatch(/^acme_tagplan_web_frontend-0\.\d+\.\d+\.tar\.gz$/);
    const site = path.join(root, 'site');
    const install = await run(PYTHON, ['-m', 'pip', 'install', '--no-index', '--no-deps', '--disable-pip-version-check', '--target', site, path.join(dist, wheel)]);
    expect(install.status).toBe(0);
    expect(readdirSync(path.join(site, 'acme_tagplan_web_frontend')).filter((name) => name.includes('.')).sort()).toEqual(['__init__.py', 'client.py', 'events.py', 'formats.py', 'py.typed', 'validation.py']);
    const use = await run(PYTHON, ['-c', 'import acme_tagplan_web_frontend as m; print(m.__version__, m.ItemViewed.EVENT_NAME)'], { env: { PYTHONPATH: site, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(use.stdout.trim()).toMatch(/^0\.\d+\.\d+ item_viewed$/);
  });
});
