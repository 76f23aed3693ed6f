import { canonicalJson, deepEqual } from './canonical';
import { CatalogValidationError, formatIssues, IssueList, pointer } from './issues';

describe('canonicalJson', () => {
  it('sorts object keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}');
  });

  it('leaves out undefined properties, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe('deepEqual', () => {
  test.each([
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: 1 }, { a: '1' }, false],
    [{ a: null }, {}, false],
    [undefined, undefined, true],
    [undefined, null, false],
  ])('%p and %p: %p', (a, b, equal) => {
    expect(deepEqual(a, b)).toBe(equal);
  });
});

describe('pointer', () => {
  test.each([
    ['', 'fields', '/fields'],
    ['/fields', 0, '/fields/0'],
    ['/events', 'a/b', '/events/a~1b'],
    ['/events', 'a~b', '/events/a~0b'],
    ['/events', '~1', '/events/~01'],
  ])('%p + %p = %p', (base, segment, path) => {
    expect(pointer(base, segment)).toBe(path);
  });
});

describe('issues', () => {
  it('collects issues into a result', () => {
    const list = new IssueList();
    expect(list.result(5)).toEqual({ ok: true, value: 5 });
    list.add('/a', 'required', 'a is required');
    expect(list.result(5)).toEqual({ ok: false, issues: [{ path: '/a', code: 'required', message: 'a is required' }] });
  });

  it('formats issues one a line, the root as /', () => {
    const issues = [
      { path: '', code: 'type' as const, message: 'expected an object' },
      { path: '/fields/a', code: 'invalid_name' as const, message: 'bad name' },
    ];
    expect(formatIssues(issues)).toBe('/: expected an object\n/fields/a: bad name');
    const error = new CatalogValidationError(issues);
    expect(error.message).toBe(formatIssues(issues));
    expect(error.issues).toBe(issues);
    expect(error).toBeInstanceOf(Error);
  });
});
