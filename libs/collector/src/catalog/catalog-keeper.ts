import type { CollectorCatalogDocument } from '../contracts';
import { errorFields, type Logger } from '../logging/logger';
import type { CollectorMetrics } from '../metrics/collector-metrics';
import type { CompiledCatalog } from './compiled-catalog';
import type { CatalogSource } from './catalog-source';

export interface CatalogKeeperOptions {
  source: CatalogSource;
  compile: (document: CollectorCatalogDocument) => CompiledCatalog;
  refreshMs: number;
  logger: Logger;
  metrics: CollectorMetrics;
  /** Compile validators in the background after each load (slices of this many ms); 0 turns it off. */
  warmUpSliceMs?: number;
}

/**
 * Holds the catalog in force and keeps it current: polls the source every `refreshMs` and
 * swaps in a new compiled catalog whole, so that a request sees one catalog from start to
 * end. When the source fails, the last catalog stays in force (DESIGN: the collector keeps
 * working while the registry is away).
 */
export class CatalogKeeper {
  private catalog: CompiledCatalog | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failingSince: number | undefined;
  private lastFailureLog = 0;
  private warmUpGeneration = 0;

  constructor(private readonly options: CatalogKeeperOptions) {}

  get current(): CompiledCatalog | undefined {
    return this.catalog;
  }

  /** One attempt; true when a catalog is in force afterwards. Never throws: failures are logged and counted. */
  async refresh(): Promise<boolean> {
    const { source, logger, metrics } = this.options;
    try {
      const document = await source.fetch();
      if (document === null) {
        metrics.catalogLoad('unchanged');
      } else {
        const compiled = this.options.compile(document);
        const previous = this.catalog?.revision;
        this.catalog = compiled;
        metrics.catalogLoad('changed', compiled.revision);
        logger.info('catalog loaded', { source: source.description, revision: compiled.revision, previous_revision: previous ?? null, environments: compiled.environments.size });
        for (const warning of compiled.warnings) logger.warn('catalog route', { warning });
        this.warmUp(compiled);
      }
      if (this.failingSince !== undefined) {
        logger.info('catalog source reachable again', { source: source.description, failing_ms: Date.now() - this.failingSince });
        this.failingSince = undefined;
      }
    } catch (error) {
      metrics.catalogLoad('error');
      const now = Date.now();
      this.failingSince ??= now;
      // Once when it starts failing, then every half minute: a registry that is away must not flood the log.
      if (now - this.lastFailureLog >= 30_000 || this.failingSince === now) {
        this.lastFailureLog = now;
        logger.error('catalog refresh failed; keeping the catalog in force', {
          source: source.description,
          revision: this.catalog?.revision ?? null,
          failing_ms: now - this.failingSince,
          ...errorFields(error),
        });
      }
    }
    return this.catalog !== undefined;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.warmUpGeneration++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule());
    }, this.options.refreshMs);
    this.timer.unref();
  }

  /**
   * Compiles the validators of every allowed event version in short slices between
   * requests, so that the first event of each type does not pay for it. Loading stays
   * fast whatever the catalog's size; a newer catalog cancels the warm-up of an older one.
   */
  private warmUp(catalog: CompiledCatalog): void {
    const slice = this.options.warmUpSliceMs ?? 10;
    if (slice <= 0) return;
    const generation = ++this.warmUpGeneration;
    const pinned = catalog.pinnedEvents();
    const step = () => {
      if (generation !== this.warmUpGeneration) return;
      const until = performance.now() + slice;
      while (performance.now() < until) {
        const next = pinned.next();
        if (next.done) return;
        if (next.value.compiled) continue;
        try {
          next.value.resolve(undefined);
        } catch (error) {
          this.options.logger.warn('cannot compile an event schema', { event: next.value.name, version: next.value.version, ...errorFields(error) });
        }
      }
      setImmediate(step).unref();
    };
    setImmediate(step).unref();
  }
}
