import type { BadRowReason, EventVersionCount } from '../contracts';

/** The label of an event name or version the catalog does not know: their values come from senders, so they must not become labels. */
export const UNKNOWN_LABEL = '(unknown)';

/**
 * Running totals of accepted events and bad rows per environment, event and version. One
 * object per event version, held by the catalog's resolved entries, so that counting an
 * event is an integer increment; Prometheus and the registry read these totals.
 */
export class EventCount {
  accepted = 0;
  bad = 0;
  readonly badByReason = new Map<BadRowReason, number>();
  /** What has been put into a report to the registry (delivered, or pending delivery). */
  reportedAccepted = 0;
  reportedBad = 0;

  constructor(
    readonly environment: string,
    readonly eventName: string,
    readonly eventVersion: string,
    /** Whether the catalog knows this event version, so that the registry can file it. */
    readonly known: boolean,
  ) {}

  addBad(reason: BadRowReason, count = 1): void {
    this.bad += count;
    this.badByReason.set(reason, (this.badByReason.get(reason) ?? 0) + count);
  }
}

export class EventCounts {
  private readonly entries = new Map<string, EventCount>();

  /** `eventName`/`eventVersion` undefined: the catalog does not know them. */
  entry(environment: string, eventName: string | undefined, eventVersion: number | undefined): EventCount {
    const name = eventName ?? UNKNOWN_LABEL;
    const version = eventVersion === undefined ? UNKNOWN_LABEL : String(eventVersion);
    const key = `${environment}\u0000${name}\u0000${version}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = new EventCount(environment, name, version, eventName !== undefined && eventVersion !== undefined);
      this.entries.set(key, entry);
    }
    return entry;
  }

  all(): IterableIterator<EventCount> {
    return this.entries.values();
  }

  /**
   * Takes what is not yet in a report, for the registry (known event versions only), and
   * marks it as reported: at most `limit` counts, the rest waits for the next report.
   */
  takeUnreported(limit: number): EventVersionCount[] {
    const out: EventVersionCount[] = [];
    for (const entry of this.entries.values()) {
      if (out.length >= limit) break;
      if (!entry.known) continue;
      const accepted = entry.accepted - entry.reportedAccepted;
      const bad = entry.bad - entry.reportedBad;
      if (accepted === 0 && bad === 0) continue;
      entry.reportedAccepted = entry.accepted;
      entry.reportedBad = entry.bad;
      out.push({ environment: entry.environment, event_name: entry.eventName, event_version: Number(entry.eventVersion), accepted, bad });
    }
    return out;
  }
}
