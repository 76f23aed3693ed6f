import { buildSnapshot } from '@tagplan/catalog';
import { generateWriteKey, writeKeyDigest } from '../write-keys';
import { catalogDocument, demoVersions, testKeys } from '../../test/support/catalog-fixtures';
import { CatalogDocumentError, documentFromFile, documentFromSnapshot, parseCatalogDocument } from './catalog-document';

describe('collector catalog documents', () => {
  it('accepts what the registry serves', () => {
    const document = catalogDocument({ keys: Object.values(testKeys()) });
    expect(parseCatalogDocument(JSON.parse(JSON.stringify(document)))).toEqual(document);
  });

  it.each([
    ['not an object', [], /must be a JSON object/],
    ['another format', { format: 'tagplan-snapshot/1' }, /format must be "tagplan-collector-catalog\/1"/],
    ['a key in clear', { ...catalogDocument({ keys: [] }), write_keys: [{ id: 'k', environment: 'e', lookup: 'x', secret_hash: 'tpw_clear', revoked: false }] }, /write_keys\[0\]\.secret_hash must be 64 hex digits/],
    ['a route without sinks', { ...catalogDocument({ keys: [] }), routes: [{ environment: 'e', event: '*' }] }, /routes\[0\]\.sinks must be a list/],
    ['a version without a body', { ...catalogDocument({ keys: [] }), versions: [{ kind: 'field', name: 'x', version: 1 }] }, /versions\[0\]\.body must be an object/],
  ])('refuses %s, saying what is wrong', (_what, input, message) => {
    expect(() => parseCatalogDocument(input)).toThrow(CatalogDocumentError);
    expect(() => parseCatalogDocument(input)).toThrow(message);
  });

  it('builds a document from a snapshot and configured keys, stored as digests', () => {
    const key = generateWriteKey();
    const snapshot = buildSnapshot(demoVersions(), new Date('2026-01-01T00:00:00Z'));
    const document = documentFromSnapshot(snapshot, [{ environment: 'web-frontend', key }]);
    expect(document.write_keys).toEqual([{ id: expect.stringMatching(/^configured:web-frontend:/), environment: 'web-frontend', ...writeKeyDigest(key), revoked: false }]);
    expect(JSON.stringify(document)).not.toContain(key);
    expect(document.routes).toEqual([]);
    // Another key is another revision: a file source must see the change.
    expect(documentFromSnapshot(snapshot, [{ environment: 'web-frontend', key: generateWriteKey() }]).revision).not.toBe(document.revision);
  });

  it('reads either kind of file, and says which it expected', () => {
    const key = { environment: 'web-frontend', key: generateWriteKey() };
    const snapshot = JSON.stringify(buildSnapshot(demoVersions(), new Date()));
    expect(documentFromFile(snapshot, [key], 'snap.json').write_keys).toHaveLength(1);
    expect(() => documentFromFile(snapshot, [], 'snap.json')).toThrow(/snap.json is a snapshot, which holds no write keys/);
    expect(() => documentFromFile('{', [], 'x.json')).toThrow(/x.json is not JSON/);
    expect(() => documentFromFile('{"format":"other"}', [], 'x.json')).toThrow(/neither a collector catalog/);
    const document = JSON.stringify(catalogDocument({ keys: [{ environment: 'ios-app', key: generateWriteKey() }] }));
    expect(documentFromFile(document, [key], 'c.json').write_keys.map((entry) => entry.environment)).toEqual(['ios-app', 'web-frontend']);
  });
});
