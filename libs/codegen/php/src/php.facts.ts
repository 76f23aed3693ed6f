import { Namer, NameScope, wrapWords } from '@tagplan/codegen-core';

/**
 * What PHP needs from a generator: its reserved words, one escape rule, the literals it
 * reads. PHP class and function names are case-insensitive, so are its reserved words;
 * constants (enum cases) and variables are case-sensitive.
 */
export const LANGUAGE = 'php';

/** Words PHP refuses as a class, interface or enum name (any case), PHP 8.1 to 8.4. */
export const RESERVED_CLASS_NAMES: ReadonlySet<string> = new Set([
  // keywords
  '__halt_compiler', 'abstract', 'and', 'array', 'as', 'break', 'callable', 'case', 'catch', 'class', 'clone', 'const',
  'continue', 'declare', 'default', 'die', 'do', 'echo', 'else', 'elseif', 'empty', 'enddeclare', 'endfor', 'endforeach',
  'endif', 'endswitch', 'endwhile', 'enum', 'eval', 'exit', 'extends', 'final', 'finally', 'fn', 'for', 'foreach',
  'function', 'global', 'goto', 'if', 'implements', 'include', 'include_once', 'instanceof', 'insteadof', 'interface',
  'isset', 'list', 'match', 'namespace', 'new', 'or', 'print', 'private', 'protected', 'public', 'readonly', 'require',
  'require_once', 'return', 'static', 'switch', 'throw', 'trait', 'try', 'unset', 'use', 'var', 'while', 'xor', 'yield',
  // names of types and of the class itself
  'bool', 'false', 'float', 'int', 'iterable', 'mixed', 'never', 'null', 'numeric', 'object', 'parent',
  'resource', 'self', 'string', 'true', 'void',
]);

/** `case Class` would clash with `Enum::class`; every other word may name a constant. */
export const RESERVED_CONSTANT_NAMES: ReadonlySet<string> = new Set(['class']);

/** `$this` cannot be a parameter; `$GLOBALS` and friends cannot come out of snake_case. */
export const RESERVED_VARIABLE_NAMES: ReadonlySet<string> = new Set(['this']);

/**
 * The one escape rule: a reserved word gets a trailing underscore (`Class_`, `$this_`),
 * a name that starts with a digit a leading one (`_1st`).
 */
export function escapeIdentifier(identifier: string): string {
  return /^[0-9]/.test(identifier) ? `_${identifier}` : `${identifier}_`;
}

export const classNamer = new Namer(LANGUAGE, RESERVED_CLASS_NAMES, escapeIdentifier, false);
export const constantNamer = new Namer(LANGUAGE, RESERVED_CONSTANT_NAMES, escapeIdentifier, false);
export const variableNamer = new Namer(LANGUAGE, RESERVED_VARIABLE_NAMES, escapeIdentifier, true);

/** PHP resolves classes and methods without regard to case, so their scopes must too. */
export function caseInsensitiveScope(description: string): NameScope {
  return classNamer.scope(description);
}

/** Enum cases are class constants: case-sensitive. */
export function caseSensitiveScope(description: string): NameScope {
  return new NameScope(LANGUAGE, description, true);
}

/**
 * An enum value as the snake_case words Namer expects: accents dropped, every run of
 * characters that cannot be in an identifier a word break ("eu-west-1" → eu_west_1,
 * "ünï" → uni, "a b" → a_b, "GET" → get). Values with nothing usable get a readable stand-in.
 */
export function enumValueWords(value: string): string {
  const plain = value.normalize('NFD').replace(/\p{M}+/gu, '');
  // An all-capitals word reads as one word in PascalCase: GET → Get, EUR → Eur.
  const words = plain
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => (/\p{Ll}/u.test(word) ? word : word.toLowerCase()));
  if (words.length > 0) return words.join('_');
  if (value === '') return 'empty';
  return `u${[...value].map((char) => (char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')).join('_u')}`;
}

/**
 * A PHP string literal that reads as the value: single-quoted when that is exact, else
 * double-quoted with escapes for control and line-separator characters (so no generated
 * line ends in a space, and no raw control character lands in a source file).
 */
const PLAIN = /^[^\\'\x00-\x1f\x7f\u0085\u2028\u2029]*$/;
const SPECIAL = /[\x00-\x1f\x7f\u0085\u2028\u2029]/;

export function phpString(value: string): string {
  if (PLAIN.test(value)) return `'${value}'`;
  if (!SPECIAL.test(value)) return `'${value.replace(/[\\']/g, '\\$&')}'`;
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (char === '\\' || char === '"' || char === '$') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x85 || code === 0x2028 || code === 0x2029) out += `\\u{${code.toString(16).toUpperCase()}}`;
    else out += char;
  }
  return `${out}"`;
}

/** A number from the catalog as a PHP literal: integers stay integers, the rest are floats. */
export function phpNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return Object.is(value, -0) ? '0' : String(value);
  const text = String(value);
  // "1e+21" is a float literal in PHP too; "0.5" likewise; make integral floats explicit.
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/**
 * A PCRE pattern (already translated by translatePattern) as a PHP string literal of a
 * delimited regex: `/` delimiters, an unescaped `/` escaped, and the given modifiers.
 */
export function phpRegex(pattern: string, modifiers: string): string {
  let body = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === '\\') {
      body += char + (pattern[index + 1] ?? '');
      index += 1;
    } else {
      body += char === '/' ? '\\/' : char;
    }
  }
  return phpString(`/${body}/${modifiers}`);
}

/** Text for a doc comment: `*\/` cannot end the comment early, and lines wrap at `width`. */
export function docLines(text: string, width = 96): string[] {
  const safe = text.replace(/\*\//g, '*\u2215').trim();
  if (safe === '') return [];
  if (safe.length <= width && !/\s\s|\n|\t/.test(safe)) return [safe];
  const lines: string[] = [];
  safe.split(/\n\s*\n/).forEach((paragraph, index) => {
    if (index > 0) lines.push('');
    lines.push(...wrapWords(paragraph.split(/\s+/).filter(Boolean), width));
  });
  return lines;
}

/** The first sentence of a description, for one-line summaries (`@param`). */
export function summary(text: string): string {
  const flat = text.replace(/\s+/g, ' ').replace(/\*\//g, '*\u2215').trim();
  const end = flat.search(/[.!?](\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}
