import type { CatalogIssue } from '@tagplan/catalog';

export type CatalogErrorCode = 'invalid_body' | 'not_found' | 'already_exists' | 'version_conflict' | 'unchanged';

/** What went wrong with a catalog request; mapped to HTTP in one place (the exception filter). */
export class CatalogException extends Error {
  constructor(
    readonly code: CatalogErrorCode,
    message: string,
    readonly issues: CatalogIssue[] = [],
  ) {
    super(message);
    this.name = 'CatalogException';
  }

  static invalid(issues: CatalogIssue[]): CatalogException {
    const first = issues[0];
    const summary = first ? `${first.path || '/'}: ${first.message}` : 'invalid body';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    return new CatalogException('invalid_body', `${summary}${more}`, issues);
  }
}
