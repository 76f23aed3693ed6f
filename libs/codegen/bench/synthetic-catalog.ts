import { applyFilesInMemory, formatIssues, type InMemoryCatalog } from '@tagplan/catalog';

/**
 * A large catalog made up for benchmarks: `fieldCount` fields of every type and
 * constraint, `eventCount` events of `fieldsPerEvent` fields each (two of them required),
 * and one environment `bench-env` sending them all with a common field.
 */
export function syntheticCatalog(eventCount: number, fieldsPerEvent: number, fieldCount: number): InMemoryCatalog {
  const fields: Record<string, unknown> = { session_id: { type: 'string', minLength: 1, maxLength: 64 } };
  for (let index = 0; index < fieldCount; index += 1) fields[`field_${index}`] = fieldBody(index);
  const events: Record<string, unknown> = {};
  for (let index = 0; index < eventCount; index += 1) {
    const refs: Record<string, string> = {};
    for (let slot = 0; slot < fieldsPerEvent; slot += 1) refs[`field_${(index * 7 + slot * 13) % fieldCount}`] = slot < 2 ? 'required' : 'optional';
    events[`event_${index}`] = { owner: `team-${index % 20}`, description: `Synthetic event number ${index}, sent when the benchmark needs it.`, fields: refs };
  }
  const content = {
    message: 'Synthetic benchmark catalog',
    fields,
    events,
    environments: { 'bench-env': { owner: 'team-bench', description: 'Every synthetic event', common_fields: { session_id: 'required' }, events: Object.keys(events) } },
  };
  const catalog = applyFilesInMemory([{ name: 'synthetic.yaml', content }]);
  if (!catalog.ok) throw new Error(formatIssues(catalog.issues));
  return catalog.value;
}

function fieldBody(index: number): Record<string, unknown> {
  const description = `Synthetic field ${index}`;
  switch (index % 8) {
    case 0:
      return { type: 'string', maxLength: 200, description };
    case 1:
      return { type: 'string', enum: ['alpha', 'beta', 'gamma', `value_${index}`], description };
    case 2:
      return { type: 'string', pattern: '^[a-z]+-[0-9]{2,4}$', description };
    case 3:
      return { type: 'string', format: (['date-time', 'date', 'uri', 'email', 'uuid'] as const)[index % 5], description };
    case 4:
      return { type: 'integer', minimum: 0, maximum: 1_000_000, description };
    case 5:
      return { type: 'number', exclusiveMinimum: 0, description };
    case 6:
      return { type: 'boolean', description };
    default:
      return { type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 10, uniqueItems: true, description };
  }
}
