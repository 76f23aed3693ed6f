import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { fixturePath, loadFixture } from '../test/load-fixture';
import { exportCatalogFile, parseCatalogFile, planApply, type ApplyPlan, type CatalogFile } from './catalog-file';
import type { CatalogIssue } from './issues';
import { ENTITY_KINDS, type EntityVersion } from './model';
import { InMemoryCatalog } from './snapshot';

/** A file in a fixture: the base file, the base with a JSON merge patch, or a whole file. */
type FileSpec = 'base' | { $patch: unknown } | Record<string, unknown>;

interface ApplyCase {
  name: string;
  setup: FileSpec[];
  file: FileSpec;
  versions?: string[];
  breaking?: string[];
  issues?: Pick<CatalogIssue, 'path' | 'code'>[];
}

interface ErrorCase {
  name: string;
  file: unknown;
  issues: Pick<CatalogIssue, 'path' | 'code'>[];
}

const applyCases = loadFixture<{ base: Record<string, unknown>; cases: ApplyCase[] }>('apply-cases.json');
const errorCases = loadFixture<ErrorCase[]>('catalog-file-errors.json');
const designExample: unknown = parse(readFileSync(fixturePath('design-example.catalog.yaml'), 'utf8'));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 merge patch, plus `{ "$replace": value }` to replace a map whole (keeping the patch's key order). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  if ('$replace' in patch) return patch['$replace'];
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function fileText(spec: FileSpec): unknown {
  if (spec === 'base') return applyCases.base;
  if ('$patch' in spec) return mergePatch(applyCases.base, spec['$patch']);
  return spec;
}

function parsed(text: unknown): CatalogFile {
  const result = parseCatalogFile(text);
  if (!result.ok) throw new Error(`the file does not parse: ${JSON.stringify(result.issues)}`);
  return result.value;
}

function plan(text: unknown, versions: EntityVersion[], message = 'Test'): ApplyPlan {
  const result = planApply(parsed(text), new InMemoryCatalog(versions), message);
  if (!result.ok) throw new Error(`the file does not apply: ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** What a registry holds after applying each file in turn. */
function applyAll(texts: unknown[]): EntityVersion[] {
  const versions: EntityVersion[] = [];
  texts.forEach((text, step) => {
    for (const planned of plan(text, versions).versions) {
      versions.push({ ...planned, author: 'test', message: `step ${step}`, created_at: new Date(Date.UTC(2026, 0, step + 1)).toISOString() } as EntityVersion);
    }
  });
  return versions;
}

function latestVersions(versions: EntityVersion[]): EntityVersion[] {
  const catalog = new InMemoryCatalog(versions);
  return ENTITY_KINDS.flatMap((kind) => catalog.names(kind).map((name) => catalog.latest(kind, name) as EntityVersion));
}

const label = (entry: { kind: string; name: string; version: number }) => `${entry.kind}:${entry.name}@${entry.version}`;

describe('parseCatalogFile', () => {
  it('reads the example of DESIGN §7', () => {
    expect(parsed(designExample)).toEqual({
      message: 'Add the item page events',
      fields: {
        user_id: { type: 'string', description: 'Stable id of a signed-in user', examples: [], pii: 'hash' },
        item_id: { type: 'integer', minimum: 1, description: '', examples: [], pii: 'none' },
        source: { type: 'string', enum: ['search', 'feed', 'recommendation'], description: '', examples: [], pii: 'none' },
        tags: { type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 10, description: '', examples: [], pii: 'none' },
      },
      events: {
        item_viewed: {
          description: 'A user opened an item page',
          owner: 'team-items',
          fields: [
            { name: 'user_id', required: true },
            { name: 'item_id', required: true },
            { name: 'source', required: false },
            { name: 'tags', required: false },
          ],
        },
      },
      environments: {
        'web-frontend': {
          description: 'The public website',
          owner: 'team-web',
          common_fields: [{ name: 'session_id', required: true }],
          events: [{ name: 'item_viewed' }],
        },
      },
    });
  });

  it('reads name@N as a pinned reference', () => {
    const file = parsed({
      events: { item_viewed: { owner: 't', fields: { 'user_id@2': 'required', item_id: 'optional' } } },
      environments: { web: { owner: 't', common_fields: { 'session_id@12': 'optional' }, events: ['item_viewed@3', 'item_shared'] } },
    });
    expect(file.events['item_viewed']?.fields).toEqual([
      { name: 'user_id', version: 2, required: true },
      { name: 'item_id', required: false },
    ]);
    expect(file.environments['web']?.common_fields).toEqual([{ name: 'session_id', version: 12, required: false }]);
    expect(file.environments['web']?.events).toEqual([{ name: 'item_viewed', version: 3 }, { name: 'item_shared' }]);
  });

  test.each([null, undefined, {}, { fields: null, events: null, environments: null }])('reads %p as an empty file', (text) => {
    expect(parsed(text)).toEqual({ fields: {}, events: {}, environments: {} });
  });

  test.each(errorCases)('rejects $name', ({ file, issues }) => {
    const result = parseCatalogFile(file);
    expect(result.ok ? [] : result.issues.map(({ path, code }) => ({ path, code }))).toEqual(issues);
  });
});

describe('planApply', () => {
  test.each(applyCases.cases)('$name', ({ setup, file, versions, breaking, issues }) => {
    const registry = applyAll(setup.map(fileText));
    const result = planApply(parsed(fileText(file)), new InMemoryCatalog(registry), 'Test');
    if (issues) {
      expect(result.ok ? [] : result.issues.map(({ path, code }) => ({ path, code }))).toEqual(issues);
      return;
    }
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.value.versions.map(label)).toEqual(versions);
    expect(result.value.versions.filter((entry) => entry.changes.some((change) => change.breaking)).map(label)).toEqual(breaking ?? []);
  });

  it('applies the example of DESIGN §7 once session_id exists, and only once', () => {
    const unknown = planApply(parsed(designExample), new InMemoryCatalog([]), 'First');
    expect(unknown).toEqual({
      ok: false,
      issues: [{ path: '/environments/web-frontend/common_fields/session_id', code: 'unknown_reference', message: 'there is no field named session_id' }],
    });

    const registry = applyAll([{ fields: { session_id: { type: 'string', format: 'uuid' } } }]);
    const first = plan(designExample, registry, 'Add the item page events');
    expect(first.message).toBe('Add the item page events');
    expect(first.versions.map(label)).toEqual([
      'field:item_id@1',
      'field:source@1',
      'field:tags@1',
      'field:user_id@1',
      'event:item_viewed@1',
      'environment:web-frontend@1',
    ]);
    const environment = first.versions.find((entry) => entry.kind === 'environment');
    expect(environment?.body).toEqual({
      description: 'The public website',
      owner: 'team-web',
      common_fields: [{ name: 'session_id', version: 1, required: true }],
      events: [{ name: 'item_viewed', version: 1 }],
    });
    expect(environment?.changes).toEqual([{ op: 'add', path: '', after: environment?.body, breaking: false }]);

    const applied = applyAll([{ fields: { session_id: { type: 'string', format: 'uuid' } } }, designExample]);
    expect(plan(designExample, applied).versions).toEqual([]);
  });

  it('describes each new version with its diff against the latest one', () => {
    const registry = applyAll([applyCases.base]);
    const next = plan(mergePatch(applyCases.base, { fields: { source: { enum: ['search'] } } }), registry);
    expect(next.versions.map((entry) => [label(entry), entry.changes])).toEqual([
      ['field:source@2', [{ op: 'remove', path: '/enum', before: 'feed', breaking: true }]],
      // Re-pinned to a breaking version: breaking too, all the way up.
      ['event:item_viewed@2', [{ op: 'replace', path: '/fields/source/version', before: 1, after: 2, breaking: true }]],
      ['environment:web-frontend@2', [{ op: 'replace', path: '/events/item_viewed/version', before: 1, after: 2, breaking: true }]],
    ]);
  });
});

describe('exportCatalogFile', () => {
  // base, then user_id changes (item_viewed and web-frontend follow), then an event pinned
  // to the old user_id and an environment pinned to the old item_viewed.
  const history = [
    applyCases.base,
    mergePatch(applyCases.base, { fields: { user_id: { maxLength: 64 } } }),
    {
      events: { item_shared: { owner: 'team-items', description: 'Shared', fields: { 'user_id@1': 'required', item_id: 'optional' } } },
      environments: { 'ios-app': { owner: 'team-ios', events: ['search_performed', 'item_viewed@1', 'item_shared'] } },
    },
  ];

  it('writes the latest versions, pinning only references that are not the latest', () => {
    const text = exportCatalogFile(latestVersions(applyAll(history)));
    expect(text.fields?.['user_id']).toEqual({ type: 'string', maxLength: 64, description: 'Stable id of a signed-in user', pii: 'hash' });
    expect(text.fields?.['query']).toEqual({ type: 'string', maxLength: 100 });
    expect(text.events?.['item_shared']).toEqual({ owner: 'team-items', description: 'Shared', fields: { 'user_id@1': 'required', item_id: 'optional' } });
    expect(text.events?.['item_viewed']?.fields).toEqual({ user_id: 'required', item_id: 'required', source: 'optional' });
    expect(text.environments?.['ios-app']).toEqual({ owner: 'team-ios', common_fields: {}, events: ['search_performed', 'item_viewed@1', 'item_shared'] });
    expect(Object.keys(text.events ?? {})).toEqual(['item_shared', 'item_viewed', 'search_performed']);
  });

  it('round-trips: export, YAML, parse and apply plan nothing', () => {
    const registry = applyAll(history);
    const yaml = stringify(exportCatalogFile(latestVersions(registry)));
    expect(yaml).toContain('user_id@1: required');
    expect(yaml).toContain('item_viewed@1');
    expect(plan(parse(yaml), registry).versions).toEqual([]);
  });

  it('round-trips every kind of field', () => {
    const fields = {
      a_string: { type: 'string', enum: ['x', 'y'], pattern: '^[xy]$', minLength: 1, maxLength: 1, examples: ['x'] },
      a_date: { type: 'string', format: 'date', pii: 'drop' },
      an_integer: { type: 'integer', minimum: 0, maximum: 10, exclusiveMaximum: 11 },
      a_number: { type: 'number', exclusiveMinimum: -1.5 },
      a_boolean: { type: 'boolean', description: 'Yes or no' },
      a_list: { type: 'array', items: { type: 'number', maximum: 1 }, minItems: 1, maxItems: 4, uniqueItems: true },
    };
    const registry = applyAll([{ fields }]);
    const exported = exportCatalogFile(latestVersions(registry));
    expect(exported.fields).toEqual(fields);
    expect(plan(parse(stringify(exported)), registry).versions).toEqual([]);
  });

  it('writes an empty registry as an empty file', () => {
    expect(exportCatalogFile([])).toEqual({ fields: {}, events: {}, environments: {} });
  });
});
