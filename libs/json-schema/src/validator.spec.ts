import { catalog, fixtureLookup } from '../test/catalog-fixture';
import { loadFixture } from '../test/load-fixture';
import { buildEnvironmentSchemas } from './event-schema';
import { CatalogValidator, type DataViolation } from './validator';

interface VerdictCase {
  name: string;
  event: string;
  version: number;
  data?: unknown;
  /** Data as raw JSON, where how a number is written matters. */
  dataJson?: string;
  verdict: 'valid' | { reason: string; violations: Partial<DataViolation>[] };
}

const cases = loadFixture<VerdictCase[]>('verdicts.json');

const byPlace = (a: Partial<DataViolation>, b: Partial<DataViolation>) =>
  `${a.path} ${a.rule}`.localeCompare(`${b.path} ${b.rule}`);

describe('CatalogValidator', () => {
  const validator = new CatalogValidator(buildEnvironmentSchemas(catalog.environment, fixtureLookup));

  test.each(cases)('$event@$version: $name', ({ event, version, data, dataJson, verdict }) => {
    const result = validator.validate(event, version, dataJson === undefined ? data : JSON.parse(dataJson));
    if (verdict === 'valid') {
      expect(result).toEqual({ valid: true });
      return;
    }
    if (result.valid) throw new Error('expected the data to be refused');
    expect(result.reason).toBe(verdict.reason);
    const expected = [...verdict.violations].sort(byPlace);
    const actual = [...result.violations].sort(byPlace);
    expect(actual.map(({ path, rule }) => ({ path, rule }))).toEqual(expected.map(({ path, rule }) => ({ path, rule })));
    expected.forEach((violation, index) => {
      if (violation.message !== undefined) expect(actual[index]?.message).toBe(violation.message);
    });
  });

  it('gives the same verdict when asked twice (validators are reused)', () => {
    const data = { user_id: 'u', item_id: 0, session_id: '123e4567-e89b-12d3-a456-426614174000' };
    const first = validator.validate('item_viewed', 1, data);
    expect(validator.validate('item_viewed', 1, data)).toEqual(first);
    expect(first.valid).toBe(false);
  });

  it('knows every version it was given of an event', () => {
    const older = buildEnvironmentSchemas(catalog.environment, fixtureLookup).map((schema) => ({ ...schema, event_version: schema.event_version + 1 }));
    const both = new CatalogValidator([...buildEnvironmentSchemas(catalog.environment, fixtureLookup), ...older]);
    const result = both.validate('item_viewed', 3, {});
    expect(result.valid ? '' : result.violations[0]?.message).toBe('item_viewed has no version 3 here (known: 1, 2)');
    expect(both.validate('item_viewed', 2, { user_id: 'u', item_id: 1, session_id: '123e4567-e89b-12d3-a456-426614174000' })).toEqual({ valid: true });
  });
});
