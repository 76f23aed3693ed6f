import { patternProblem } from '@tagplan/catalog';
import { loadFixture } from '../test/load-fixture';
import { DATE_PATTERN, DATE_TIME_PATTERN, EMAIL_PATTERN, FORMAT_CHECKS, URI_PATTERN, UUID_PATTERN } from './formats';

type FormatName = keyof typeof FORMAT_CHECKS;

const table = loadFixture<Record<FormatName, { valid: string[]; invalid: string[] }>>('formats.json');
const cases = (Object.keys(table) as FormatName[]).flatMap((format) => [
  ...table[format].valid.map((value) => ({ format, value, valid: true })),
  ...table[format].invalid.map((value) => ({ format, value, valid: false })),
]);

describe('FORMAT_CHECKS', () => {
  it('covers every format of the catalog', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(FORMAT_CHECKS).sort());
  });

  test.each(cases)('$format $value: $valid', ({ format, value, valid }) => {
    expect(FORMAT_CHECKS[format](value)).toBe(valid);
  });
});

describe('format patterns', () => {
  // Every langpack carries these regular expressions, so they must obey the catalog's own
  // portability rules.
  test.each([
    ['date', DATE_PATTERN],
    ['date-time', DATE_TIME_PATTERN],
    ['uri', URI_PATTERN],
    ['uuid', UUID_PATTERN],
    ['email', EMAIL_PATTERN],
  ])('%s is portable', (_format, pattern) => {
    expect(patternProblem(pattern)).toBeNull();
  });
});
