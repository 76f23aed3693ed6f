export type CodegenErrorCode = 'unknown_environment' | 'missing_reference' | 'name_collision' | 'unknown_language' | 'template';

/** Generation refused, with a sentence naming what and where. */
export class CodegenError extends Error {
  constructor(
    readonly code: CodegenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CodegenError';
  }
}
