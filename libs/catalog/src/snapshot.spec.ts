import type { BodyOf, EntityVersion } from './model';
import { buildSnapshot, InMemoryCatalog, parseSnapshot, SNAPSHOT_FORMAT } from './snapshot';

function version(kind: EntityVersion['kind'], name: string, number: number, description = ''): EntityVersion {
  const bodies: BodyOf = {
    field: { type: 'boolean', description, examples: [], pii: 'none' },
    event: { description, owner: 'o', fields: [] },
    environment: { description, owner: 'o', common_fields: [], events: [] },
  };
  return { kind, name, version: number, body: bodies[kind], author: 'a', message: 'm', created_at: '2026-01-01T00:00:00.000Z' };
}

const versions = [
  version('environment', 'web', 1),
  version('field', 'b_field', 2, 'second'),
  version('event', 'an_event', 1),
  version('field', 'b_field', 1, 'first'),
  version('field', 'a_field', 1),
];

describe('InMemoryCatalog', () => {
  const catalog = new InMemoryCatalog(versions);

  it('finds the latest version whatever the input order', () => {
    expect(catalog.latest('field', 'b_field')?.version).toBe(2);
    expect(catalog.latest('field', 'b_field')?.body).toMatchObject({ description: 'second' });
    expect(catalog.latest('field', 'nothing')).toBeUndefined();
  });

  it('keeps kinds apart', () => {
    expect(catalog.latest('event', 'b_field')).toBeUndefined();
    expect(catalog.names('field')).toEqual(['a_field', 'b_field']);
    expect(catalog.names('event')).toEqual(['an_event']);
    expect(catalog.names('environment')).toEqual(['web']);
  });

  it('lists versions oldest first and finds any of them', () => {
    expect(catalog.versions('field', 'b_field').map((entry) => entry.version)).toEqual([1, 2]);
    expect(catalog.body('field', 'b_field', 1)).toMatchObject({ description: 'first' });
    expect(catalog.get('field', 'b_field', 3)).toBeUndefined();
    expect(catalog.body('field', 'nothing', 1)).toBeUndefined();
  });
});

describe('buildSnapshot', () => {
  it('orders versions by kind, name and version', () => {
    const snapshot = buildSnapshot(versions, new Date(Date.UTC(2026, 1, 3, 4, 5, 6)));
    expect(snapshot.format).toBe(SNAPSHOT_FORMAT);
    expect(snapshot.exported_at).toBe('2026-02-03T04:05:06.000Z');
    expect(snapshot.versions.map((entry) => `${entry.kind}:${entry.name}@${entry.version}`)).toEqual([
      'field:a_field@1',
      'field:b_field@1',
      'field:b_field@2',
      'event:an_event@1',
      'environment:web@1',
    ]);
  });

  it('does not reorder the list it is given', () => {
    const input = [...versions];
    buildSnapshot(input, new Date(0));
    expect(input).toEqual(versions);
  });
});

describe('parseSnapshot', () => {
  it('accepts what buildSnapshot writes, through JSON', () => {
    const snapshot = buildSnapshot(versions, new Date(0));
    const result = parseSnapshot(JSON.parse(JSON.stringify(snapshot)));
    expect(result).toEqual({ ok: true, value: snapshot });
  });

  test.each([
    ['not an object', 'snapshot', ['']],
    ['another format', { format: 'tagplan-snapshot/2', versions: [] }, ['/format']],
    ['no versions', { format: SNAPSHOT_FORMAT }, ['/versions']],
    [
      'bad entries',
      { format: SNAPSHOT_FORMAT, versions: [1, { kind: 'table', name: 3, version: '1', body: null }] },
      ['/versions/0', '/versions/1/kind', '/versions/1/name', '/versions/1/version', '/versions/1/body'],
    ],
  ])('rejects %s', (_name, input, paths) => {
    const result = parseSnapshot(input);
    expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toEqual(paths);
  });
});
