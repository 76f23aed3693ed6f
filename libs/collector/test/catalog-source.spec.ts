import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileCatalogSource, RegistryCatalogSource } from '@tagplan/collector';
import { catalogDocument, testKeys } from './support/catalog-fixtures';
import { CatalogServer } from './support/catalog-server';

describe('RegistryCatalogSource', () => {
  let registry: CatalogServer;

  beforeEach(async () => {
    registry = new CatalogServer(catalogDocument({ keys: Object.values(testKeys()) }));
    await registry.start();
  });
  afterEach(async () => {
    await registry.stop();
  });

  it('fetches the document with its token, then asks with If-None-Match and parses nothing while it is unchanged', async () => {
    const source = new RegistryCatalogSource(registry.url, registry.token);
    expect((await source.fetch())?.revision).toBe(registry.document.revision);
    expect(await source.fetch()).toBeNull();
    expect(registry.notModified).toBe(1);
    registry.document = { ...registry.document, revision: 'changed' };
    expect((await source.fetch())?.revision).toBe('changed');
    expect(registry.catalogRequests).toBe(3);
  });

  it('fails with what the registry said, or that it cannot be reached', async () => {
    await expect(new RegistryCatalogSource(registry.url, 'wrong-token').fetch()).rejects.toThrow(/HTTP 401: \{"error":"unauthenticated"\}/);
    registry.document = { ...registry.document, format: 'something-else' as never };
    await expect(new RegistryCatalogSource(registry.url, registry.token).fetch()).rejects.toThrow(/format must be "tagplan-collector-catalog\/1"/);
    await registry.stop();
    await expect(new RegistryCatalogSource(registry.url, registry.token).fetch()).rejects.toThrow(/fetch failed/);
  });
});

describe('FileCatalogSource', () => {
  it('reads the file when it changes, and only then', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tagplan-catalog-file-'));
    try {
      const file = path.join(dir, 'catalog.json');
      await writeFile(file, JSON.stringify(catalogDocument({ keys: [], revision: 'one' })));
      const source = new FileCatalogSource(file, []);
      expect((await source.fetch())?.revision).toBe('one');
      expect(await source.fetch()).toBeNull();
      await writeFile(file, JSON.stringify(catalogDocument({ keys: [], revision: 'second' })));
      expect((await source.fetch())?.revision).toBe('second');
      await rm(file);
      await expect(source.fetch()).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
