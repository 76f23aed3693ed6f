import { IssueList, pointer, type CatalogIssue, type Result } from './issues';
import type { EntityKind, EnvironmentBody, EventBody, FieldRef } from './model';
import type { EnvironmentDraft, EventDraft, FieldRefDraft } from './validate';

/** What the registry knows of existing versions, enough to resolve and check references. */
export interface VersionIndex {
  /** The newest version number of an entity, or undefined if it does not exist. */
  latest(kind: EntityKind, name: string): number | undefined;
}

/** Pins every reference of an event draft; an unpinned reference takes the latest version. */
export function resolveEventDraft(draft: EventDraft, index: VersionIndex, path = ''): Result<EventBody> {
  const issues = new IssueList();
  const fields = resolveFieldRefs(draft.fields, index, pointer(path, 'fields'), issues);
  return issues.result({ description: draft.description, owner: draft.owner, fields });
}

export function resolveEnvironmentDraft(draft: EnvironmentDraft, index: VersionIndex, path = ''): Result<EnvironmentBody> {
  const issues = new IssueList();
  const commonFields = resolveFieldRefs(draft.common_fields, index, pointer(path, 'common_fields'), issues);
  const events = draft.events.map((ref, position) => ({
    name: ref.name,
    version: resolveVersion('event', ref, index, pointer(pointer(path, 'events'), position), issues),
  }));
  return issues.result({ description: draft.description, owner: draft.owner, common_fields: commonFields, events });
}

function resolveFieldRefs(refs: FieldRefDraft[], index: VersionIndex, path: string, issues: IssueList): FieldRef[] {
  return refs.map((ref, position) => ({
    name: ref.name,
    version: resolveVersion('field', ref, index, pointer(path, position), issues),
    required: ref.required,
  }));
}

function resolveVersion(kind: EntityKind, ref: { name: string; version?: number }, index: VersionIndex, path: string, issues: IssueList): number {
  const latest = index.latest(kind, ref.name);
  if (latest === undefined) {
    issues.add(pointer(path, 'name'), 'unknown_reference', `there is no ${kind} named ${ref.name}`);
    return ref.version ?? 0;
  }
  if (ref.version === undefined) return latest;
  if (ref.version > latest) {
    issues.add(pointer(path, 'version'), 'unknown_reference', `${kind} ${ref.name} has no version ${ref.version} (the latest is ${latest})`);
  }
  return ref.version;
}

/**
 * An environment adds its common fields to every event it sends, so a common field must
 * not share its name with a different field version carried by one of those events.
 */
export function findFieldClashes(
  commonFields: FieldRef[],
  events: { name: string; version: number; fields: FieldRef[] }[],
  path = '',
): CatalogIssue[] {
  const issues = new IssueList();
  const common = new Map(commonFields.map((ref, position) => [ref.name, { ref, position }]));
  events.forEach((event) => {
    for (const field of event.fields) {
      const clash = common.get(field.name);
      if (clash && clash.ref.version !== field.version) {
        issues.add(
          pointer(pointer(path, 'common_fields'), clash.position),
          'field_clash',
          `common field ${field.name}@${clash.ref.version} clashes with ${field.name}@${field.version} carried by event ${event.name}@${event.version}`,
        );
      }
    }
  });
  return issues.issues;
}

export type NextVersionVerdict =
  | { ok: true; version: number }
  | { ok: false; reason: 'already_exists' | 'gap'; message: string };

/** May `requested` (or, when absent, the next number) be created after `latest`? */
export function checkNextVersion(kind: EntityKind, name: string, latest: number, requested?: number): NextVersionVerdict {
  const next = latest + 1;
  if (requested === undefined || requested === next) return { ok: true, version: next };
  if (requested <= latest) {
    return { ok: false, reason: 'already_exists', message: `${kind} ${name} already has version ${requested}; the next is ${next}` };
  }
  return { ok: false, reason: 'gap', message: `${kind} ${name} is at version ${latest}; version ${requested} would leave a gap (the next is ${next})` };
}
