import { applyFilesInMemory, formatIssues, type InMemoryCatalog } from '@tagplan/catalog';

export function catalogOf(content: Record<string, unknown>): InMemoryCatalog {
  const catalog = applyFilesInMemory([{ name: 'test.yaml', content: { message: 'test catalog', ...content } }]);
  if (!catalog.ok) throw new Error(formatIssues(catalog.issues));
  return catalog.value;
}

/** Names that are PHP keywords, type names or otherwise awkward, as events, fields and enum values. */
export const AWKWARD_FIELDS = ['class', 'type', 'default', 'func', 'list', 'namespace', 'from', 'import', 'self', 'string', 'object', 'this', 'function', 'static', 'enum', 'match', 'readonly', 'int', 'null', 'true', 'array'];
export const AWKWARD_EVENTS = ['class', 'list', 'function', 'match', 'readonly', 'enum', 'self', 'parent', 'static', 'int', 'string', 'object', 'mixed', 'never', 'null', 'true', 'namespace', 'default', 'event', 'assert', 'validation_exception', 'kind'];
export const AWKWARD_ENUM_VALUES = ['class', '1st', 'default', 'ünï', '', 'a b', 'GET', 'cases', 'from', '-', '日本'];

export function escapingCatalog(): InMemoryCatalog {
  const fields: Record<string, unknown> = {};
  for (const name of AWKWARD_FIELDS) fields[name] = { type: 'string', maxLength: 10 };
  fields['kind'] = { type: 'string', enum: AWKWARD_ENUM_VALUES };
  fields['kinds'] = { type: 'array', items: { type: 'string', enum: ['self', 'parent', '2nd'] }, uniqueItems: true };
  fields['item'] = { type: 'array', items: { type: 'integer' } };
  const events: Record<string, unknown> = {};
  for (const name of AWKWARD_EVENTS) {
    events[name] = {
      owner: 'team-test',
      description: `An event named ${name}; its doc comment holds */ and a backslash \\ safely`,
      fields: Object.fromEntries([...AWKWARD_FIELDS.map((field, index) => [field, index % 2 === 0 ? 'required' : 'optional']), ['kind', 'optional'], ['kinds', 'optional'], ['item', 'optional']]),
    };
  }
  return catalogOf({ fields, events, environments: { 'class-list': { owner: 'team-test', description: 'Reserved words everywhere', common_fields: {}, events: AWKWARD_EVENTS } } });
}

export function collisionCatalog(kind: 'fields' | 'events' | 'enum'): InMemoryCatalog {
  const fields: Record<string, unknown> = { item_1st: { type: 'integer' }, item1st: { type: 'integer' }, mode: { type: 'string', enum: ['a-b', 'a_b'] }, plain: { type: 'string' } };
  const events: Record<string, unknown> = {
    item_viewed: { owner: 'team-test', description: 'x', fields: kind === 'fields' ? { item_1st: 'required', item1st: 'optional' } : kind === 'enum' ? { mode: 'optional' } : { plain: 'required' } },
    itemviewed: { owner: 'team-test', description: 'y', fields: { plain: 'required' } },
  };
  return catalogOf({
    fields,
    events,
    environments: { web: { owner: 'team-test', description: 'Collisions', common_fields: {}, events: kind === 'events' ? ['item_viewed', 'itemviewed'] : ['item_viewed'] } },
  });
}
