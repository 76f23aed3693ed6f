import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ANY_EVENT,
  checkNextVersion,
  deepEqual,
  environmentClashes,
  InMemoryCatalog,
  parseEnvironmentDraft,
  parseEventDraft,
  parseFieldBody,
  planApply,
  pointer,
  resolveEnvironmentDraft,
  resolveEventDraft,
  type AnyBody,
  type ApplyPlan,
  type CatalogFile,
  type CatalogIssue,
  type EntityKind,
  type EntityVersion,
  type EnvironmentBody,
  type EventBody,
  type FieldBody,
  type Result,
  type RoutingVersion,
  type VersionIndex,
} from '@tagplan/catalog';
import { createAjv, fieldSchema } from '@tagplan/json-schema';
import { insertRouting, latestRouting } from '../routing/routing.rows';
import { CatalogException } from './catalog.exceptions';
import { loadPinnedVersions, loadVersionsOf, referencesOf, toEntityVersion, VERSION_COLUMNS, type VersionRow } from './catalog.rows';

export interface ListQuery {
  q?: string;
  owner?: string;
  limit: number;
  offset: number;
}

export interface NewVersion {
  kind: EntityKind;
  name: string;
  /** The body as received: validated and normalized here. */
  body: unknown;
  author: string;
  message: string;
  /** The version the caller means to create; absent means "the next one". */
  version?: number;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Reads and writes the versioned catalog. Every write is atomic (one statement, or one
 * transaction for an apply); the rules of what may be written come from libs/catalog,
 * and the database refuses anything that slips past them (unique versions, existing
 * references, no updates).
 */
@Injectable()
export class CatalogStore {
  private readonly exampleAjv = createAjv();

  constructor(private readonly dataSource: DataSource) {}

  async list(kind: EntityKind, query: ListQuery): Promise<{ items: EntityVersion[]; total: number }> {
    const conditions = ['v.kind = $1'];
    const parameters: unknown[] = [kind];
    if (query.q) {
      parameters.push(`%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
      conditions.push(`(v.name ILIKE $${parameters.length} OR v.body->>'description' ILIKE $${parameters.length})`);
    }
    if (query.owner) {
      parameters.push(query.owner);
      conditions.push(`v.body->>'owner' = $${parameters.length}`);
    }
    const latest = `
      FROM catalog_versions v
      JOIN (SELECT kind, name, max(version) AS version FROM catalog_versions WHERE kind = $1 GROUP BY kind, name) latest
        USING (kind, name, version)
      WHERE ${conditions.join(' AND ')}`;
    const [rows, counted] = await Promise.all([
      this.dataSource.query(`SELECT ${prefixed('v')} ${latest} ORDER BY v.name LIMIT ${query.limit} OFFSET ${query.offset}`, parameters),
      this.dataSource.query(`SELECT count(*)::int AS total ${latest}`, parameters),
    ]);
    return { items: (rows as VersionRow[]).map(toEntityVersion), total: (counted as { total: number }[])[0]?.total ?? 0 };
  }

  async versions(kind: EntityKind, name: string): Promise<EntityVersion[]> {
    const versions = await loadVersionsOf(this.dataSource.manager, [{ kind, name }]);
    if (versions.length === 0) throw notFound(kind, name);
    return versions;
  }

  async version(kind: EntityKind, name: string, version: number): Promise<EntityVersion> {
    const [found] = await loadPinnedVersions(this.dataSource.manager, kind, [{ name, version }]);
    if (found) return found;
    const exists = await this.dataSource.query('SELECT 1 FROM catalog_entities WHERE kind = $1 AND name = $2', [kind, name]);
    throw exists.length > 0 ? new CatalogException('not_found', `${kind} ${name} has no version ${version}`) : notFound(kind, name);
  }

  /** The latest version of every entity (for export) or every version (for snapshots). */
  async everything(onlyLatest: boolean): Promise<EntityVersion[]> {
    const rows: VersionRow[] = await this.dataSource.query(
      onlyLatest
        ? `SELECT DISTINCT ON (kind, name) ${VERSION_COLUMNS} FROM catalog_versions ORDER BY kind, name, version DESC`
        : `SELECT ${VERSION_COLUMNS} FROM catalog_versions ORDER BY kind, name, version`,
    );
    return rows.map(toEntityVersion);
  }

  /** The latest routing version, if any (routes are part of the catalog: DESIGN §4). */
  routing(): Promise<RoutingVersion | undefined> {
    return latestRouting(this.dataSource.manager);
  }

  async isEmpty(): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM catalog_entities LIMIT 1');
    return rows.length === 0;
  }

  /** Creates an entity with its version 1 (`create`) or adds the next version of one. */
  async write(request: NewVersion, create: boolean): Promise<EntityVersion> {
    const draft = parseBody(request.kind, request.body);
    if (!draft.ok) throw CatalogException.invalid(draft.issues);
    // No explicit transaction: under READ COMMITTED each read sees the latest committed
    // state anyway, versions are never changed or deleted, and the write is one atomic
    // statement (insertVersion). Two requests racing for the same next version meet at
    // the primary key, and the loser gets a 409. Fewer round trips, faster writes.
    const manager = this.dataSource.manager;
    const latest = await latestVersion(manager, request.kind, request.name);
    if (create && latest) throw new CatalogException('already_exists', `${request.kind} ${request.name} already exists; add a version with POST .../${request.name}/versions`);
    if (!create && !latest) throw notFound(request.kind, request.name);
    const verdict = checkNextVersion(request.kind, request.name, latest?.version ?? 0, create ? 1 : request.version);
    if (!verdict.ok) throw new CatalogException('version_conflict', verdict.message);
    const body = await this.resolve(manager, request.kind, draft.value);
    if (latest && deepEqual(latest.body, body)) {
      throw new CatalogException('unchanged', `this would be identical to ${request.kind} ${request.name}@${latest.version}; nothing to add`);
    }
    const written = { kind: request.kind, name: request.name, version: verdict.version, body };
    return insertVersion(manager, written, request.author, request.message, create);
  }

  /**
   * Makes the registry match a catalog file, in one transaction: either every planned
   * version is written or none is.
   */
  async apply(file: CatalogFile, author: string, message: string | undefined, dryRun: boolean): Promise<ApplyPlan> {
    return this.dataSource.transaction(async (manager) => {
      const state = new InMemoryCatalog(await loadVersionsOf(manager, namesInvolved(file)));
      const routing = file.routes === undefined ? undefined : await latestRouting(manager);
      const plan = planApply(file, state, message ?? '', routing);
      if (!plan.ok) throw CatalogException.invalid(plan.issues);
      // Only a change needs to say why: applying a file that changes nothing needs no message.
      if (message === undefined && (plan.value.versions.length > 0 || plan.value.routing)) {
        throw CatalogException.invalid([{ path: '/message', code: 'required', message: 'a change-log message is required: put `message:` in the file or pass -m' }]);
      }
      for (const field of plan.value.versions.filter((entry) => entry.kind === 'field')) {
        this.checkExamples(field.body as FieldBody, pointer('/fields', field.name));
      }
      if (!dryRun) {
        for (const version of plan.value.versions) await insertVersion(manager, version, author, plan.value.message, version.version === 1);
        // After the versions, so that routes may name what this same file creates.
        if (plan.value.routing) await insertRouting(manager, plan.value.routing.version, plan.value.routing.routes, author, plan.value.message);
      }
      return plan.value;
    });
  }

  private async resolve(manager: EntityManager, kind: EntityKind, draft: unknown): Promise<AnyBody> {
    if (kind === 'field') {
      this.checkExamples(draft as FieldBody, '');
      return draft as FieldBody;
    }
    const refs = kind === 'event' ? (draft as { fields: { name: string }[] }).fields.map((ref) => ({ kind: 'field' as const, name: ref.name })) : environmentRefKeys(draft as EnvironmentBody);
    const index = await latestIndex(manager, refs);
    const resolved: Result<EventBody | EnvironmentBody> =
      kind === 'event'
        ? resolveEventDraft(draft as Parameters<typeof resolveEventDraft>[0], index)
        : resolveEnvironmentDraft(draft as Parameters<typeof resolveEnvironmentDraft>[0], index);
    if (!resolved.ok) throw CatalogException.invalid(resolved.issues);
    if (kind === 'environment') {
      const environment = resolved.value as EnvironmentBody;
      const events = new InMemoryCatalog(await loadPinnedVersions(manager, 'event', environment.events));
      const clashes = environmentClashes(environment, (name, version) => events.body('event', name, version));
      if (clashes.length > 0) throw CatalogException.invalid(clashes);
    }
    return resolved.value;
  }

  /** A field's examples are documentation people copy: each must be a valid value. */
  private checkExamples(field: FieldBody, path: string): void {
    if (field.examples.length === 0) return;
    const schema = fieldSchema({ ...field, examples: [], description: '' });
    const validate = this.exampleAjv.compile(schema);
    const issues: CatalogIssue[] = [];
    field.examples.forEach((example, index) => {
      if (!validate(example)) {
        const reason = validate.errors?.[0]?.message ?? 'is invalid';
        issues.push({ path: pointer(pointer(path, 'examples'), index), code: 'invalid_value', message: `example ${JSON.stringify(example)} is not a valid value: ${reason}` });
      }
    });
    // ajv keeps every compiled schema, keyed by the object: without this, each write leaks one.
    this.exampleAjv.removeSchema(schema);
    if (issues.length > 0) throw CatalogException.invalid(issues);
  }
}

function parseBody(kind: EntityKind, body: unknown): Result<unknown> {
  if (kind === 'field') return parseFieldBody(body);
  if (kind === 'event') return parseEventDraft(body);
  return parseEnvironmentDraft(body);
}

function notFound(kind: EntityKind, name: string): CatalogException {
  return new CatalogException('not_found', `there is no ${kind} named ${name}`);
}

function prefixed(alias: string): string {
  return VERSION_COLUMNS.split(', ').map((column) => `${alias}.${column}`).join(', ');
}

async function latestVersion(manager: EntityManager, kind: EntityKind, name: string): Promise<EntityVersion | undefined> {
  const rows: VersionRow[] = await manager.query(
    `SELECT ${VERSION_COLUMNS} FROM catalog_versions WHERE kind = $1 AND name = $2 ORDER BY version DESC LIMIT 1`,
    [kind, name],
  );
  return rows[0] ? toEntityVersion(rows[0]) : undefined;
}

async function latestIndex(manager: EntityManager, keys: { kind: EntityKind; name: string }[]): Promise<VersionIndex> {
  const rows: { kind: EntityKind; name: string; version: number }[] = keys.length === 0 ? [] : await manager.query(
    `SELECT kind, name, max(version) AS version FROM catalog_versions
      WHERE (kind, name) IN (SELECT * FROM unnest($1::text[], $2::text[])) GROUP BY kind, name`,
    [keys.map((key) => key.kind), keys.map((key) => key.name)],
  );
  const latest = new Map(rows.map((row) => [`${row.kind}:${row.name}`, row.version]));
  return { latest: (kind, name) => latest.get(`${kind}:${name}`) };
}

function environmentRefKeys(draft: { common_fields: { name: string }[]; events: { name: string }[] }): { kind: EntityKind; name: string }[] {
  return [
    ...draft.common_fields.map((ref) => ({ kind: 'field' as const, name: ref.name })),
    ...draft.events.map((ref) => ({ kind: 'event' as const, name: ref.name })),
  ];
}

/** Everything a plan for this file may need to read: its entities and what they reference. */
function namesInvolved(file: CatalogFile): { kind: EntityKind; name: string }[] {
  const keys = new Map<string, { kind: EntityKind; name: string }>();
  const add = (kind: EntityKind, name: string) => keys.set(`${kind}:${name}`, { kind, name });
  for (const name of Object.keys(file.fields)) add('field', name);
  for (const [name, event] of Object.entries(file.events)) {
    add('event', name);
    event.fields.forEach((ref) => add('field', ref.name));
  }
  for (const [name, environment] of Object.entries(file.environments)) {
    add('environment', name);
    environmentRefKeys(environment).forEach((key) => add(key.kind, key.name));
  }
  for (const route of file.routes ?? []) {
    add('environment', route.environment);
    if (route.event !== ANY_EVENT) add('event', route.event);
  }
  return [...keys.values()];
}

async function insertVersion(
  manager: EntityManager,
  version: { kind: EntityKind; name: string; version: number; body: AnyBody },
  author: string,
  message: string,
  isNewEntity: boolean,
): Promise<EntityVersion> {
  const { kind, name } = version;
  const references = referencesOf(kind, version.body);
  try {
    // One statement, so one round trip, for the entity (when new), the version and its
    // references: the foreign keys are checked at the end of the statement, when every
    // row of it is in place.
    const [row] = (await manager.query(
      `WITH ${isNewEntity ? 'entity AS (INSERT INTO catalog_entities (kind, name) VALUES ($1, $2)),' : ''}
       inserted AS (
         INSERT INTO catalog_versions (kind, name, version, body, author, message) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING ${VERSION_COLUMNS}
       ),
       refs AS (
         INSERT INTO catalog_references (kind, name, version, role, ref_kind, ref_name, ref_version, required, position)
         SELECT inserted.kind, inserted.name, inserted.version, role, ref_kind, ref_name, ref_version, required, position
           FROM inserted, unnest($7::text[], $8::text[], $9::text[], $10::int[], $11::bool[]) WITH ORDINALITY
             AS refs(role, ref_kind, ref_name, ref_version, required, position)
       )
       SELECT * FROM inserted`,
      [
        kind,
        name,
        version.version,
        JSON.stringify(version.body),
        author,
        message,
        references.map((ref) => ref.role),
        references.map((ref) => ref.refKind),
        references.map((ref) => ref.name),
        references.map((ref) => ref.version),
        references.map((ref) => ref.required),
      ],
    )) as VersionRow[];
    return toEntityVersion(row as VersionRow);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === UNIQUE_VIOLATION) {
      throw isNewEntity
        ? new CatalogException('already_exists', `${kind} ${name} was just created by another request`)
        : new CatalogException('version_conflict', `${kind} ${name}@${version.version} was just created by another request; read the latest version and try again`);
    }
    if (code === FOREIGN_KEY_VIOLATION) {
      throw new CatalogException('invalid_body', `${kind} ${name} references a version that does not exist`);
    }
    throw error;
  }
}
