import { applyFilesInMemory, formatIssues, type InMemoryCatalog } from '@tagplan/catalog';

export function catalogOf(content: Record<string, unknown>): InMemoryCatalog {
  const catalog = applyFilesInMemory([{ name: 'test.yaml', content: { message: 'test catalog', ...content } }]);
  if (!catalog.ok) throw new Error(formatIssues(catalog.issues));
  return catalog.value;
}

/**
 * Field names that are Go keywords, predeclared identifiers, the langpack's own
 * locals and methods, or the contract's list (class, type, default, func, list,
 * namespace, from, import, self, string, object).
 */
export const AWKWARD_FIELDS = [
  'class', 'type', 'default', 'func', 'list', 'namespace', 'from', 'import', 'self', 'string', 'object', 'go', 'chan', 'map', 'range',
  'interface', 'select', 'struct', 'var', 'len', 'nil', 'error', 'any', 'int64', 'e', 'err', 'v', 'b', 'vs', 'spec', 'check_required',
  'append_data', 'marshal_json', 'client',
];

/** Event names that take the runtime's names, Go keywords, or file names Go reads as build constraints. */
export const AWKWARD_EVENTS = [
  'client', 'config', 'event', 'validate', 'violation', 'stats', 'transport', 'batch', 'func', 'type', 'string', 'default', 'item_test',
  'build_linux', 'linux_amd64', 'err_closed',
];

/** Enum values that start with a digit, are keywords, are not ASCII, or have no letter at all. */
export const AWKWARD_ENUM_VALUES = ['class', '1st', 'default', 'ünï', '', 'a b', 'GET', '-', '日本', 'type', 'func'];

export function escapingCatalog(): InMemoryCatalog {
  const fields: Record<string, unknown> = {};
  for (const name of AWKWARD_FIELDS) fields[name] = { type: 'string', maxLength: 10, description: `The ${name} field.\n\n- not a list\n# not a heading\n\tnot code` };
  fields['kind'] = { type: 'string', enum: AWKWARD_ENUM_VALUES };
  fields['kinds'] = { type: 'array', items: { type: 'string', enum: ['self', 'parent', '2nd'] }, uniqueItems: true };
  fields['item'] = { type: 'array', items: { type: 'integer', maximum: 9007199254740992 }, uniqueItems: true };
  fields['flags'] = { type: 'array', items: { type: 'boolean' } };
  fields['ratio'] = { type: 'number', exclusiveMinimum: -1e-7, maximum: 1e21 };
  const events: Record<string, unknown> = {};
  for (const name of AWKWARD_EVENTS) {
    events[name] = {
      owner: 'team-test',
      description: `An event named ${name}; its doc comment holds */, a backtick \` and a backslash \\ safely.\n\n1. not a list`,
      fields: Object.fromEntries([
        ...AWKWARD_FIELDS.map((field, index) => [field, index % 2 === 0 ? 'required' : 'optional']),
        ['kind', 'optional'],
        ['kinds', 'optional'],
        ['item', 'optional'],
        ['flags', 'optional'],
        ['ratio', 'required'],
      ]),
    };
  }
  events['empty'] = { owner: 'team-test', description: '', fields: {} };
  return catalogOf({
    fields,
    events,
    environments: { 'class-list': { owner: 'team-test', description: 'Reserved words everywhere', common_fields: {}, events: [...AWKWARD_EVENTS, 'empty'] } },
  });
}

/** Two catalog names that become one Go identifier in one scope. */
export function collisionCatalog(kind: 'fields' | 'events' | 'enum'): InMemoryCatalog {
  const fields: Record<string, unknown> = { user_id: { type: 'integer' }, user_i_d: { type: 'integer' }, mode: { type: 'string', enum: ['a-b', 'a_b'] }, plain: { type: 'string' } };
  const events: Record<string, unknown> = {
    item_id_seen: { owner: 'team-test', description: 'x', fields: kind === 'fields' ? { user_id: 'required', user_i_d: 'optional' } : kind === 'enum' ? { mode: 'optional' } : { plain: 'required' } },
    item_i_d_seen: { owner: 'team-test', description: 'y', fields: { plain: 'required' } },
  };
  return catalogOf({
    fields,
    events,
    environments: { web: { owner: 'team-test', description: 'Collisions', common_fields: {}, events: kind === 'events' ? ['item_id_seen', 'item_i_d_seen'] : ['item_id_seen'] } },
  });
}

/** An environment of `events` events of `fieldsPerEvent` fields each, for the generation benchmark. */
export function largeCatalog(events: number, fieldsPerEvent: number): InMemoryCatalog {
  const kinds = [
    { type: 'string', maxLength: 64 },
    { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
    { type: 'string', format: 'uuid' },
    { type: 'string', enum: ['alpha', 'beta', 'gamma'] },
    { type: 'integer', minimum: 0 },
    { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    { type: 'boolean' },
    { type: 'array', items: { type: 'string', maxLength: 16 }, maxItems: 10, uniqueItems: true },
    { type: 'string', format: 'date-time' },
    { type: 'integer', minimum: 1, maximum: 100 },
  ];
  const fields: Record<string, unknown> = {};
  const eventBodies: Record<string, unknown> = {};
  for (let e = 0; e < events; e += 1) {
    const own: Record<string, string> = {};
    for (let f = 0; f < fieldsPerEvent; f += 1) {
      const name = `f${e}_${f}`;
      fields[name] = { ...kinds[f % kinds.length], description: `Field ${f} of event ${e}.` };
      own[name] = f < 3 ? 'required' : 'optional';
    }
    eventBodies[`event_${e}`] = { owner: 'team-bench', description: `Benchmark event ${e}.`, fields: own };
  }
  return catalogOf({
    fields,
    events: eventBodies,
    environments: { 'bench-env': { owner: 'team-bench', description: 'Benchmark', common_fields: {}, events: Object.keys(eventBodies) } },
  });
}
