import type { EntityKind, EntityVersion } from './model';
import { fetchRepinned, type VersionKey } from './repins';

const version = (kind: EntityKind, name: string, number: number, body: unknown): EntityVersion =>
  ({ kind, name, version: number, body, author: 'test', message: 'test', created_at: '2026-01-01T00:00:00.000Z' }) as EntityVersion;

const stored = [
  version('field', 'cart_id', 1, { type: 'string', maxLength: 64, description: '', examples: [], pii: 'none' }),
  version('field', 'cart_id', 2, { type: 'string', maxLength: 16, description: '', examples: [], pii: 'none' }),
  version('event', 'cart_opened', 1, { description: '', owner: 'team', fields: [{ name: 'cart_id', version: 1, required: true }] }),
  version('event', 'cart_opened', 2, { description: '', owner: 'team', fields: [{ name: 'cart_id', version: 2, required: true }] }),
];

describe('fetchRepinned', () => {
  it('fetches both ends of every re-pin, level by level, each version once', async () => {
    const calls: VersionKey[][] = [];
    const fetch = async (wanted: VersionKey[]) => {
      calls.push(wanted);
      return stored.filter((entry) => wanted.some((key) => key.kind === entry.kind && key.name === entry.name && key.version === entry.version));
    };
    const environment = (event: number) => ({ description: '', owner: 'team', common_fields: [], events: [{ name: 'cart_opened', version: event }] });
    const loaded = await fetchRepinned(
      [
        { kind: 'environment', before: environment(1), after: environment(2) },
        { kind: 'event', before: stored[2]?.body, after: stored[3]?.body },
      ],
      fetch,
    );
    expect(calls).toEqual([
      [
        { kind: 'event', name: 'cart_opened', version: 1 },
        { kind: 'event', name: 'cart_opened', version: 2 },
        { kind: 'field', name: 'cart_id', version: 1 },
        { kind: 'field', name: 'cart_id', version: 2 },
      ],
    ]);
    expect(loaded.body('field', 'cart_id', 2)).toEqual(stored[1]?.body);
  });

  it('goes from an environment to the fields its re-pinned event re-pins, in two fetches', async () => {
    const calls: VersionKey[][] = [];
    const environment = (event: number) => ({ description: '', owner: 'team', common_fields: [], events: [{ name: 'cart_opened', version: event }] });
    await fetchRepinned([{ kind: 'environment', before: environment(1), after: environment(2) }], async (wanted) => {
      calls.push(wanted);
      return stored.filter((entry) => wanted.some((key) => key.kind === entry.kind && key.name === entry.name && key.version === entry.version));
    });
    expect(calls.map((call) => call.map((key) => `${key.kind}:${key.name}@${key.version}`))).toEqual([
      ['event:cart_opened@1', 'event:cart_opened@2'],
      ['field:cart_id@1', 'field:cart_id@2'],
    ]);
  });

  it('fetches nothing when nothing is re-pinned', async () => {
    const fetch = jest.fn(async () => []);
    await fetchRepinned([{ kind: 'field', before: stored[0]?.body, after: stored[1]?.body }], fetch);
    expect(fetch).not.toHaveBeenCalled();
  });
});
