import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as T;
}
