import { randomUUID } from 'node:crypto';
import type { BadRow, EnrichedRecord, SinkBatch } from '@tagplan/collector';

/** An enriched record as the collector writes it (DESIGN §3), about 400 bytes of JSON. */
export function enrichedRecord(overrides: Partial<EnrichedRecord> = {}): EnrichedRecord {
  const received = 1_763_870_400_200;
  return {
    event_id: randomUUID(),
    environment: 'web-frontend',
    event_name: 'item_viewed',
    event_version: 2,
    created_ts: 1_763_870_399_001,
    sent_ts: 1_763_870_400_123,
    received_ts: received,
    ts: 1_763_870_399_001 + (received - 1_763_870_400_123),
    data: { user_id: 'h:5f0c0ad4e1d3b6f1a2', item_id: 1001, source: 'search' },
    stack_ctx: { langpack: 'go', langpack_version: '0.1.7', collector_version: '0.1.0' },
    query_ctx: {
      user_agent: 'tagplan-go/0.1.7',
      ip_hash: '9c1185a5c5e9fc54612808977ee8f548b2258d31',
      content_encoding: 'gzip',
      write_key_id: 'wk_01',
      request_id: 'req-1',
    },
    ...overrides,
  };
}

export function badRow(overrides: Partial<BadRow> = {}): BadRow {
  const eventId = overrides.event_id === undefined ? randomUUID() : overrides.event_id;
  return {
    reason: 'invalid_data',
    errors: ['/data/item_id: must be integer'],
    raw: { event_id: eventId, event_name: 'item_viewed', event_version: 2, data: { item_id: 'x' } },
    received_ts: 1_763_870_400_200,
    environment: 'web-frontend',
    event_name: 'item_viewed',
    event_version: 2,
    event_id: eventId,
    ...overrides,
  };
}

export function recordBatch(count: number, overrides: Partial<EnrichedRecord> = {}): SinkBatch {
  return { records: Array.from({ length: count }, () => enrichedRecord(overrides)), badRows: [] };
}
