import { loadFixture } from '../test/load-fixture';
import type { EntityKind } from './model';
import { MAX_NAME_LENGTH, nameProblem } from './names';

interface NameCase {
  kind: EntityKind;
  name: unknown;
  ok: boolean;
  problem?: string;
}

const cases = loadFixture<NameCase[]>('names.json');

describe('nameProblem', () => {
  test.each(cases.filter((entry) => entry.ok))('accepts $kind name $name', ({ kind, name }) => {
    expect(nameProblem(kind, name)).toBeNull();
  });

  test.each(cases.filter((entry) => !entry.ok))('rejects $kind name $name', ({ kind, name, problem }) => {
    expect(nameProblem(kind, name)).toMatch(new RegExp(problem ?? '.'));
  });

  it('keeps its message short for very long names', () => {
    const name = 'a'.repeat(MAX_NAME_LENGTH * 10);
    const problem = nameProblem('field', name) ?? '';
    expect(problem).toContain(`is ${name.length} characters long`);
    expect(problem.length).toBeLessThan(200);
  });
});
