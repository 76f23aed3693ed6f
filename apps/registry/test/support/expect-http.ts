/**
 * Assertions on registry answers that print the whole answer when they fail, so a
 * failing integration test shows what the registry said rather than just a status.
 */
export interface Answer {
  status: number;
  body: any;
}

/** The body of an answer that must have this status. */
export function expectStatus(answer: Answer, status: number): any {
  if (answer.status !== status) throw new Error(`expected HTTP ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * An error answer in the registry's one shape ({statusCode, error, message, issues?}),
 * with this status and, when `path` is given, an issue at exactly that JSON pointer.
 */
export function expectError(answer: Answer, status: number, path?: string, code?: string): { statusCode: number; error: string; message: string; issues?: { path: string; code: string; message: string }[] } {
  const body = expectStatus(answer, status);
  expect(body).toEqual(expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.any(String) }));
  expect(body.message).not.toBe('');
  if (path !== undefined) {
    expect(body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, ...(code ? { code } : {}), message: expect.any(String) })]));
  }
  return body;
}
