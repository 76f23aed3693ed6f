import { randomUUID } from 'node:crypto';
import { COLLECTOR_COUNTS_FORMAT, type CollectorCountsReport } from '../contracts';
import { errorFields, type Logger } from '../logging/logger';
import type { CollectorMetrics } from './collector-metrics';

export const COUNTS_PATH = '/api/collector/counts';
/** The registry takes at most this many counts in one report. */
export const MAX_COUNTS_PER_REPORT = 10_000;

export interface CountsReporterOptions {
  registryUrl: string;
  token: string;
  collectorId: string;
  intervalMs: number;
  metrics: CollectorMetrics;
  logger: Logger;
}

/**
 * Pushes the counts of accepted events and bad rows to the registry (POST
 * /api/collector/counts) so that owners see which event versions flow and which break.
 * A report that was not acknowledged is resent unchanged, with its report_id, until it
 * is: the registry counts a resent report once, so a lost answer never counts twice.
 */
export class CountsReporter {
  private timer: NodeJS.Timeout | undefined;
  private fromTs = Date.now();
  private failing = false;
  private inFlight: Promise<void> | undefined;
  private pending: CollectorCountsReport | undefined;

  constructor(private readonly options: CountsReporterOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.report(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** Sends what is unreported now (also on shutdown); resolves whatever the outcome. */
  report(): Promise<void> {
    this.inFlight ??= this.sendAll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async sendAll(): Promise<void> {
    for (;;) {
      if (!this.pending) {
        const counts = this.options.metrics.counts.takeUnreported(MAX_COUNTS_PER_REPORT);
        if (counts.length === 0) return;
        const toTs = Math.max(Date.now(), this.fromTs + 1);
        this.pending = { format: COLLECTOR_COUNTS_FORMAT, collector_id: this.options.collectorId, from_ts: this.fromTs, to_ts: toTs, report_id: randomUUID(), counts };
        this.fromTs = toTs;
      }
      if (!(await this.send(this.pending))) return;
      this.pending = undefined;
    }
  }

  private async send(report: CollectorCountsReport): Promise<boolean> {
    const { metrics, logger } = this.options;
    try {
      const response = await fetch(new URL(COUNTS_PATH, this.options.registryUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`the registry answered ${COUNTS_PATH} with HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
      metrics.countsReport(true);
      if (this.failing) logger.info('event counts delivered to the registry again');
      this.failing = false;
      return true;
    } catch (error) {
      metrics.countsReport(false);
      if (!this.failing) logger.warn('cannot report event counts to the registry; the report is kept and resent', errorFields(error));
      this.failing = true;
      return false;
    }
  }
}
