import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EventCounts } from './event-counts';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Everything GET /metrics shows (Prometheus text format). Each collector has its own
 * registry, so that several can run in one process (tests, `tagplan serve`). Event counts
 * are plain integers bumped once per event and turned into counters at scrape time.
 */
export class CollectorMetrics {
  readonly registry = new Registry();
  readonly counts = new EventCounts();
  private readonly requestDuration: Histogram<'route' | 'status'>;
  private readonly sinkDuration: Histogram<'sink' | 'outcome'>;
  private readonly bytes: Counter<'encoding'>;
  private readonly duplicateEvents: Counter<'environment'>;
  private readonly skewed: Counter<'environment'>;
  private readonly catalogLoads: Counter<'outcome'>;
  private readonly catalogRevision: Gauge<'revision'>;
  private readonly catalogLoadedAt: Gauge;
  private readonly countsPushes: Counter<'outcome'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const counts = this.counts;
    new Counter({
      name: 'tagplan_collector_events_accepted_total',
      help: 'Events accepted and written, by environment, event and version (duplicates of written events are not counted again).',
      labelNames: ['environment', 'event', 'version'],
      registers,
      collect() {
        this.reset();
        for (const entry of counts.all()) {
          if (entry.accepted > 0) this.inc({ environment: entry.environment, event: entry.eventName, version: entry.eventVersion }, entry.accepted);
        }
      },
    });
    new Counter({
      name: 'tagplan_collector_events_bad_total',
      help: 'Events written as bad rows, by environment, event, version and reason; names and versions the catalog does not know are "(unknown)".',
      labelNames: ['environment', 'event', 'version', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const entry of counts.all()) {
          for (const [reason, count] of entry.badByReason) {
            this.inc({ environment: entry.environment, event: entry.eventName, version: entry.eventVersion, reason }, count);
          }
        }
      },
    });
    this.duplicateEvents = new Counter({
      name: 'tagplan_collector_events_duplicate_total',
      help: 'Events not written again because their event_id was written within the de-duplication window.',
      labelNames: ['environment'],
      registers,
    });
    this.skewed = new Counter({
      name: 'tagplan_collector_events_clock_skewed_total',
      help: "Events whose sender's clock was more than a day off (still accepted, ts corrected by the skew).",
      labelNames: ['environment'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'tagplan_collector_request_duration_seconds',
      help: 'Time from the request to the answer, by route and HTTP status.',
      labelNames: ['route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.sinkDuration = new Histogram({
      name: 'tagplan_collector_sink_write_duration_seconds',
      help: "Time a sink took to write one request's records durably, by sink and outcome (ok, error).",
      labelNames: ['sink', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.bytes = new Counter({
      name: 'tagplan_collector_bytes_in_total',
      help: 'Request body bytes received on POST /v1/events, as sent (compressed when gzip), by Content-Encoding.',
      labelNames: ['encoding'],
      registers,
    });
    this.catalogLoads = new Counter({
      name: 'tagplan_collector_catalog_loads_total',
      help: 'Catalog loads and refreshes by outcome: changed, unchanged, error.',
      labelNames: ['outcome'],
      registers,
    });
    this.catalogRevision = new Gauge({ name: 'tagplan_collector_catalog_revision_info', help: 'The catalog revision in force (value 1).', labelNames: ['revision'], registers });
    this.catalogLoadedAt = new Gauge({ name: 'tagplan_collector_catalog_loaded_timestamp_seconds', help: 'When the catalog in force was last confirmed current.', registers });
    this.countsPushes = new Counter({
      name: 'tagplan_collector_counts_reports_total',
      help: 'Reports of event counts to the registry, by outcome (ok, error).',
      labelNames: ['outcome'],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'tagplan_collector_' });
  }

  /** Gauges of the requests under way and the bytes they hold, read at scrape time. */
  watchInFlight(read: () => { requests: number; bytes: number }): void {
    const registers = [this.registry];
    new Gauge({
      name: 'tagplan_collector_requests_in_flight',
      help: 'Requests being read, checked or written (past TAGPLAN_COLLECTOR_MAX_REQUESTS_IN_FLIGHT they get 503).',
      registers,
      collect() {
        this.set(read().requests);
      },
    });
    new Gauge({
      name: 'tagplan_collector_bytes_in_flight',
      help: 'Bytes of the bodies of the requests under way (past TAGPLAN_COLLECTOR_MAX_BYTES_IN_FLIGHT new requests get 503).',
      registers,
      collect() {
        this.set(read().bytes);
      },
    });
  }

  request(route: string, status: number, seconds: number): void {
    this.requestDuration.observe({ route, status: String(status) }, seconds);
  }

  sinkWrite(sink: string, seconds: number, ok: boolean): void {
    this.sinkDuration.observe({ sink, outcome: ok ? 'ok' : 'error' }, seconds);
  }

  bytesIn(encoding: string, bytes: number): void {
    this.bytes.inc({ encoding }, bytes);
  }

  duplicates(environment: string, count: number): void {
    if (count > 0) this.duplicateEvents.inc({ environment }, count);
  }

  skewedEvents(environment: string, count: number): void {
    if (count > 0) this.skewed.inc({ environment }, count);
  }

  catalogLoad(outcome: 'changed' | 'unchanged' | 'error', revision?: string): void {
    this.catalogLoads.inc({ outcome });
    if (outcome === 'error') return;
    this.catalogLoadedAt.set(Date.now() / 1000);
    if (revision !== undefined) {
      this.catalogRevision.reset();
      this.catalogRevision.set({ revision }, 1);
    }
  }

  countsReport(ok: boolean): void {
    this.countsPushes.inc({ outcome: ok ? 'ok' : 'error' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
