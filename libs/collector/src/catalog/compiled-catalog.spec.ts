import type { EntityVersion } from '@tagplan/catalog';
import type { Sink, SinkBatch } from '../contracts';
import { EventCounts } from '../metrics/event-counts';
import { catalogDocument, demoVersions, nextEnvironmentVersion, testKeys } from '../../test/support/catalog-fixtures';
import { CompiledCatalog } from './compiled-catalog';
import { ValidatorCache } from './validator-cache';

/** A sink that is only named here: routing is decided before anything is written. */
function namedSink(name: string): Sink {
  return { name, write: (_batch: SinkBatch) => Promise.resolve(), ready: () => Promise.resolve(), close: () => Promise.resolve() };
}

describe('CompiledCatalog', () => {
  const keys = testKeys();
  const sinks = new Map(['file', 'archive', 'bus'].map((name) => [name, namedSink(name)]));
  const compile = (document = catalogDocument({ keys: Object.values(keys) }), validators = new ValidatorCache()) =>
    new CompiledCatalog(document, { sinks, defaultSinks: ['file'], validators, counts: new EventCounts() });

  it('finds the environment of a write key by digest; revoked and unknown keys are refused', () => {
    const catalog = compile();
    expect(catalog.authenticate(keys.ios.key)).toMatchObject({ ok: true, keyId: 'key-2', environment: { name: 'ios-app' } });
    expect(catalog.authenticate(keys.revoked.key)).toEqual({ ok: false, code: 'revoked_write_key' });
    expect(catalog.authenticate(`${keys.web.key}x`)).toEqual({ ok: false, code: 'unknown_write_key' });
  });

  it('allows an event version pinned by any version of the environment, and says why others are refused', () => {
    const catalog = compile();
    const web = catalog.environment('web-frontend');
    // registration_step_completed@1 is pinned by web-frontend@1 only: still allowed.
    expect(web.events.get('registration_step_completed')?.has(1)).toBe(true);
    expect(web.events.get('registration_step_completed')?.has(2)).toBe(true);
    expect(web.events.get('screen_viewed')).toBeUndefined();
    expect(catalog.notAllowedReason('screen_viewed', 1)).toBe('not_allowed');
    expect(catalog.notAllowedReason('screen_viewed', 9)).toBe('unknown_version');
    expect(catalog.notAllowedReason('nothing_like_it', 1)).toBe('unknown_event');
  });

  it("picks the sender's environment version when it pins the event version, else the newest that does", () => {
    const versions: EntityVersion[] = demoVersions();
    versions.push(nextEnvironmentVersion(versions, 'web-frontend', (body) => ({ ...body, common_fields: body.common_fields.filter((field) => field.name !== 'locale') })));
    const pinned = compile(catalogDocument({ keys: Object.values(keys), versions })).environment('web-frontend').events.get('item_viewed')?.get(1);
    expect(pinned?.environmentVersions).toEqual([5, 4, 3, 2, 1]);
    expect(pinned?.resolve(4).environmentVersion).toBe(4);
    expect(pinned?.resolve(undefined).environmentVersion).toBe(5);
    expect(pinned?.resolve(99).environmentVersion).toBe(5);
    const registration = compile().environment('web-frontend').events.get('registration_step_completed')?.get(1);
    // Only web-frontend@1 pins registration_step_completed@1, whatever the sender says.
    expect(registration?.resolve(3).environmentVersion).toBe(1);
  });

  it('knows the pii of each event version: hashed and dropped fields', () => {
    const catalog = compile();
    const itemViewed = catalog.environment('web-frontend').events.get('item_viewed')?.get(1)?.resolve(undefined);
    expect(itemViewed).toMatchObject({ hashFields: ['anonymous_id', 'user_id'], dropFields: [], hasPii: true });
    const apiError = catalog.environment('backend-items').events.get('api_error')?.get(2)?.resolve(undefined);
    expect(apiError).toMatchObject({ hashFields: ['user_id'], dropFields: ['error_message'] });
  });

  it('compiles nothing when loading: validators come on first use, shared by equal schemas and across revisions', () => {
    const validators = new ValidatorCache();
    const first = compile(undefined, validators);
    expect(validators.size).toBe(0);
    const a = first.environment('web-frontend').events.get('item_viewed')?.get(1);
    a?.resolve(4);
    a?.resolve(3);
    // web-frontend@3 and @4 give item_viewed@1 the same schema: one validator.
    expect(validators.size).toBe(1);
    const second = compile(catalogDocument({ keys: Object.values(keys), revision: 'next' }), validators);
    expect(second.environment('web-frontend').events.get('item_viewed')?.get(1)?.resolve(4).validate).toBe(a?.resolve(4).validate);
    expect(validators.size).toBe(1);
  });

  it('routes an event to its own route, else the environment\'s "*", else the default; bad rows to all of them', () => {
    const catalog = compile(
      catalogDocument({
        keys: Object.values(keys),
        routes: [
          { environment: 'web-frontend', event: 'item_viewed', sinks: ['archive', 'bus'] },
          { environment: 'web-frontend', event: '*', sinks: ['bus'] },
          { environment: 'ios-app', event: 'item_viewed', sinks: ['archive'] },
          { environment: 'backend-items', event: '*', sinks: ['kafka'] },
        ],
      }),
    );
    const names = (list: readonly Sink[] | undefined) => list?.map((sink) => sink.name);
    const web = catalog.environment('web-frontend');
    expect(names(web.events.get('item_viewed')?.get(1)?.sinks)).toEqual(['archive', 'bus']);
    expect(names(web.events.get('page_viewed')?.get(1)?.sinks)).toEqual(['bus']);
    expect(names(web.badRowSinks)?.sort()).toEqual(['archive', 'bus']);
    const ios = catalog.environment('ios-app');
    expect(names(ios.events.get('screen_viewed')?.get(1)?.sinks)).toEqual(['file']);
    expect(names(ios.badRowSinks)?.sort()).toEqual(['archive', 'file']);
    // A route to a sink this collector does not have falls back to the default, with a warning.
    expect(names(catalog.environment('backend-items').events.get('api_error')?.get(2)?.sinks)).toEqual(['file']);
    expect(catalog.warnings).toEqual(['the route backend-items / * names the sink "kafka", which this collector does not have (it has file, archive, bus)']);
  });

  it('gives an environment with a key but no versions nothing to allow', () => {
    const catalog = compile(catalogDocument({ keys: [{ environment: 'new-app', key: keys.web.key }] }));
    const result = catalog.authenticate(keys.web.key);
    expect(result.ok && result.environment.events.size).toBe(0);
  });
});
