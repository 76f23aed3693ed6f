import { PATTERN_DIALECTS, translatePattern } from '@tagplan/codegen-core';
import { phpRegex, phpString } from '../src/php.facts';
import { runOk } from './php-toolchain';

/**
 * The literals the generator writes, read back by PHP itself: strings must come out as
 * they went in, and catalog patterns must give PCRE the verdicts JavaScript's `u` regexes
 * (the JSON Schema's) give.
 */
const STRINGS = ["it's", 'back\\slash', 'dollar $x and {$y}', 'line\nbreak', 'tab\there', 'nul\u0000byte', 'line\u2028separator', 'trailing space ', 'ünï 日本 😀', '*/ end of comment', '"quoted"'];

const PATTERNS: [pattern: string, subjects: string[]][] = [
  ['^/items/[0-9]+$', ['/items/12', '/items/12\n', 'items/12', '/items/']],
  ["^[a-z']+/?$", ["it's/", "it's", 'a//', 'A']],
  ['^a.c$', ['abc', 'a\nc', 'a\rc', 'a\u2028c', 'a😀c', 'a😀😀c']],
  ['^[à-ÿ]+$', ['àéÿ', 'abc', '']],
  ['\\$[0-9]', ['cost $5', 'cost 5']],
  ['^[\\\\/]+$', ['\\/\\', 'a']],
  ['^x{2,3}$', ['xx', 'xxxx']],
  ['[.]$', ['end.', 'end.\n', 'end']],
];

test('PHP reads every generated string literal back as the original', async () => {
  const script = `echo json_encode([${STRINGS.map(phpString).join(', ')}], JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);`;
  const { stdout } = await runOk('php', ['-r', script]);
  expect(JSON.parse(stdout)).toEqual(STRINGS);
});

test('translated patterns give PCRE the same verdicts as JavaScript with the u flag', async () => {
  const cases = PATTERNS.flatMap(([pattern, subjects]) => subjects.map((subject) => ({ pattern, subject })));
  const regexes = cases.map(({ pattern }) => phpRegex(translatePattern(pattern, PATTERN_DIALECTS.pcre), 'u'));
  const subjects = cases.map(({ subject }) => phpString(subject));
  const script = `echo json_encode(array_map(static fn (string $regex, string $subject): bool => preg_match($regex, $subject) === 1, [${regexes.join(', ')}], [${subjects.join(', ')}]));`;
  const { stdout } = await runOk('php', ['-r', script]);
  expect(JSON.parse(stdout)).toEqual(cases.map(({ pattern, subject }) => new RegExp(pattern, 'u').test(subject)));
});
