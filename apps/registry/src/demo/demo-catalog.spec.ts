import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ENTITY_KINDS,
  formatIssues,
  InMemoryCatalog,
  parseCatalogFile,
  planApply,
  type ApplyPlan,
  type CatalogFile,
  type EntityKind,
  type EntityVersion,
  type FieldBody,
  type FieldType,
} from '@tagplan/catalog';
import { buildEnvironmentSchemas, createAjv, fieldSchema, type CatalogLookup } from '@tagplan/json-schema';

/**
 * The demo catalog that `tagplan serve` seeds on first start: catalog files applied in
 * name order, each one change-log entry. These tests apply them the way the registry
 * does and check that the result is a rich, coherent catalog.
 */

const DEMO_DIR = __dirname;
const FILE_NAME = /^[0-9]{2}-[a-z0-9-]+\.yaml$/;
const files = readdirSync(DEMO_DIR)
  .filter((name) => FILE_NAME.test(name))
  .sort();

function readCatalogFile(name: string): CatalogFile {
  const parsed = parseCatalogFile(parse(readFileSync(join(DEMO_DIR, name), 'utf8')));
  if (!parsed.ok) throw new Error(`${name}:\n${formatIssues(parsed.issues)}`);
  return parsed.value;
}

function plan(versions: EntityVersion[], file: CatalogFile, name: string): ApplyPlan {
  const planned = planApply(file, new InMemoryCatalog(versions), file.message ?? name);
  if (!planned.ok) throw new Error(`${name}:\n${formatIssues(planned.issues)}`);
  return planned.value;
}

/** Applies every demo file in order; returns all versions and the plan of each step. */
function applyAll(): { versions: EntityVersion[]; plans: ApplyPlan[] } {
  const versions: EntityVersion[] = [];
  const plans: ApplyPlan[] = [];
  files.forEach((name, step) => {
    const applied = plan(versions, readCatalogFile(name), name);
    plans.push(applied);
    const createdAt = new Date(Date.UTC(2024, 10, 1 + step * 7, 9, 0, 0)).toISOString();
    for (const entry of applied.versions) {
      versions.push({ ...entry, author: 'demo', message: applied.message, created_at: createdAt } as EntityVersion);
    }
  });
  return { versions, plans };
}

function latestOf(catalog: InMemoryCatalog, kind: EntityKind): EntityVersion[] {
  return catalog.names(kind).map((name) => catalog.latest(kind, name) as EntityVersion);
}

function multiVersioned(catalog: InMemoryCatalog, kind: EntityKind): string[] {
  return catalog.names(kind).filter((name) => catalog.versions(kind, name).length > 1);
}

describe('demo catalog', () => {
  it('is a numbered sequence of catalog files, each with a change-log message', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files[0]).toBe('01-initial.yaml');
    files.forEach((name, index) => expect(name.startsWith(String(index + 1).padStart(2, '0') + '-')).toBe(true));
    for (const name of files) expect(readCatalogFile(name).message?.trim()).toBeTruthy();
  });

  it('applies file after file without issues, each file changing something', () => {
    const versions: EntityVersion[] = [];
    for (const name of files) {
      const parsed = parseCatalogFile(parse(readFileSync(join(DEMO_DIR, name), 'utf8')));
      expect(parsed.ok ? [] : parsed.issues).toEqual([]);
      if (!parsed.ok) return;
      const planned = planApply(parsed.value, new InMemoryCatalog(versions), parsed.value.message ?? name);
      expect(planned.ok ? [] : planned.issues).toEqual([]);
      if (!planned.ok) return;
      expect(planned.value.versions.length).toBeGreaterThan(0);
      for (const entry of planned.value.versions) {
        versions.push({ ...entry, author: 'demo', message: planned.value.message, created_at: '2024-11-01T09:00:00.000Z' } as EntityVersion);
      }
    }
  });

  const { versions, plans } = applyAll();
  const catalog = new InMemoryCatalog(versions);

  it('ends with a realistic number of environments, fields and events', () => {
    expect(catalog.names('environment').length).toBeGreaterThanOrEqual(3);
    expect(catalog.names('field').length).toBeGreaterThanOrEqual(15);
    expect(catalog.names('event').length).toBeGreaterThanOrEqual(10);
    expect(catalog.names('environment')).toEqual(expect.arrayContaining(['web-frontend', 'ios-app', 'backend-items']));
    expect(catalog.names('event')).toEqual(
      expect.arrayContaining([
        'registration_step_completed',
        'registration_abandoned',
        'search_performed',
        'item_viewed',
        'button_clicked',
        'video_player_started',
        'video_buffering',
        'api_error',
      ]),
    );
  });

  it('has a history: several fields, events and environments have more than one version', () => {
    expect(multiVersioned(catalog, 'field').length).toBeGreaterThanOrEqual(3);
    expect(multiVersioned(catalog, 'event').length).toBeGreaterThanOrEqual(3);
    expect(multiVersioned(catalog, 'environment').length).toBeGreaterThanOrEqual(2);
  });

  it('changes things only in later files, never creating a version number twice', () => {
    const seen = new Set<string>();
    for (const entry of versions) {
      const key = `${entry.kind}:${entry.name}@${entry.version}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    for (const later of plans.slice(1)) expect(later.versions.some((entry) => entry.version > 1)).toBe(true);
  });

  it('is coherent: the latest versions pin the latest versions of what they reference', () => {
    const stale: string[] = [];
    for (const event of latestOf(catalog, 'event') as EntityVersion<'event'>[]) {
      for (const ref of event.body.fields) {
        if (catalog.latest('field', ref.name)?.version !== ref.version) stale.push(`${event.name} -> ${ref.name}@${ref.version}`);
      }
    }
    for (const environment of latestOf(catalog, 'environment') as EntityVersion<'environment'>[]) {
      for (const ref of environment.body.common_fields) {
        if (catalog.latest('field', ref.name)?.version !== ref.version) stale.push(`${environment.name} -> ${ref.name}@${ref.version}`);
      }
      for (const ref of environment.body.events) {
        if (catalog.latest('event', ref.name)?.version !== ref.version) stale.push(`${environment.name} -> ${ref.name}@${ref.version}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it('sends every event from at least one environment and uses every field', () => {
    const environments = latestOf(catalog, 'environment') as EntityVersion<'environment'>[];
    const sent = new Set(environments.flatMap((environment) => environment.body.events.map((ref) => ref.name)));
    expect(catalog.names('event').filter((name) => !sent.has(name))).toEqual([]);
    const used = new Set([
      ...(latestOf(catalog, 'event') as EntityVersion<'event'>[]).flatMap((event) => event.body.fields.map((ref) => ref.name)),
      ...environments.flatMap((environment) => environment.body.common_fields.map((ref) => ref.name)),
    ]);
    expect(catalog.names('field').filter((name) => !used.has(name))).toEqual([]);
  });

  it('shows off every field type, format, constraint and pii mode of the model', () => {
    const fields = latestOf(catalog, 'field').map((entry) => entry.body as FieldBody);
    const types = new Set<string>();
    const keywords = new Set<string>();
    const note = (type: FieldType) => {
      types.add(type.type);
      for (const [key, value] of Object.entries(type)) {
        if (key === 'type' || key === 'items') continue;
        keywords.add(key === 'format' ? `format:${String(value)}` : `${type.type}.${key}`);
      }
    };
    for (const field of fields) {
      const { description: _description, examples: _examples, pii: _pii, ...type } = field;
      note(type as FieldType);
      if (type.type === 'array') note(type.items);
    }
    expect([...types].sort()).toEqual(['array', 'boolean', 'integer', 'number', 'string']);
    expect([...keywords]).toEqual(
      expect.arrayContaining([
        'string.enum',
        'string.pattern',
        'format:date-time',
        'format:date',
        'format:uri',
        'format:email',
        'format:uuid',
        'string.minLength',
        'string.maxLength',
        'integer.minimum',
        'integer.maximum',
        'integer.exclusiveMinimum',
        'integer.exclusiveMaximum',
        'number.minimum',
        'number.maximum',
        'number.exclusiveMinimum',
        'number.exclusiveMaximum',
        'array.minItems',
        'array.maxItems',
        'array.uniqueItems',
      ]),
    );
    expect(new Set(fields.map((field) => field.pii))).toEqual(new Set(['none', 'hash', 'drop']));
  });

  it('documents everything: every field, event and environment has a description, every field examples', () => {
    const undocumented = ENTITY_KINDS.flatMap((kind) =>
      latestOf(catalog, kind)
        .filter((entry) => entry.body.description.trim().length < 20)
        .map((entry) => `${kind} ${entry.name}`),
    );
    expect(undocumented).toEqual([]);
    const withoutExamples = latestOf(catalog, 'field')
      .filter((entry) => (entry.body as FieldBody).examples.length === 0)
      .map((entry) => entry.name);
    expect(withoutExamples).toEqual([]);
  });

  it('gives examples that satisfy their field, in every version', () => {
    const ajv = createAjv();
    const invalid: string[] = [];
    for (const entry of versions.filter((version) => version.kind === 'field')) {
      const body = entry.body as FieldBody;
      const validate = ajv.compile(fieldSchema(body));
      body.examples.forEach((example, index) => {
        if (!validate(example)) invalid.push(`${entry.name}@${entry.version} example ${index}: ${ajv.errorsText(validate.errors)}`);
      });
    }
    expect(invalid).toEqual([]);
  });

  it('compiles to JSON Schemas that accept an event made of the fields examples', () => {
    const ajv = createAjv();
    const lookup: CatalogLookup = {
      field: (name, version) => catalog.body('field', name, version) as FieldBody,
      event: (name, version) => catalog.body('event', name, version) as EntityVersion<'event'>['body'],
    };
    const invalid: string[] = [];
    for (const name of catalog.names('environment')) {
      for (const environment of catalog.versions('environment', name)) {
        for (const { event_name, event_version, schema } of buildEnvironmentSchemas(environment, lookup)) {
          const validate = ajv.compile(schema);
          const properties = schema['properties'] as Record<string, { examples?: unknown[] }>;
          const data = Object.fromEntries(Object.entries(properties).map(([field, property]) => [field, property.examples?.[0]]));
          if (!validate(data)) invalid.push(`${name}@${environment.version} ${event_name}@${event_version}: ${ajv.errorsText(validate.errors)}`);
        }
      }
    }
    expect(invalid).toEqual([]);
  });

  it('changes nothing when the last file is applied again', () => {
    const last = files[files.length - 1] as string;
    expect(plan(versions, readCatalogFile(last), last).versions).toEqual([]);
  });
});
