import { COLLECTOR_COUNTS_FORMAT, type CollectorCountsReport } from '../contracts';
import { errorFields, type Logger } from '../logging/logger';
import type { CollectorMetrics } from './collector-metrics';

export const COUNTS_PATH = '/api/collector/counts';

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
 * A report covers what was not yet delivered: a failed push is folded into the next.
 */
export class CountsReporter {
  private timer: NodeJS.Timeout | undefined;
  private fromTs = Date.now();
  private failing = false;
  private inFlight: Promise<void> | undefined;

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
    this.inFlight ??= this.send().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async send(): Promise<void> {
    const { metrics, logger } = this.options;
    const pending = metrics.counts.unreported();
    if (pending.length === 0) return;
    const toTs = Date.now();
    const report: CollectorCountsReport = {
      format: COLLECTOR_COUNTS_FORMAT,
      collector_id: this.options.collectorId,
      from_ts: this.fromTs,
      to_ts: toTs,
      counts: pending.map((item) => item.count),
    };
    try {
      const response = await fetch(new URL(COUNTS_PATH, this.options.registryUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`the registry answered ${COUNTS_PATH} with HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
      for (const { entry, count } of pending) {
        entry.reportedAccepted += count.accepted;
        entry.reportedBad += count.bad;
      }
      this.fromTs = toTs;
      metrics.countsReport(true);
      if (this.failing) logger.info('event counts delivered to the registry again');
      this.failing = false;
    } catch (error) {
      metrics.countsReport(false);
      if (!this.failing) logger.warn('cannot report event counts to the registry; they will be sent with the next report', errorFields(error));
      this.failing = true;
    }
  }
}
