import { badRowMessageIds, badRowSubject, recordMessageId, recordSubject } from '../src';
import { badRow, enrichedRecord } from './support/nats-fixtures';

/** Subjects and Nats-Msg-Ids: pure functions, no server. */
describe('NATS subjects', () => {
  it('routes a record by environment, event and version, and a bad row by environment', () => {
    expect(recordSubject('tagplan', enrichedRecord({ environment: 'backend-items', event_name: 'item_sold', event_version: 12 }))).toBe(
      'tagplan.backend-items.item_sold.v12',
    );
    expect(recordSubject('acme.tagplan', enrichedRecord())).toBe('acme.tagplan.web-frontend.item_viewed.v2');
    expect(badRowSubject('tagplan', badRow({ environment: 'ios-app' }))).toBe('tagplan.bad.ios-app');
  });

  it.each([
    ['an environment with a dot', { environment: 'web.frontend' }],
    ['an empty event name', { event_name: '' }],
    ['a wildcard', { event_name: '*' }],
    ['a space', { environment: 'web frontend' }],
    ['a version that is not an integer', { event_version: 1.5 }],
  ])('refuses a record with %s', (_, overrides) => {
    expect(() => recordSubject('tagplan', enrichedRecord(overrides))).toThrow(/cannot be routed to a NATS subject/);
  });
});

describe('Nats-Msg-Id', () => {
  it("is a record's event_id, hashed only when it could not stand in a header", () => {
    const record = enrichedRecord();
    expect(recordMessageId(record)).toBe(record.event_id);
    expect(recordMessageId(enrichedRecord({ event_id: 'a b\r\nc' }))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives a resent bad row the same id, and never the id of a good record', () => {
    const row = badRow();
    const [first] = badRowMessageIds([row]);
    const [again] = badRowMessageIds([JSON.parse(JSON.stringify(row))]);
    expect(again).toBe(first);
    expect(first).not.toBe(row.event_id);
    expect(first?.startsWith(`bad:${row.event_id}:`)).toBe(true);
  });

  it('tells apart different events that share an event_id, and identical rows without one in a batch', () => {
    const shared = '01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3d';
    const one = badRow({ event_id: shared, raw: { event_id: shared, data: { a: 1 } } });
    const other = badRow({ event_id: shared, raw: { event_id: shared, data: { a: 2 } } });
    const anonymous = badRow({ event_id: null, raw: { event_name: 'x' } });
    const ids = badRowMessageIds([one, other, anonymous, { ...anonymous }, { ...anonymous, environment: 'ios-app' }]);
    expect(new Set(ids).size).toBe(5);
    // The same request resent numbers its identical rows the same way.
    expect(badRowMessageIds([one, other, anonymous, { ...anonymous }, { ...anonymous, environment: 'ios-app' }])).toEqual(ids);
  });
});
