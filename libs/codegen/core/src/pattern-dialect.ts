/**
 * A catalog pattern (already checked portable by libs/catalog) rewritten for one regex
 * engine so that it gives the verdicts of the JSON Schema (JavaScript with the `u` flag,
 * searched, not anchored): `.` must not match \n, \r, U+2028 or U+2029, and `$` must
 * match only at the very end, as in JavaScript.
 */
export interface PatternDialect {
  /** What `.` outside a character class becomes. */
  dot: string;
  /** What `$` outside a character class becomes. */
  end: string;
}

export const PATTERN_DIALECTS = {
  javascript: { dot: '.', end: '$' },
  go: { dot: '[^\\n\\r\\x{2028}\\x{2029}]', end: '$' },
  pcre: { dot: '[^\\n\\r\\x{2028}\\x{2029}]', end: '\\z' },
  python: { dot: '[^\\n\\r\\u2028\\u2029]', end: '\\Z' },
} satisfies Record<string, PatternDialect>;

export function translatePattern(pattern: string, dialect: PatternDialect): string {
  let out = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === '\\') {
      out += char + (pattern[index + 1] ?? '');
      index += 1;
    } else if (inClass) {
      out += char;
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
      out += char;
      // A leading "]" or "^]" is literal in a class only in some engines; the catalog rejects "[]".
      if (pattern[index + 1] === '^') {
        out += '^';
        index += 1;
      }
    } else if (char === '.') {
      out += dialect.dot;
    } else if (char === '$') {
      out += dialect.end;
    } else {
      out += char;
    }
  }
  return out;
}
