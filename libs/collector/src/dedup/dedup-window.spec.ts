import { randomUUID } from 'node:crypto';
import { CLAIM_UNTRACKED, CLAIM_WRITTEN, DedupWindow, SinkDedupWindows } from './dedup-window';
import { uuidWords } from './uuid-ring';

function words(id: string): Uint32Array {
  const out = new Uint32Array(4);
  if (!uuidWords(id, out)) throw new Error(`not a UUID: ${id}`);
  return out;
}

describe('DedupWindow', () => {
  const write = Promise.resolve();
  const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()] as [string, string, string, string];

  it('claims an id once; a claimed id is pending until settled, then written for the window', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 10 });
    const first = window.claim(words(a), 0, 'record', 0, write);
    expect(first).toBeGreaterThanOrEqual(0);
    const again = window.claim(words(a), 0, 'record', 1, Promise.resolve());
    expect(again).toBeLessThanOrEqual(-3);
    expect(window.pendingWrite('record', again)).toBe(write);
    window.settle(words(a), 0, 'record', first, true, 5);
    expect(window.claim(words(a), 0, 'record', 1004, write)).toBe(CLAIM_WRITTEN);
    // UUIDs in any case are the same id.
    expect(window.has(a.toUpperCase(), 'record', 1004)).toBe(true);
    // Past the window it is new again.
    expect(window.has(a, 'record', 1005)).toBe(false);
    expect(window.claim(words(a), 0, 'record', 1005, write)).toBeGreaterThanOrEqual(0);
  });

  it('reads ids at their offset in a batch', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 10 });
    const batch = new Uint32Array(8);
    uuidWords(a, batch, 0);
    uuidWords(b, batch, 4);
    const claimB = window.claim(batch, 4, 'record', 0, write);
    window.settle(batch, 4, 'record', claimB, true, 0);
    expect(window.has(b, 'record', 1)).toBe(true);
    expect(window.has(a, 'record', 1)).toBe(false);
  });

  it('keeps records and bad rows apart', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 10 });
    window.remember(a, 'bad_row', 0);
    expect(window.claim(words(a), 0, 'record', 1, write)).toBeGreaterThanOrEqual(0);
    expect(window.claim(words(a), 0, 'bad_row', 1, write)).toBe(CLAIM_WRITTEN);
  });

  it('forgets an id whose write failed, so that the retry writes it', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 10 });
    const claim = window.claim(words(a), 0, 'record', 0, write);
    window.settle(words(a), 0, 'record', claim, false, 0);
    expect(window.has(a, 'record', 1)).toBe(false);
    expect(window.claim(words(a), 0, 'record', 1, write)).toBeGreaterThanOrEqual(0);
  });

  it('keeps at most maxEntries ids, forgetting the first claimed, never a write in flight', () => {
    const window = new DedupWindow({ windowMs: 1_000_000, maxEntries: 3 });
    const inFlight = window.claim(words(a), 0, 'record', 0, write);
    for (const id of [b, c, d]) window.remember(id, 'record', 1);
    // a is in flight at the front: the ring grows past its capacity rather than forget it.
    window.settle(words(a), 0, 'record', inFlight, true, 2);
    expect([a, b, c, d].filter((id) => window.has(id, 'record', 3))).toEqual([a, b, c, d]);
    window.remember(randomUUID(), 'record', 4);
    expect([a, b, c, d].filter((id) => window.has(id, 'record', 5))).toEqual([c, d]);
  });

  it('settles a claim after the ring grew and moved its entries', () => {
    const window = new DedupWindow({ windowMs: 1_000_000, maxEntries: 1_000_000 });
    const claim = window.claim(words(a), 0, 'record', 0, write);
    for (let index = 0; index < 70_000; index++) window.remember(randomUUID(), 'record', 1);
    window.settle(words(a), 0, 'record', claim, true, 2);
    expect(window.claim(words(a), 0, 'record', 3, write)).toBe(CLAIM_WRITTEN);
  });

  it('prunes expired ids from the front, a bounded number per call, stopping at a write in flight', () => {
    const window = new DedupWindow({ windowMs: 100, maxEntries: 100 });
    for (let index = 0; index < 10; index++) window.remember(randomUUID(), 'record', index);
    window.prune(200, 4);
    expect(window.size).toBe(6);
    window.prune(200);
    expect(window.size).toBe(0);
    window.claim(words(a), 0, 'record', 300, write);
    window.remember(b, 'record', 0);
    window.prune(1000);
    expect(window.size).toBe(2);
  });

  it('tracks nothing with maxEntries 0 (de-duplication off)', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 0 });
    expect(window.claim(words(a), 0, 'record', 0, write)).toBe(CLAIM_UNTRACKED);
    window.settle(words(a), 0, 'record', CLAIM_UNTRACKED, true, 0);
    expect(window.claim(words(a), 0, 'record', 1, write)).toBe(CLAIM_UNTRACKED);
  });
});

describe('SinkDedupWindows', () => {
  it('keeps one window per sink: an id written to one sink is still new to another', () => {
    const windows = new SinkDedupWindows({ windowMs: 1000, maxEntries: 10 });
    const id = randomUUID();
    windows.of('file').remember(id, 'record', 0);
    expect(windows.of('file')).toBe(windows.of('file'));
    expect(windows.of('file').has(id, 'record', 1)).toBe(true);
    expect(windows.of('nats').has(id, 'record', 1)).toBe(false);
    windows.of('nats').remember(randomUUID(), 'bad_row', 500);
    expect(windows.size).toBe(2);
    // Pruning reaches every sink's window.
    windows.prune(1200);
    expect(windows.size).toBe(1);
    windows.prune(1600);
    expect(windows.size).toBe(0);
  });
});
