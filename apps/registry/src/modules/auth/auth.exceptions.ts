export type AuthErrorCode = 'unauthenticated' | 'forbidden' | 'invalid_request' | 'already_exists' | 'not_found';

export class AuthException extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthException';
  }
}
