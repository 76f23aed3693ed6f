import { loadFixture } from '../test/load-fixture';
import { MAX_GROUP_DEPTH, MAX_PATTERN_LENGTH, MAX_REPEAT_COUNT, patternProblem } from './pattern';

interface PatternCases {
  accepted: { pattern: string; why: string }[];
  rejected: { pattern: string; reason: string; why?: string }[];
}

const cases = loadFixture<PatternCases>('patterns.json');

describe('patternProblem', () => {
  test.each(cases.accepted)('accepts /$pattern/ ($why)', ({ pattern }) => {
    expect(patternProblem(pattern)).toBeNull();
  });

  test.each(cases.rejected)('rejects /$pattern/', ({ pattern, reason }) => {
    expect(patternProblem(pattern)).toMatch(new RegExp(reason));
  });

  it('limits the length of a pattern', () => {
    expect(patternProblem('a'.repeat(MAX_PATTERN_LENGTH))).toBeNull();
    expect(patternProblem('a'.repeat(MAX_PATTERN_LENGTH + 1))).toBe(
      `the pattern is ${MAX_PATTERN_LENGTH + 1} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`,
    );
  });

  it('allows counted repetition up to the RE2 limit and no further', () => {
    expect(patternProblem(`a{${MAX_REPEAT_COUNT}}`)).toBeNull();
    expect(patternProblem(`a{${MAX_REPEAT_COUNT},${MAX_REPEAT_COUNT}}`)).toBeNull();
    expect(patternProblem(`a{0,${MAX_REPEAT_COUNT + 1}}`)).not.toBeNull();
  });

  it('limits how deep groups nest', () => {
    const nested = (depth: number, opening: string) => `${opening.repeat(depth)}a${')'.repeat(depth)}`;
    expect(patternProblem(nested(MAX_GROUP_DEPTH, '('))).toBeNull();
    expect(patternProblem(nested(MAX_GROUP_DEPTH, '(?:'))).toBeNull();
    expect(patternProblem(nested(MAX_GROUP_DEPTH + 1, '('))).toBe(
      `group at offset ${MAX_GROUP_DEPTH} is nested ${MAX_GROUP_DEPTH + 1} deep: PCRE allows at most ${MAX_GROUP_DEPTH}`,
    );
    expect(patternProblem(`(a)`.repeat(MAX_GROUP_DEPTH + 1))).toBeNull();
  });
});
