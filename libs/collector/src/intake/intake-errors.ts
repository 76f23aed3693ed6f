/** Why a request was refused as a whole: nothing of it is written. */
export type IntakeErrorCode =
  | 'not_found'
  | 'method_not_allowed'
  | 'missing_write_key'
  | 'unknown_write_key'
  | 'revoked_write_key'
  | 'unsupported_content_encoding'
  | 'unsupported_content_type'
  | 'body_too_large'
  | 'inflated_body_too_large'
  | 'too_many_events'
  | 'invalid_gzip'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'invalid_request'
  | 'too_deep'
  | 'incomplete_body'
  | 'catalog_not_loaded'
  | 'overloaded'
  | 'sink_unavailable';

/** HTTP status per code, in one place: the intake never speaks HTTP itself. */
export const INTAKE_ERROR_STATUS: Record<IntakeErrorCode, number> = {
  not_found: 404,
  method_not_allowed: 405,
  missing_write_key: 401,
  unknown_write_key: 401,
  revoked_write_key: 401,
  unsupported_content_encoding: 415,
  unsupported_content_type: 415,
  body_too_large: 413,
  inflated_body_too_large: 413,
  too_many_events: 413,
  invalid_gzip: 400,
  invalid_utf8: 400,
  invalid_json: 400,
  invalid_request: 400,
  too_deep: 400,
  incomplete_body: 400,
  catalog_not_loaded: 503,
  overloaded: 503,
  sink_unavailable: 503,
};

export class IntakeError extends Error {
  constructor(
    readonly code: IntakeErrorCode,
    message: string,
    /** For 503: when the sender should try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'IntakeError';
  }

  get status(): number {
    return INTAKE_ERROR_STATUS[this.code];
  }

  toJSON(): { statusCode: number; error: IntakeErrorCode; message: string } {
    return { statusCode: this.status, error: this.code, message: this.message };
  }
}
