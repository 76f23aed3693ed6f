import type { Sink } from './contracts';
import { CatalogKeeper } from './catalog/catalog-keeper';
import type { CatalogSource } from './catalog/catalog-source';
import { CompiledCatalog } from './catalog/compiled-catalog';
import { ValidatorCache } from './catalog/validator-cache';
import { DEFAULT_DEDUP, SinkDedupWindows, type DedupOptions } from './dedup/dedup-window';
import { DEFAULT_LIMITS, EventIntake, type IntakeLimits } from './intake/event-intake';
import { KeyedHasher } from './intake/keyed-hasher';
import { createJsonLogger, errorFields, type Logger } from './logging/logger';
import { CollectorMetrics } from './metrics/collector-metrics';
import { CountsReporter } from './metrics/counts-reporter';

export interface CollectorOptions {
  source: CatalogSource;
  sinks: ReadonlyMap<string, Sink>;
  /** Sinks of events no route names; at least one, each in `sinks`. */
  defaultSinks: readonly string[];
  /** Key of the HMAC-SHA256 of pii: hash fields and client IPs. */
  piiSecret: string;
  collectorVersion: string;
  instanceId: string;
  limits?: Partial<IntakeLimits>;
  dedup?: Partial<DedupOptions>;
  trustProxy?: boolean;
  refreshMs?: number;
  /** When set (running against a registry), counts are pushed there. */
  countsReport?: { registryUrl: string; token: string; intervalMs: number };
  logger?: Logger;
  warmUpSliceMs?: number;
  processMetrics?: boolean;
}

export interface Readiness {
  ready: boolean;
  catalog: { loaded: boolean; revision: string | null };
  sinks: Record<string, 'ready' | string>;
}

export class CollectorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectorConfigError';
  }
}

/**
 * The collector without its HTTP server: catalog, intake, de-duplication, metrics. The
 * app gives it sinks and a catalog source and serves `createRequestListener(collector)`.
 */
export class Collector {
  readonly metrics: CollectorMetrics;
  readonly dedup: SinkDedupWindows;
  readonly keeper: CatalogKeeper;
  readonly intake: EventIntake;
  readonly logger: Logger;
  readonly limits: IntakeLimits;
  private readonly reporter: CountsReporter | undefined;
  private started = false;

  constructor(readonly options: CollectorOptions) {
    if (options.defaultSinks.length === 0) throw new CollectorConfigError('the collector needs at least one default sink');
    for (const name of options.defaultSinks) {
      if (!options.sinks.has(name)) throw new CollectorConfigError(`the default sink "${name}" is not one of the configured sinks (${[...options.sinks.keys()].join(', ')})`);
    }
    this.logger = options.logger ?? createJsonLogger('info');
    this.metrics = new CollectorMetrics({ processMetrics: options.processMetrics ?? true });
    this.dedup = new SinkDedupWindows({ ...DEFAULT_DEDUP, ...options.dedup });
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const validators = new ValidatorCache();
    this.keeper = new CatalogKeeper({
      source: options.source,
      compile: (document) => new CompiledCatalog(document, { sinks: options.sinks, defaultSinks: options.defaultSinks, validators, counts: this.metrics.counts }),
      refreshMs: options.refreshMs ?? 2000,
      logger: this.logger,
      metrics: this.metrics,
      warmUpSliceMs: options.warmUpSliceMs ?? 10,
    });
    this.intake = new EventIntake({
      catalog: () => this.keeper.current,
      limits: this.limits,
      dedup: this.dedup,
      hasher: new KeyedHasher(options.piiSecret),
      metrics: this.metrics,
      collectorVersion: options.collectorVersion,
      trustProxy: options.trustProxy ?? false,
    });
    this.metrics.watchInFlight(() => this.intake.inFlight);
    this.reporter = options.countsReport
      ? new CountsReporter({ ...options.countsReport, collectorId: options.instanceId, metrics: this.metrics, logger: this.logger })
      : undefined;
  }

  /**
   * Rebuilds the de-duplication window from what the sinks wrote recently, loads the
   * catalog and starts refreshing it. A registry that is not reachable yet does not stop
   * the start (requests get 503 until the first load); `requireCatalog` makes it fatal,
   * as it is for a catalog file.
   */
  async start(requireCatalog = false): Promise<void> {
    await this.rebuildDedup();
    const loaded = await this.keeper.refresh();
    if (!loaded && requireCatalog) throw new CollectorConfigError(`cannot load the catalog from ${this.options.source.description} (see the log)`);
    this.keeper.start();
    this.reporter?.start();
    this.started = true;
  }

  async readiness(): Promise<Readiness> {
    const catalog = this.keeper.current;
    const sinks: Record<string, string> = {};
    await Promise.all(
      [...this.options.sinks].map(async ([name, sink]) => {
        try {
          await sink.ready();
          sinks[name] = 'ready';
        } catch (error) {
          sinks[name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    const sinksReady = Object.values(sinks).every((state) => state === 'ready');
    return { ready: this.started && catalog !== undefined && sinksReady, catalog: { loaded: catalog !== undefined, revision: catalog?.revision ?? null }, sinks };
  }

  /** Stops refreshing and reports the last counts. The sinks belong to whoever made them. */
  async close(): Promise<void> {
    this.keeper.stop();
    if (this.reporter) {
      await this.reporter.stop();
      await this.reporter.report();
    }
  }

  private async rebuildDedup(): Promise<void> {
    const since = Date.now() - this.dedup.options.windowMs;
    for (const [name, sink] of this.options.sinks) {
      if (!sink.recentEventIds) continue;
      const window = this.dedup.of(name);
      const before = window.size;
      const started = Date.now();
      try {
        await sink.recentEventIds(since, (eventId, receivedTs, kind) => window.remember(eventId, kind, receivedTs));
        this.logger.info('de-duplication window rebuilt', { sink: name, event_ids: window.size - before, ms: Date.now() - started });
      } catch (error) {
        // Not fatal: duplicates of the last hour may be written again, nothing is lost.
        this.logger.error('cannot rebuild the de-duplication window from a sink', { sink: name, ...errorFields(error) });
      }
    }
  }
}
