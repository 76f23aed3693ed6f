import { loadFixture } from '../test/load-fixture';
import { diffBodies, type Change } from './diff';
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
