/** A problem found in catalog input: where (a JSON pointer), what rule, and a sentence. */
export interface CatalogIssue {
  path: string;
  code: CatalogIssueCode;
  message: string;
}

export type CatalogIssueCode =
  | 'required'
  | 'type'
  | 'unknown_property'
  | 'invalid_name'
  | 'invalid_value'
  | 'invalid_range'
  | 'duplicate'
  | 'invalid_pattern'
  | 'unportable_pattern'
  | 'unknown_reference'
  | 'field_clash';

export type Result<T> = { ok: true; value: T } | { ok: false; issues: CatalogIssue[] };

/** Thrown where a caller prefers an exception to a Result; carries every issue found. */
export class CatalogValidationError extends Error {
  constructor(readonly issues: CatalogIssue[]) {
    super(formatIssues(issues));
    this.name = 'CatalogValidationError';
  }
}

export function formatIssues(issues: CatalogIssue[]): string {
  return issues.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('\n');
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointer(base: string, segment: string | number): string {
  return `${base}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Collects issues while a validator walks its input. */
export class IssueList {
  readonly issues: CatalogIssue[] = [];

  add(path: string, code: CatalogIssueCode, message: string): void {
    this.issues.push({ path, code, message });
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  result<T>(value: T): Result<T> {
    return this.empty ? { ok: true, value } : { ok: false, issues: this.issues };
  }
}
