import { readFile, stat } from 'node:fs/promises';
import type { CollectorCatalogDocument } from '../contracts';
import { documentFromFile, parseCatalogDocument, type ConfiguredWriteKey } from './catalog-document';

/** Where a collector's catalog comes from. */
export interface CatalogSource {
  readonly description: string;
  /** The document when it changed since the previous call (or on the first), null when it did not. */
  fetch(): Promise<CollectorCatalogDocument | null>;
}

export const CATALOG_PATH = '/api/collector/catalog';

/**
 * The registry's GET /api/collector/catalog, asked with If-None-Match so that an unchanged
 * catalog costs a 304 and no parsing.
 */
export class RegistryCatalogSource implements CatalogSource {
  private etag: string | undefined;

  constructor(
    private readonly registryUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 5000,
  ) {}

  get description(): string {
    return `the registry at ${this.registryUrl}`;
  }

  async fetch(): Promise<CollectorCatalogDocument | null> {
    const response = await fetch(new URL(CATALOG_PATH, this.registryUrl), {
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(this.etag ? { 'if-none-match': this.etag } : {}) },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (response.status === 304) return null;
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the registry answered ${CATALOG_PATH} with HTTP ${response.status}: ${text.slice(0, 300)}`);
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw new Error(`the registry's ${CATALOG_PATH} is not JSON: ${(error as Error).message}`);
    }
    const document = parseCatalogDocument(input);
    this.etag = response.headers.get('etag') ?? `"${document.revision}"`;
    return document;
  }
}

/**
 * A catalog file: a collector catalog document, or a `tagplan export --snapshot` file with
 * write keys from the configuration. Re-read when its modification time or size changes.
 */
export class FileCatalogSource implements CatalogSource {
  private signature: string | undefined;

  constructor(
    private readonly file: string,
    private readonly keys: ConfiguredWriteKey[],
  ) {}

  get description(): string {
    return `the file ${this.file}`;
  }

  async fetch(): Promise<CollectorCatalogDocument | null> {
    const info = await stat(this.file);
    const signature = `${info.mtimeMs}:${info.size}`;
    if (signature === this.signature) return null;
    const document = documentFromFile(await readFile(this.file, 'utf8'), this.keys, this.file);
    this.signature = signature;
    return document;
  }
}
