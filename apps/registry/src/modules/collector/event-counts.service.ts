import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { nameProblem, pointer, show, type CatalogIssue } from '@tagplan/catalog';
import { COLLECTOR_COUNTS_FORMAT } from '@tagplan/collector';
import { invalidAt, objectBody } from '../../common/request-body';
import { CatalogException } from '../catalog/catalog.exceptions';

/** How long minute buckets are kept: a week, and a day to spare for the "last day" of a week ago. */
export const COUNT_RETENTION_DAYS = 8;
export const MAX_COUNTS_PER_REPORT = 10_000;
const MAX_EVENT_NAME_LENGTH = 256;
/** A collector's clock may run ahead of ours a little; a bucket far in the future is a bug. */
const MAX_MINUTES_AHEAD = 60;
const PRUNE_EVERY_MS = 10 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
/** Deadlock, serialization failure: two collectors adding to the same buckets; trying again settles it. */
const RETRYABLE = new Set(['40P01', '40001']);

export type CountWindow = 'hour' | 'day';
/** Minute buckets in each window, the current (partial) minute included. */
const WINDOW_MINUTES: Record<CountWindow, number> = { hour: 60, day: 1440 };

export interface Tally {
  accepted: number;
  bad: number;
}

export interface EventVersionCounts {
  event_name: string;
  event_version: number;
  as_of: string;
  last_hour: Tally;
  last_day: Tally;
  by_environment: { environment: string; last_hour: Tally; last_day: Tally }[];
}

export interface CountsListing {
  window: CountWindow;
  since: string;
  as_of: string;
  items: (Tally & { event_name: string; event_version: number; in_catalog: boolean; by_environment: (Tally & { environment: string })[] })[];
}

interface Bucket {
  environment: string;
  event_name: string;
  event_version: number;
  minute: Date;
  accepted: number;
  bad: number;
}

/**
 * Accepted and bad events per environment, event version and minute, as collectors report
 * them (issue 4 §6). Counters, not catalog data: added to in place, and pruned after
 * COUNT_RETENTION_DAYS.
 */
@Injectable()
export class EventCountsService {
  private lastPrune = 0;

  constructor(private readonly dataSource: DataSource) {}

  async record(body: unknown, now = new Date()): Promise<{ recorded: number; skipped: number; duplicate: boolean }> {
    const { buckets, skipped, reportId } = parseReport(body, now);
    const duplicate = await this.retrying(() =>
      this.dataSource.transaction(async (manager) => {
        if (reportId !== undefined) {
          const inserted = (await manager.query(`INSERT INTO event_count_reports (id) VALUES ($1) ON CONFLICT ON CONSTRAINT event_count_reports_pkey DO NOTHING RETURNING id`, [reportId])) as unknown[];
          if (inserted.length === 0) return true;
        }
        if (buckets.length === 0) return false;
        // Summed per bucket first (one row may not be updated twice in one statement), and in
        // key order, so that two collectors adding to the same buckets lock them in one order.
        await manager.query(
          `INSERT INTO event_counts (environment, event_name, event_version, minute, accepted, bad)
           SELECT environment, event_name, event_version, minute, sum(accepted), sum(bad)
             FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::bigint[], $6::bigint[])
               AS report(environment, event_name, event_version, minute, accepted, bad)
            GROUP BY event_name, event_version, environment, minute
            ORDER BY event_name, event_version, environment, minute
           ON CONFLICT ON CONSTRAINT event_counts_pkey
           DO UPDATE SET accepted = event_counts.accepted + EXCLUDED.accepted, bad = event_counts.bad + EXCLUDED.bad`,
          [
            buckets.map((bucket) => bucket.environment),
            buckets.map((bucket) => bucket.event_name),
            buckets.map((bucket) => bucket.event_version),
            buckets.map((bucket) => bucket.minute.toISOString()),
            buckets.map((bucket) => bucket.accepted),
            buckets.map((bucket) => bucket.bad),
          ],
        );
        return false;
      }),
    );
    await this.pruneNowAndThen();
    return { recorded: duplicate ? 0 : buckets.length, skipped: duplicate ? 0 : skipped, duplicate };
  }

  async forEventVersion(name: string, version: number): Promise<EventVersionCounts> {
    const exists = (await this.dataSource.query(`SELECT 1 FROM catalog_versions WHERE kind = 'event' AND name = $1 AND version = $2`, [name, version])) as unknown[];
    if (exists.length === 0) {
      const named = (await this.dataSource.query(`SELECT 1 FROM catalog_entities WHERE kind = 'event' AND name = $1`, [name])) as unknown[];
      throw new CatalogException('not_found', named.length > 0 ? `event ${name} has no version ${version}` : `there is no event named ${name}`);
    }
    const rows = (await this.dataSource.query(
      `WITH bounds AS (SELECT now() AS as_of, date_trunc('minute', now()) - interval '59 minutes' AS hour, date_trunc('minute', now()) - interval '1439 minutes' AS day)
       SELECT bounds.as_of, counts.environment,
              coalesce(sum(counts.accepted) FILTER (WHERE counts.minute >= bounds.hour), 0)::text AS hour_accepted,
              coalesce(sum(counts.bad) FILTER (WHERE counts.minute >= bounds.hour), 0)::text AS hour_bad,
              coalesce(sum(counts.accepted), 0)::text AS day_accepted,
              coalesce(sum(counts.bad), 0)::text AS day_bad
         FROM bounds LEFT JOIN event_counts counts
           ON counts.event_name = $1 AND counts.event_version = $2 AND counts.minute >= bounds.day
        GROUP BY bounds.as_of, counts.environment
        ORDER BY counts.environment`,
      [name, version],
    )) as { as_of: Date; environment: string | null; hour_accepted: string; hour_bad: string; day_accepted: string; day_bad: string }[];
    const byEnvironment = rows
      .filter((row) => row.environment !== null)
      .map((row) => ({
        environment: row.environment as string,
        last_hour: { accepted: Number(row.hour_accepted), bad: Number(row.hour_bad) },
        last_day: { accepted: Number(row.day_accepted), bad: Number(row.day_bad) },
      }));
    const total = (pick: (entry: (typeof byEnvironment)[number]) => Tally): Tally => ({
      accepted: byEnvironment.reduce((sum, entry) => sum + pick(entry).accepted, 0),
      bad: byEnvironment.reduce((sum, entry) => sum + pick(entry).bad, 0),
    });
    return {
      event_name: name,
      event_version: version,
      as_of: (rows[0]?.as_of ?? new Date()).toISOString(),
      last_hour: total((entry) => entry.last_hour),
      last_day: total((entry) => entry.last_day),
      by_environment: byEnvironment,
    };
  }

  /** Every event version of the catalog (zeros where nothing was counted), and any counted version the catalog lacks. */
  async list(window: CountWindow): Promise<CountsListing> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [bounds] = (await manager.query(`SELECT now() AS as_of, date_trunc('minute', now()) - make_interval(mins => $1) AS since`, [WINDOW_MINUTES[window] - 1])) as { as_of: Date; since: Date }[];
      const [counted, known] = await Promise.all([
        manager.query(
          `SELECT event_name, event_version, environment, sum(accepted)::text AS accepted, sum(bad)::text AS bad
             FROM event_counts WHERE minute >= $1
            GROUP BY event_name, event_version, environment`,
          [bounds?.since],
        ) as Promise<{ event_name: string; event_version: number; environment: string; accepted: string; bad: string }[]>,
        manager.query(`SELECT name, version FROM catalog_versions WHERE kind = 'event'`) as Promise<{ name: string; version: number }[]>,
      ]);
      const items = new Map<string, CountsListing['items'][number]>();
      const key = (name: string, version: number) => `${name}@${version}`;
      for (const row of known) items.set(key(row.name, row.version), { event_name: row.name, event_version: row.version, in_catalog: true, accepted: 0, bad: 0, by_environment: [] });
      for (const row of counted) {
        const item = items.get(key(row.event_name, row.event_version)) ?? { event_name: row.event_name, event_version: row.event_version, in_catalog: false, accepted: 0, bad: 0, by_environment: [] };
        items.set(key(row.event_name, row.event_version), item);
        const tally = { environment: row.environment, accepted: Number(row.accepted), bad: Number(row.bad) };
        item.accepted += tally.accepted;
        item.bad += tally.bad;
        item.by_environment.push(tally);
      }
      const sorted = [...items.values()].sort((a, b) => (a.event_name < b.event_name ? -1 : a.event_name > b.event_name ? 1 : a.event_version - b.event_version));
      for (const item of sorted) item.by_environment.sort((a, b) => (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0));
      return { window, since: (bounds?.since ?? new Date()).toISOString(), as_of: (bounds?.as_of ?? new Date()).toISOString(), items: sorted };
    });
  }

  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= 3 || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
      }
    }
  }

  /** Old buckets go on write, at most every few minutes: reads never wait for it. */
  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(`DELETE FROM event_counts WHERE minute < now() - make_interval(days => $1)`, [COUNT_RETENTION_DAYS]);
    await this.dataSource.query(`DELETE FROM event_count_reports WHERE received_at < now() - make_interval(days => $1)`, [COUNT_RETENTION_DAYS]);
  }
}

/**
 * Checks a report whole, naming every problem with its place; buckets older than the
 * retention are skipped. Two shapes are taken, and any mix of them: the collector's
 * CollectorCountsReport (libs/collector contracts: counts since its previous report, from_ts
 * to to_ts, filed under the minute of the report's end), and counts that each name their
 * own minute. A `report_id` (UUID) makes a resent report count once.
 */
function parseReport(body: unknown, now: Date): { buckets: Bucket[]; skipped: number; reportId?: string } {
  const request = objectBody(body);
  const allowed = ['format', 'collector_id', 'from_ts', 'to_ts', 'counts', 'report_id'];
  for (const key of Object.keys(request)) {
    if (!allowed.includes(key)) throw invalidAt(pointer('', key), 'unknown_property', `unknown property "${key}"; expected ${allowed.join(', ')}`);
  }
  const { format, collector_id: collectorId, from_ts: fromTs, to_ts: toTs, report_id: reportId, counts } = request;
  if (format !== undefined && format !== COLLECTOR_COUNTS_FORMAT) throw invalidAt('/format', 'invalid_value', `format must be "${COLLECTOR_COUNTS_FORMAT}", not ${show(format)}`);
  if (collectorId !== undefined && (typeof collectorId !== 'string' || collectorId === '' || collectorId.length > 200)) throw invalidAt('/collector_id', 'type', 'collector_id must be 1 to 200 characters');
  if (reportId !== undefined && (typeof reportId !== 'string' || !UUID.test(reportId))) {
    throw invalidAt('/report_id', 'type', 'report_id must be a UUID that the collector keeps when it resends the same report');
  }
  for (const [name, value] of [['from_ts', fromTs], ['to_ts', toTs]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < 0)) throw invalidAt(`/${name}`, 'type', `${name} must be milliseconds since the epoch, not ${show(value)}`);
  }
  if (fromTs !== undefined && toTs !== undefined && (fromTs as number) > (toTs as number)) throw invalidAt('/from_ts', 'invalid_range', 'from_ts is after to_ts');
  // The minute the report's counts belong to when they do not say: that of its last millisecond.
  const reportMinute = toTs === undefined ? undefined : Math.max((toTs as number) - 1, (fromTs as number | undefined) ?? 0);
  if (!Array.isArray(counts)) throw invalidAt('/counts', counts === undefined ? 'required' : 'type', `counts must be a list of {environment, event_name, event_version, accepted, bad, minute}, not ${show(counts)}`);
  if (counts.length > MAX_COUNTS_PER_REPORT) throw invalidAt('/counts', 'invalid_value', `at most ${MAX_COUNTS_PER_REPORT} counts per report, not ${counts.length}; send several`);
  const issues: CatalogIssue[] = [];
  const add = (path: string, code: CatalogIssue['code'], message: string) => issues.push({ path, code, message });
  const oldest = now.getTime() - COUNT_RETENTION_DAYS * 86_400_000;
  const newest = now.getTime() + MAX_MINUTES_AHEAD * 60_000;
  if (reportMinute !== undefined && reportMinute > newest) add('/to_ts', 'invalid_value', `to_ts is more than ${MAX_MINUTES_AHEAD} minutes ahead of the registry's clock`);
  const buckets: Bucket[] = [];
  let skipped = 0;
  counts.forEach((entry: unknown, index) => {
    const at = pointer('/counts', index);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return add(at, 'type', `expected an object, not ${show(entry)}`);
    const count = entry as Record<string, unknown>;
    for (const key of Object.keys(count)) {
      if (!['environment', 'event_name', 'event_version', 'minute', 'accepted', 'bad'].includes(key)) add(pointer(at, key), 'unknown_property', `unknown property ${show(key)}`);
    }
    const { environment, event_name: eventName, event_version: eventVersion, minute, accepted, bad } = count;
    const environmentProblem = nameProblem('environment', environment);
    if (environmentProblem) add(pointer(at, 'environment'), environment === undefined ? 'required' : 'invalid_name', environmentProblem);
    // Bad rows may be counted under whatever name the sender used: any text, within reason.
    if (typeof eventName !== 'string' || eventName.length === 0 || eventName.length > MAX_EVENT_NAME_LENGTH) {
      add(pointer(at, 'event_name'), eventName === undefined ? 'required' : 'type', `event_name must be 1 to ${MAX_EVENT_NAME_LENGTH} characters, not ${show(eventName)}`);
    }
    if (!Number.isSafeInteger(eventVersion) || (eventVersion as number) < 0 || (eventVersion as number) > 2_147_483_647) {
      add(pointer(at, 'event_version'), eventVersion === undefined ? 'required' : 'type', `event_version must be a whole number from 0 (no valid version given), not ${show(eventVersion)}`);
    }
    let time: number;
    if (minute === undefined && reportMinute !== undefined) {
      time = reportMinute;
    } else {
      time = typeof minute === 'string' && DATE_TIME.test(minute) ? Date.parse(minute) : Number.NaN;
      if (!Number.isFinite(time)) {
        const hint = minute === undefined ? ' (or give the report a to_ts)' : '';
        add(pointer(at, 'minute'), minute === undefined ? 'required' : 'type', `minute must be an RFC 3339 date-time such as 2026-01-01T12:34:00Z${hint}, not ${show(minute)}`);
      } else if (time > newest) {
        add(pointer(at, 'minute'), 'invalid_value', `minute ${minute as string} is more than ${MAX_MINUTES_AHEAD} minutes ahead of the registry's clock`);
      }
    }
    for (const [name, value] of [['accepted', accepted], ['bad', bad]] as const) {
      if (!Number.isSafeInteger(value) || (value as number) < 0) add(pointer(at, name), value === undefined ? 'required' : 'type', `${name} must be a whole number from 0, not ${show(value)}`);
    }
    if (issues.length > 0) return;
    if (time < oldest) {
      skipped += 1;
      return;
    }
    buckets.push({
      environment: environment as string,
      event_name: eventName as string,
      event_version: eventVersion as number,
      minute: new Date(Math.floor(time / 60_000) * 60_000),
      accepted: accepted as number,
      bad: bad as number,
    });
  });
  if (issues.length > 0) throw CatalogException.invalid(issues);
  return { buckets, skipped, ...(reportId !== undefined ? { reportId: reportId as string } : {}) };
}
