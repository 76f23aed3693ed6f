import type { EnrichedRecord } from '@tagplan/collector';

/**
 * The JSON line of an enriched record, byte for byte what JSON.stringify(record) gives,
 * but cheaper: the parts shared by the records of a request (environment, times,
 * query_ctx, and stack_ctx, which a sender repeats on every event) are serialised once,
 * not once per record, and event_id and event_name, which the intake admits only as a UUID
 * and a catalog name (contracts.ts), need no escaping. Serialising is the sink's largest
 * per-event cost, so this matters for throughput.
 */
export class RecordSerializer {
  private queryCtx: unknown;
  private queryCtxJson = '';
  private environment: string | undefined;
  private environmentJson = '';
  private sentTs = NaN;
  private sentTsJson = '';
  private receivedTs = NaN;
  private receivedTsJson = '';
  private stackCtx: Record<string, unknown> | undefined;
  private stackCtxKeys: string[] = [];
  private stackCtxJson = '';

  json(record: EnrichedRecord): string {
    if (record.query_ctx !== this.queryCtx) {
      this.queryCtx = record.query_ctx;
      this.queryCtxJson = JSON.stringify(record.query_ctx);
    }
    if (record.environment !== this.environment) {
      this.environment = record.environment;
      this.environmentJson = JSON.stringify(record.environment);
    }
    if (record.sent_ts !== this.sentTs) {
      this.sentTs = record.sent_ts;
      this.sentTsJson = number(record.sent_ts);
    }
    if (record.received_ts !== this.receivedTs) {
      this.receivedTs = record.received_ts;
      this.receivedTsJson = number(record.received_ts);
    }
    return (
      '{"event_id":"' +
      record.event_id +
      '","environment":' +
      this.environmentJson +
      ',"event_name":"' +
      record.event_name +
      '","event_version":' +
      number(record.event_version) +
      ',"created_ts":' +
      number(record.created_ts) +
      ',"sent_ts":' +
      this.sentTsJson +
      ',"received_ts":' +
      this.receivedTsJson +
      ',"ts":' +
      number(record.ts) +
      ',"data":' +
      JSON.stringify(record.data) +
      ',"stack_ctx":' +
      this.stackCtxJsonOf(record.stack_ctx) +
      ',"query_ctx":' +
      this.queryCtxJson +
      '}'
    );
  }

  /** stack_ctx is flat (the intake checks it): equal keys in the same order and equal values give the same JSON. */
  private stackCtxJsonOf(stackCtx: Record<string, unknown>): string {
    const previous = this.stackCtx;
    if (stackCtx === previous) return this.stackCtxJson;
    if (previous !== undefined) {
      const keys = this.stackCtxKeys;
      let index = 0;
      let same = true;
      for (const key in stackCtx) {
        if (key !== keys[index] || stackCtx[key] !== previous[key]) {
          same = false;
          break;
        }
        index++;
      }
      if (same && index === keys.length) {
        this.stackCtx = stackCtx;
        return this.stackCtxJson;
      }
    }
    this.stackCtx = stackCtx;
    this.stackCtxKeys = Object.keys(stackCtx);
    this.stackCtxJson = JSON.stringify(stackCtx);
    return this.stackCtxJson;
  }
}

// Every key of EnrichedRecord is written above: a new key there must be added here (tsc fails otherwise).
const WRITTEN_KEYS = ['event_id', 'environment', 'event_name', 'event_version', 'created_ts', 'sent_ts', 'received_ts', 'ts', 'data', 'stack_ctx', 'query_ctx'] as const;
type Unwritten = Exclude<keyof EnrichedRecord, (typeof WRITTEN_KEYS)[number]>;
export const ALL_RECORD_KEYS_WRITTEN: [Unwritten] extends [never] ? readonly string[] : never = WRITTEN_KEYS;

function number(value: number): string {
  // As JSON.stringify does: a number that JSON cannot hold is null.
  return Number.isFinite(value) ? String(value) : 'null';
}
