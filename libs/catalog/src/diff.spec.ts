import { loadFixture } from '../test/load-fixture';
import { diffBodies, repinJudge, repinsOf, type Change } from './diff';
import type { EntityKind } from './model';

interface DiffCase {
  name: string;
  kind: EntityKind;
  before?: unknown;
  after: unknown;
  changes: Change[];
}

const cases = loadFixture<DiffCase[]>('diffs.json');

describe('diffBodies', () => {
  test.each(cases)('$kind: $name', ({ kind, before, after, changes }) => {
    expect(diffBodies(kind, before, after)).toEqual(changes);
  });

  const boundChanges = cases.filter(({ kind }) => kind === 'field').flatMap(({ kind, name, changes }) =>
    changes.filter((change) => change.op === 'replace' && typeof change.before === 'number').map((change) => ({ kind, name, change })),
  );

  test.each(boundChanges)('$kind: $name — moving $change.path back reverses the judgement', ({ kind, change }) => {
    // A bound that tightened loosens when moved back, and the reverse.
    const segments = change.path.split('/').slice(1);
    const nest = (value: unknown) => segments.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
    const [back] = diffBodies(kind, nest(change.after), nest(change.before));
    expect(back).toEqual({ op: 'replace', path: change.path, before: change.after, after: change.before, breaking: !change.breaking });
  });

  it('finds several bound changes in the fixture', () => {
    expect(boundChanges.length).toBeGreaterThanOrEqual(8);
  });
});

describe('re-pins', () => {
  // user_id@2 only reworded its description; user_id@3 lowered its maxLength.
  const bodies: Record<string, unknown> = {
    'field:user_id@1': { type: 'string', maxLength: 64, description: 'A user', examples: [], pii: 'hash' },
    'field:user_id@2': { type: 'string', maxLength: 64, description: 'A signed-in user', examples: [], pii: 'hash' },
    'field:user_id@3': { type: 'string', maxLength: 32, description: 'A signed-in user', examples: [], pii: 'hash' },
    'event:item_viewed@1': { description: '', owner: 'team-items', fields: [{ name: 'user_id', version: 1, required: true }] },
    'event:item_viewed@2': { description: '', owner: 'team-items', fields: [{ name: 'user_id', version: 2, required: true }] },
    'event:item_viewed@3': { description: '', owner: 'team-items', fields: [{ name: 'user_id', version: 3, required: true }] },
  };
  const judge = repinJudge((kind, name, version) => bodies[`${kind}:${name}@${version}`]);
  const environment = (event: number) => ({ description: '', owner: 'team-web', common_fields: [], events: [{ name: 'item_viewed', version: event }] });

  it('judges an event re-pinning a field by the change between the two field versions', () => {
    const event = (field: number) => bodies[`event:item_viewed@${field}`];
    expect(diffBodies('event', event(1), event(2), judge)).toEqual([{ op: 'replace', path: '/fields/user_id/version', before: 1, after: 2, breaking: false }]);
    expect(diffBodies('event', event(2), event(3), judge)).toEqual([{ op: 'replace', path: '/fields/user_id/version', before: 2, after: 3, breaking: true }]);
    // Two steps at once: judged between the two ends. Back again: a looser bound, not breaking.
    expect(diffBodies('event', event(1), event(3), judge)[0]?.breaking).toBe(true);
    expect(diffBodies('event', event(3), event(1), judge)[0]?.breaking).toBe(false);
  });

  it('follows an environment re-pinning an event down to the fields that event re-pins', () => {
    expect(diffBodies('environment', environment(1), environment(2), judge)[0]?.breaking).toBe(false);
    expect(diffBodies('environment', environment(2), environment(3), judge)[0]?.breaking).toBe(true);
  });

  it('calls a re-pin to a version it cannot see breaking, and judges none without a catalog', () => {
    expect(diffBodies('environment', environment(3), environment(9), judge)[0]?.breaking).toBe(true);
    expect(diffBodies('environment', environment(2), environment(3))[0]?.breaking).toBe(false);
  });

  it('lists the re-pins of an event or environment', () => {
    expect(repinsOf('environment', environment(1), environment(3))).toEqual([{ kind: 'event', name: 'item_viewed', before: 1, after: 3 }]);
    expect(repinsOf('event', bodies['event:item_viewed@1'], bodies['event:item_viewed@2'])).toEqual([{ kind: 'field', name: 'user_id', before: 1, after: 2 }]);
    expect(repinsOf('event', bodies['event:item_viewed@1'], bodies['event:item_viewed@1'])).toEqual([]);
    expect(repinsOf('field', bodies['field:user_id@1'], bodies['field:user_id@3'])).toEqual([]);
  });
});
