import { DedupWindow } from './dedup-window';

describe('DedupWindow', () => {
  const write = Promise.resolve();

  it('claims an id once; a claimed id is pending until settled, then written for the window', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 10 });
    expect(window.claim('a', 0, write)).toEqual({ claimed: true });
    expect(window.claim('a', 1, Promise.resolve())).toEqual({ claimed: false, pending: write });
    window.settle('a', true, 5);
    expect(window.claim('a', 1004, write)).toEqual({ claimed: false, pending: undefined });
    expect(window.has('a', 1004)).toBe(true);
    // Past the window it is new again.
    expect(window.has('a', 1005)).toBe(false);
    expect(window.claim('a', 1005, write)).toEqual({ claimed: true });
  });

  it('forgets an id whose write failed, so that the retry writes it', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 10 });
    window.claim('a', 0, write);
    window.settle('a', false, 0);
    expect(window.claim('a', 1, write)).toEqual({ claimed: true });
  });

  it('keeps at most maxEntries written ids, forgetting the oldest, never one in flight', () => {
    const window = new DedupWindow({ windowMs: 1_000_000, maxEntries: 3 });
    window.claim('in-flight', 0, write);
    for (const id of ['a', 'b', 'c', 'd']) window.remember(id, 1);
    // The oldest entry is in flight: it stays, and so does everything behind it.
    expect(window.claim('in-flight', 2, write)).toEqual({ claimed: false, pending: write });
    window.settle('in-flight', true, 2);
    expect(window.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'in-flight'].filter((id) => window.has(id, 3))).toEqual(['c', 'd', 'in-flight']);
  });

  it('prunes expired ids from the front, a bounded number per call', () => {
    const window = new DedupWindow({ windowMs: 100, maxEntries: 100 });
    for (let index = 0; index < 10; index++) window.remember(`id-${index}`, index);
    window.prune(200, 4);
    expect(window.size).toBe(6);
    window.prune(200);
    expect(window.size).toBe(0);
  });

  it('remembers nothing with maxEntries 0 (de-duplication off)', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 0 });
    window.claim('a', 0, write);
    window.settle('a', true, 0);
    expect(window.claim('a', 1, write)).toEqual({ claimed: true });
  });
});
