/**
 * A field's `pattern` is checked by the collector (JavaScript) and by every langpack
 * (JavaScript, Go's RE2, PHP's PCRE, Python's re), so it must mean the same thing in all
 * of them. We accept the common core of the four dialects and reject, with a reason,
 * everything where they differ or that one of them lacks.
 *
 * Two constructs are accepted although the engines differ by default, because the
 * generators translate them: `$` (Python and PCRE also match before a final newline)
 * and `.` (JavaScript also excludes \r, U+2028 and U+2029). See libs/codegen.
 */

export const MAX_PATTERN_LENGTH = 4096;
/** RE2 refuses counted repetition above 1000, nested repetitions included (a{10}){101}. */
export const MAX_REPEAT_COUNT = 1000;
/** PCRE's default limit on nested parentheses. */
export const MAX_GROUP_DEPTH = 250;

const UNICODE_DEPENDENT_CLASSES: Record<string, string> = {
  d: '[0-9]',
  D: '[^0-9]',
  w: '[A-Za-z0-9_]',
  W: '[^A-Za-z0-9_]',
  s: '[ \\t\\n\\r\\f]',
  S: '[^ \\t\\n\\r\\f]',
};

/** Why this pattern cannot be used in the catalog, or null when it can. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `the pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  return new PatternScanner(pattern).firstProblem();
}

class PatternScanner {
  private index = 0;
  /**
   * RE2 multiplies nested counted repeats: for each open group, innermost last, the most
   * copies of one element that a counted repeat inside it makes.
   */
  private readonly groups: number[] = [];
  /** The copies made by the atom just scanned, which a following quantifier applies to. */
  private copies = 0;

  constructor(private readonly pattern: string) {}

  firstProblem(): string | null {
    while (this.index < this.pattern.length) {
      const problem = this.scanAtom();
      if (problem) return problem;
    }
    return null;
  }

  private scanAtom(): string | null {
    const char = this.pattern[this.index];
    if (char === '{') return this.scanCountedRepeat();
    if (char === '*' || char === '+' || char === '?') {
      this.index += 1;
      return null;
    }
    this.closeAtom();
    this.copies = 1;
    if (char === '\\') return this.scanEscape(false);
    if (char === '(') return this.scanGroupOpening();
    if (char === '[') return this.scanClass();
    if (char === ')') this.copies = Math.max(this.groups.pop() ?? 1, 1);
    this.index += 1;
    return null;
  }

  /** The atom before, and whatever quantifier followed it, are done: count it in its group. */
  private closeAtom(): void {
    const depth = this.groups.length;
    if (depth > 0) this.groups[depth - 1] = Math.max(this.groups[depth - 1] ?? 0, this.copies);
    this.copies = 0;
  }

  private scanEscape(inClass: boolean): string | null {
    const at = this.index;
    const next = this.pattern[at + 1] ?? '';
    this.index += 2;
    if (/[1-9]/.test(next)) return `backreference \\${next} at offset ${at}: Go's RE2 has no backreferences`;
    if (next === 'k') return `named backreference at offset ${at}: Go's RE2 has no backreferences`;
    if (next === '0') return `\\0 at offset ${at} means NUL in JavaScript but starts an octal escape in PCRE and Python; write \\x00`;
    if (next === 'p' || next === 'P') {
      return `Unicode property escape \\${next} at offset ${at}: Python's re does not support it; list the characters or ranges instead`;
    }
    if (next in UNICODE_DEPENDENT_CLASSES) {
      return `\\${next} at offset ${at} matches Unicode characters in Python but only ASCII in JavaScript, Go and PHP; write ${UNICODE_DEPENDENT_CLASSES[next]} instead`;
    }
    if (next === 'b' || next === 'B') {
      return inClass
        ? `\\b inside a character class at offset ${at} is not supported by Go's RE2; write \\x08`
        : `word boundary \\${next} at offset ${at} depends on Unicode word characters in Python but not elsewhere; it is not portable`;
    }
    if (next === 'u') return `\\u escape at offset ${at}: Go and PHP do not support it; write the character itself`;
    if (next === 'c') return `control escape \\c at offset ${at}: Go's RE2 does not support it; write \\xHH`;
    if (next === 'v') return `\\v at offset ${at} is one character in JavaScript and Python but a class of vertical spaces in PCRE; write \\x0b`;
    return null;
  }

  private scanGroupOpening(): string | null {
    const at = this.index;
    this.index += 1;
    this.groups.push(0);
    if (this.groups.length > MAX_GROUP_DEPTH) {
      return `group at offset ${at} is nested ${this.groups.length} deep: PCRE allows at most ${MAX_GROUP_DEPTH}`;
    }
    if (this.pattern[this.index] !== '?') return null;
    const rest = this.pattern.slice(this.index, this.index + 3);
    if (rest.startsWith('?:')) {
      this.index += 2;
      return null;
    }
    if (rest.startsWith('?=') || rest.startsWith('?!')) return `lookahead at offset ${at}: Go's RE2 has no lookarounds`;
    if (rest.startsWith('?<=') || rest.startsWith('?<!')) return `lookbehind at offset ${at}: Go's RE2 has no lookarounds`;
    if (rest.startsWith('?<')) {
      return `named group at offset ${at}: the syntax differs between JavaScript, Go, PHP and Python; use a plain group`;
    }
    return `group modifier "(${rest}" at offset ${at} is not portable; only plain groups and (?: ) are allowed`;
  }

  private scanClass(): string | null {
    const at = this.index;
    this.index += 1;
    if (this.pattern[this.index] === '^') this.index += 1;
    if (this.pattern[this.index] === ']') {
      return `empty character class at offset ${at}: JavaScript reads "[]" as matching nothing, the other engines as a literal "]"`;
    }
    while (this.index < this.pattern.length && this.pattern[this.index] !== ']') {
      const char = this.pattern[this.index];
      if (char === '\\') {
        const problem = this.scanEscape(true);
        if (problem) return problem;
        continue;
      }
      if (char === '[') {
        return `unescaped "[" inside a character class at offset ${this.index}: Go and PHP read "[:" as a POSIX class and Python warns of nested sets; write \\[`;
      }
      if ((char === '&' || char === '~' || char === '|' || char === '-') && this.pattern[this.index + 1] === char) {
        return `"${char}${char}" inside a character class at offset ${this.index} is a set operation in some engines; escape one of them`;
      }
      this.index += 1;
    }
    // PCRE refuses a class whose content starts and ends with the same ":", "." or "=",
    // taking it for a POSIX class ("[:alpha:]") written outside brackets.
    const content = this.pattern.slice(at + 1, this.index);
    const first = content[0] ?? '';
    if (content.length >= 2 && ':.='.includes(first) && content.endsWith(first)) {
      return `"[${content}]" at offset ${at} looks like a POSIX class to PCRE, which refuses it; reorder the characters`;
    }
    this.index += 1;
    return null;
  }

  private scanCountedRepeat(): string | null {
    const at = this.index;
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(at));
    this.index += match ? match[0].length : 1;
    if (!match) return null;
    const counts = [match[1], match[3]].filter((count): count is string => count !== undefined && count !== '');
    if (counts.some((count) => Number(count) > MAX_REPEAT_COUNT)) {
      return `repeat count ${match[0]} at offset ${at}: Go's RE2 allows at most ${MAX_REPEAT_COUNT}`;
    }
    // RE2 counts {n,} as n copies and skips what {0} repeats.
    const times = Number(match[3] || match[1]);
    if (times === 0) {
      this.copies = 0;
      return null;
    }
    if (times * this.copies > MAX_REPEAT_COUNT) {
      return `repeat count ${match[0]} at offset ${at} makes ${times * this.copies} copies with the repeats inside it: Go's RE2 allows at most ${MAX_REPEAT_COUNT}`;
    }
    this.copies *= times;
    return null;
  }
}
