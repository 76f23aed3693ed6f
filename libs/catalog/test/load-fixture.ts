import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads a JSON fixture of this lib. JSON cannot spell the numbers that parsers must
 * refuse, so `{ "$number": "Infinity" }` (or "-Infinity", "NaN") stands for one.
 */
export function loadFixture<T>(name: string): T {
  const text = readFileSync(join(__dirname, 'fixtures', name), 'utf8');
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const special = (value as Record<string, unknown>)['$number'];
      if (typeof special === 'string' && Object.keys(value).length === 1) return Number(special);
    }
    return value;
  }) as T;
}

export function fixturePath(name: string): string {
  return join(__dirname, 'fixtures', name);
}
