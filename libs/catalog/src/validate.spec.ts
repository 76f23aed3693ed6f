import { loadFixture } from '../test/load-fixture';
import type { CatalogIssue, Result } from './issues';
import { MAX_REFERENCES, parseEnvironmentDraft, parseEventDraft, parseFieldBody, show } from './validate';

interface ValidCase<T> {
  name: string;
  input: unknown;
  body?: T;
  draft?: T;
}

interface InvalidCase {
  name: string;
  input: unknown;
  issues: Pick<CatalogIssue, 'path' | 'code'>[];
}

interface Table {
  valid: ValidCase<unknown>[];
  invalid: InvalidCase[];
}

const fieldBodies = loadFixture<Table>('field-bodies.json');
const drafts = loadFixture<{ events: Table; environments: Table }>('drafts.json');

function issuesOf(result: Result<unknown>): Pick<CatalogIssue, 'path' | 'code'>[] {
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.value)}`);
  for (const issue of result.issues) expect(issue.message).not.toBe('');
  return result.issues.map(({ path, code }) => ({ path, code }));
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

describe('parseFieldBody', () => {
  test.each(fieldBodies.valid)('accepts $name', ({ input, body }) => {
    const value = valueOf(parseFieldBody(input));
    // Key order is part of the contract: equal definitions serialize to equal text.
    expect(JSON.stringify(value)).toBe(JSON.stringify(body));
  });

  test.each(fieldBodies.invalid)('rejects $name', ({ input, issues }) => {
    expect(issuesOf(parseFieldBody(input))).toEqual(issues);
  });

  it('prefixes every pointer with the path it is given', () => {
    const result = parseFieldBody({ type: 'array', items: { type: 'string', pattern: '\\d' } }, '/fields/tags');
    expect(issuesOf(result)).toEqual([{ path: '/fields/tags/items/pattern', code: 'unportable_pattern' }]);
  });

  it('names the offending value in its messages', () => {
    const result = parseFieldBody({ type: 'string', enum: ['a', 'a'] });
    expect(result.ok ? [] : result.issues.map((issue) => issue.message)).toEqual(['enum value "a" is listed twice (also at index 0)']);
  });

  it('says that arrays of arrays are not supported', () => {
    const result = parseFieldBody({ type: 'array', items: { type: 'array', items: { type: 'string' } } });
    expect(result.ok ? '' : result.issues[0]?.message).toContain('arrays of arrays are not supported');
  });

  it('reports a pattern JavaScript cannot compile as invalid, not as unportable', () => {
    const result = parseFieldBody({ type: 'string', pattern: '[' });
    expect(result.ok ? '' : result.issues[0]?.message).toMatch(/^not a valid regular expression: /);
  });
});

describe('parseEventDraft', () => {
  test.each(drafts.events.valid)('accepts $name', ({ input, draft }) => {
    expect(valueOf(parseEventDraft(input))).toEqual(draft);
  });

  test.each(drafts.events.invalid)('rejects $name', ({ input, issues }) => {
    expect(issuesOf(parseEventDraft(input))).toEqual(issues);
  });

  it('limits an owner to 200 characters', () => {
    expect(parseEventDraft({ owner: 'o'.repeat(200) }).ok).toBe(true);
    expect(issuesOf(parseEventDraft({ owner: 'o'.repeat(201) }))).toEqual([{ path: '/owner', code: 'invalid_value' }]);
  });

  it('limits the number of references', () => {
    const fields = Array.from({ length: MAX_REFERENCES + 1 }, (_, index) => ({ name: `field_${index}` }));
    expect(issuesOf(parseEventDraft({ owner: 't', fields }))).toEqual([{ path: '/fields', code: 'invalid_value' }]);
    expect(parseEventDraft({ owner: 't', fields: fields.slice(1) }).ok).toBe(true);
  });
});

describe('parseEnvironmentDraft', () => {
  test.each(drafts.environments.valid)('accepts $name', ({ input, draft }) => {
    expect(valueOf(parseEnvironmentDraft(input))).toEqual(draft);
  });

  test.each(drafts.environments.invalid)('rejects $name', ({ input, issues }) => {
    expect(issuesOf(parseEnvironmentDraft(input))).toEqual(issues);
  });
});

describe('show', () => {
  test.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [[1], 'a list'],
    [{ a: 1 }, 'an object'],
    ['text', '"text"'],
    [12, '12'],
    [true, 'true'],
    ['x'.repeat(100), `"${'x'.repeat(59)}…`],
  ])('renders %p as %s', (value, text) => {
    expect(show(value)).toBe(text);
  });
});
