import type { CatalogValidator, DataViolation } from './validator';

export interface LineResult {
  /** 1-based line number in the input. */
  line: number;
  event_name?: string;
  event_version?: number;
  valid: boolean;
  violations: DataViolation[];
}

export interface LineSummary {
  lines: number;
  valid: number;
  invalid: number;
}

/**
 * Checks JSON lines of `{event_name, event_version, data}` (other keys, such as a wire
 * event's event_id, are ignored) and reports each line as it goes, so a file of any size
 * is checked in constant memory. Blank lines are skipped.
 */
export async function validateEventLines(
  lines: AsyncIterable<string> | Iterable<string>,
  validator: CatalogValidator,
  onResult: (result: LineResult) => void,
): Promise<LineSummary> {
  const summary: LineSummary = { lines: 0, valid: 0, invalid: 0 };
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    const result = validateLine(text, line, validator);
    summary.lines += 1;
    if (result.valid) summary.valid += 1;
    else summary.invalid += 1;
    onResult(result);
  }
  return summary;
}

function validateLine(text: string, line: number, validator: CatalogValidator): LineResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return invalid(line, 'json', `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return invalid(line, 'shape', 'each line must be a JSON object {"event_name", "event_version", "data"}');
  }
  const { event_name: name, event_version: version, data } = parsed as Record<string, unknown>;
  if (typeof name !== 'string') return invalid(line, 'shape', 'event_name must be a string');
  if (!Number.isSafeInteger(version) || (version as number) < 1) return invalid(line, 'shape', 'event_version must be a whole number from 1', name);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return invalid(line, 'shape', 'data must be an object', name, version as number);
  const verdict = validator.validate(name, version as number, data);
  return { line, event_name: name, event_version: version as number, valid: verdict.valid, violations: verdict.valid ? [] : verdict.violations };
}

function invalid(line: number, rule: string, message: string, name?: string, version?: number): LineResult {
  return {
    line,
    ...(name !== undefined ? { event_name: name } : {}),
    ...(version !== undefined ? { event_version: version } : {}),
    valid: false,
    violations: [{ path: '', rule, message }],
  };
}
