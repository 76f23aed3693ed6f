type TestFunction = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/**
 * A test that needs a tool the machine may lack. With the tool: a test. Without it: on a
 * developer's machine, skipped with a warning; under CI (`CI` set, as .ci/run does), a test
 * that fails and says what is missing: CI installs every tool these tests need, and a
 * silently skipped check would pass for a broken one.
 */
export function toolchainTest(available: boolean, missing: string): TestFunction {
  if (available) return test;
  if (process.env['CI']) {
    return (name, _fn, timeout) =>
      test(
        name,
        () => {
          throw new Error(`${missing}: .ci/run must install it`);
        },
        timeout,
      );
  }
  console.warn(`${missing}: skipped here (CI runs it)`);
  return test.skip;
}
