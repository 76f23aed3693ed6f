import type { InMemoryCatalog } from '@tagplan/catalog';
import { catalogOf } from './support';

/**
 * Names that clash with TypeScript, JavaScript, the DOM, Object.prototype or the runtime:
 * as field names (getters, Init keys, data keys), event names (exported classes) and enum
 * values (members of an enum object). The langpack must compile and work with all of them.
 */
export const ESCAPING_ENVIRONMENT = 'escaping-env';

export function escapingCatalog(): InMemoryCatalog {
  const plain = { type: 'string' };
  const words = ['class', 'default', 'func', 'list', 'namespace', 'from', 'import', 'self', 'object', 'constructor', 'to_string', 'value_of', 'event_name', 'to_data', 'value', 'init', 'data', 'schema', 'prototype', 'await', 'let'];
  const fields: Record<string, unknown> = Object.fromEntries(words.map((word) => [word, { ...plain, description: `A field named ${word}` }]));
  fields['type'] = { type: 'string', enum: ['class', '1st', 'a b', 'ünï', '', 'default', 'GET', 'get', 'constructor', '__proto__'], description: 'Enum values that are no identifiers' };
  fields['string'] = { type: 'string', enum: ['a', 'b'], description: 'An enum whose type would shadow the global String' };
  fields['number'] = { type: 'array', items: { type: 'integer' }, uniqueItems: true };
  return catalogOf({
    message: 'Names that clash with TypeScript',
    fields,
    events: {
      object: {
        owner: 'team-tagplan',
        description: 'An event whose class would shadow the global Object. Its */ description tries to close the comment.',
        fields: { ...Object.fromEntries(words.map((word, index) => [word, index % 2 === 0 ? 'required' : 'optional'])), type: 'optional', string: 'optional', number: 'optional' },
      },
      tagplan_client: { owner: 'team-tagplan', description: 'An event named like the runtime client', fields: { class: 'required' } },
      event: { owner: 'team-tagplan', description: 'An event named like the DOM Event', fields: { type: 'required', default: 'optional' } },
      promise: { owner: 'team-tagplan', description: '', fields: {} },
    },
    environments: {
      [ESCAPING_ENVIRONMENT]: {
        owner: 'team-tagplan',
        description: 'Every name that needs escaping',
        common_fields: { self: 'required' },
        events: ['object', 'tagplan_client', 'event', 'promise'],
      },
    },
  });
}

/** A catalog with one environment `clash` sending the given events. */
export function clashCatalog(fields: Record<string, unknown>, events: Record<string, string[]>): InMemoryCatalog {
  return catalogOf({
    message: 'A name collision',
    fields,
    events: Object.fromEntries(
      Object.entries(events).map(([name, eventFields]) => [name, { owner: 'team-tagplan', description: name, fields: Object.fromEntries(eventFields.map((field) => [field, 'optional'])) }]),
    ),
    environments: { clash: { owner: 'team-tagplan', description: 'Names that collide', common_fields: {}, events: Object.keys(events) } },
  });
}
