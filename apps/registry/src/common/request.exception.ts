import type { NextFunction, Request, Response } from 'express';

/** A request whose path or query parameters are malformed (400). */
export class RequestException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestException';
  }
}

export type UnreadableBodyCode = 'invalid_json' | 'too_large' | 'unsupported_body';

/** A body the JSON parser refused before any route saw it. */
export class UnreadableBodyException extends Error {
  constructor(
    readonly code: UnreadableBodyCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableBodyException';
  }
}

/**
 * Express error middleware placed right after the body parser: names its failures
 * (body-parser's `type`) before Nest turns a JSON SyntaxError into an anonymous 400 and
 * anything else into a 500.
 */
export function nameBodyParserErrors(error: unknown, _request: Request, _response: Response, next: NextFunction): void {
  const { type, status, limit } = (error ?? {}) as { type?: unknown; status?: unknown; limit?: unknown };
  if (type === 'entity.parse.failed') {
    next(new UnreadableBodyException('invalid_json', 400, `the request body is not valid JSON: ${(error as Error).message}`));
  } else if (type === 'entity.too.large') {
    next(new UnreadableBodyException('too_large', 413, `the request body is larger than the ${String(limit)} bytes allowed`));
  } else if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    next(new UnreadableBodyException('unsupported_body', status, (error as Error).message));
  } else {
    next(error);
  }
}
