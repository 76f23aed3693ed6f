import type { EnrichedRecord } from '@tagplan/collector';
import { RecordSerializer } from './record-json';

const QUERY_CTX = { user_agent: 'Mozilla/5.0 "quoted" \u2028', ip_hash: 'ab'.repeat(32), content_encoding: null, write_key_id: 'key-1', request_id: '0b9a4f0e-3b7c-4c55-9d2e-5f1a2b3c4d5e' };

function record(overrides: Partial<EnrichedRecord> = {}): EnrichedRecord {
  return {
    event_id: '018f4d3c-7a10-7c3e-8a1b-2c3d4e5f6a7b',
    environment: 'web-frontend',
    event_name: 'item_viewed',
    event_version: 2,
    created_ts: 1_763_870_399_001,
    sent_ts: 1_763_870_400_123,
    received_ts: 1_763_870_400_200,
    ts: 1_763_870_399_078,
    data: { item_id: 1001, source: 'search', note: 'line\nbreak "and" \\ slash é 😀', nested: { list: [1, 2.5, null, true] } },
    stack_ctx: { langpack: 'typescript', langpack_version: '0.1.4', collector_version: '0.1.0' },
    query_ctx: QUERY_CTX,
    ...overrides,
  };
}

describe('RecordSerializer', () => {
  it('writes exactly what JSON.stringify writes, record after record, whatever the records share', () => {
    const serializer = new RecordSerializer();
    const records: EnrichedRecord[] = [
      record(),
      // An equal stack_ctx in another object: its JSON is reused.
      record({ stack_ctx: { langpack: 'typescript', langpack_version: '0.1.4', collector_version: '0.1.0' } }),
      // The same keys in another order: another JSON.
      record({ stack_ctx: { langpack_version: '0.1.4', langpack: 'typescript', collector_version: '0.1.0' } }),
      // One value differs.
      record({ stack_ctx: { langpack_version: '0.1.5', langpack: 'typescript', collector_version: '0.1.0' } }),
      // A key more, then a key fewer.
      record({ stack_ctx: { langpack_version: '0.1.5', langpack: 'typescript', collector_version: '0.1.0', device: null } }),
      record({ stack_ctx: { langpack_version: '0.1.5', langpack: 'typescript', collector_version: '0.1.0' } }),
      // Same values, one of another type.
      record({ stack_ctx: { langpack_version: '0.1.5', langpack: 'typescript', collector_version: '0.1.0', build: 7 } }),
      record({ stack_ctx: { langpack_version: '0.1.5', langpack: 'typescript', collector_version: '0.1.0', build: '7' } }),
      record({ stack_ctx: { collector_version: '0.1.0' } }),
      // Other environment, times and query_ctx; numbers JSON cannot hold.
      record({ environment: 'ios-app', sent_ts: 1, received_ts: 2, ts: Number.NaN, query_ctx: { ...QUERY_CTX, user_agent: null } }),
      record({ event_version: 12, created_ts: 0, data: {} }),
    ];
    for (const entry of records) expect(serializer.json(entry)).toBe(JSON.stringify(entry));
  });
});
