import { loadFixture } from '../test/load-fixture';
import type { CatalogIssue } from './issues';
import type { EntityKind, EnvironmentBody, EventBody, FieldRef } from './model';
import { checkNextVersion, findFieldClashes, resolveEnvironmentDraft, resolveEventDraft, type VersionIndex } from './references';
import type { EnvironmentDraft, EventDraft } from './validate';

interface ResolveCase<D, B> {
  name: string;
  draft: D;
  body?: B;
  issues?: Pick<CatalogIssue, 'path' | 'code'>[];
}

interface References {
  latest: Record<EntityKind, Record<string, number>>;
  events: ResolveCase<EventDraft, EventBody>[];
  environments: ResolveCase<EnvironmentDraft, EnvironmentBody>[];
  clashes: {
    name: string;
    common_fields: FieldRef[];
    events: { name: string; version: number; fields: FieldRef[] }[];
    issues: CatalogIssue[];
  }[];
  nextVersions: { latest: number; requested?: number; verdict: { ok: boolean; version?: number; reason?: string } }[];
}

const table = loadFixture<References>('references.json');
const index: VersionIndex = { latest: (kind, name) => table.latest[kind][name] };

function outcome(result: ReturnType<typeof resolveEventDraft> | ReturnType<typeof resolveEnvironmentDraft>) {
  return result.ok ? { body: result.value } : { issues: result.issues.map(({ path, code }) => ({ path, code })) };
}

describe('resolveEventDraft', () => {
  test.each(table.events)('$name', ({ draft, body, issues }) => {
    expect(outcome(resolveEventDraft(draft, index))).toEqual(body ? { body } : { issues });
  });

  it('prefixes pointers with the path it is given', () => {
    const result = resolveEventDraft({ description: '', owner: 'o', fields: [{ name: 'nope', required: true }] }, index, '/events/item_viewed');
    expect(outcome(result)).toEqual({ issues: [{ path: '/events/item_viewed/fields/0/name', code: 'unknown_reference' }] });
  });

  it('explains a pin beyond the latest version', () => {
    const result = resolveEventDraft({ description: '', owner: 'o', fields: [{ name: 'user_id', version: 9, required: true }] }, index);
    expect(result.ok ? '' : result.issues[0]?.message).toBe('field user_id has no version 9 (the latest is 2)');
  });
});

describe('resolveEnvironmentDraft', () => {
  test.each(table.environments)('$name', ({ draft, body, issues }) => {
    expect(outcome(resolveEnvironmentDraft(draft, index))).toEqual(body ? { body } : { issues });
  });
});

describe('findFieldClashes', () => {
  test.each(table.clashes)('$name', ({ common_fields, events, issues }) => {
    expect(findFieldClashes(common_fields, events)).toEqual(issues);
  });

  it('prefixes pointers with the path it is given', () => {
    const [clash] = table.clashes.filter((entry) => entry.issues.length === 1);
    if (!clash) throw new Error('the fixture has a single clash');
    expect(findFieldClashes(clash.common_fields, clash.events, '/environments/web').map((issue) => issue.path)).toEqual([
      '/environments/web/common_fields/1',
    ]);
  });
});

describe('checkNextVersion', () => {
  test.each(table.nextVersions)('after version $latest, asking for $requested', ({ latest, requested, verdict }) => {
    const result = checkNextVersion('event', 'item_viewed', latest, requested);
    expect(result).toMatchObject(verdict);
    if (!result.ok) expect(result.message).toMatch(/^event item_viewed /);
  });

  it('says what the next version is when refusing', () => {
    expect(checkNextVersion('field', 'user_id', 3, 3)).toEqual({
      ok: false,
      reason: 'already_exists',
      message: 'field user_id already has version 3; the next is 4',
    });
    expect(checkNextVersion('field', 'user_id', 3, 6)).toEqual({
      ok: false,
      reason: 'gap',
      message: 'field user_id is at version 3; version 6 would leave a gap (the next is 4)',
    });
  });
});
