import { ABSENT, PENDING, UuidRing, uuidWords } from './uuid-ring';

export interface DedupOptions {
  /** How long an event id is remembered after it was written. */
  windowMs: number;
  /** At most this many ids are remembered (the oldest are forgotten first): bounds memory. */
  maxEntries: number;
}

export const DEFAULT_DEDUP: DedupOptions = { windowMs: 60 * 60 * 1000, maxEntries: 1_000_000 };

export type DedupKind = 'record' | 'bad_row';

/** claim(): written within the window, do not write it again. */
export const CLAIM_WRITTEN = -1;
/** claim(): de-duplication is off, write it (nothing to settle). */
export const CLAIM_UNTRACKED = -2;

/**
 * The event ids written recently (DESIGN §3: a sender that got no 2xx resends, and the
 * event id lets the collector write the event once). Records and bad rows are kept apart:
 * an event that was bad and is sent again good must be written.
 *
 * An id is claimed before its write and settled after it: written (remembered from then),
 * or failed (forgotten, so that the sender's retry writes it). While the write is under
 * way, a concurrent duplicate gets the promise of that write and waits for it instead of
 * writing a second copy. Ids are the four words of their UUID (see uuidWords), read once
 * per event by the intake.
 */
export class DedupWindow {
  private readonly rings: Record<DedupKind, UuidRing>;
  private readonly scratch = new Uint32Array(4);

  constructor(readonly options: DedupOptions = DEFAULT_DEDUP) {
    this.rings = { record: new UuidRing(options.maxEntries), bad_row: new UuidRing(options.maxEntries) };
  }

  /** Entries held (written, in flight, or failed and not yet reused). */
  get size(): number {
    return this.rings.record.length + this.rings.bad_row.length;
  }

  /**
   * Claims the id at `words[offset..offset+3]` for a write of `write`. Returns the entry to
   * settle (>= 0) when the caller must write it; CLAIM_WRITTEN when it was written within
   * the window; CLAIM_UNTRACKED when de-duplication is off; otherwise -(entry + 3) of the
   * write under way, whose promise pendingWrite() gives.
   */
  claim(words: Uint32Array, offset: number, kind: DedupKind, now: number, write: Promise<void>): number {
    if (this.options.maxEntries <= 0) return CLAIM_UNTRACKED;
    const ring = this.rings[kind];
    const index = ring.lookup(words, offset);
    if (index === -1) return ring.insert(words, offset, PENDING, write);
    const time = ring.timeAt(index);
    if (time === PENDING) return -(index + 3);
    if (time >= 0 && now - time < this.options.windowMs) return CLAIM_WRITTEN;
    // Written long ago, or a failed write: claim the entry again.
    ring.set(index, PENDING, write);
    return index;
  }

  /** The write under way that claim() reported as -(entry + 3). */
  pendingWrite(kind: DedupKind, claim: number): Promise<void> | undefined {
    return this.rings[kind].writeAt(-claim - 3);
  }

  /** The claimed write is durable (`ok`: remembered as written at `at`) or failed (forgotten). */
  settle(words: Uint32Array, offset: number, kind: DedupKind, claim: number, ok: boolean, at: number): void {
    if (claim < 0) return;
    const ring = this.rings[kind];
    // The ring may have grown (and moved its entries) since the claim.
    const index = ring.holds(claim, words, offset) ? claim : ring.lookup(words, offset);
    if (index === -1) {
      if (ok) ring.add(words, offset, at);
      return;
    }
    ring.set(index, ok ? at : ABSENT, undefined);
  }

  has(id: string, kind: DedupKind, now: number): boolean {
    if (!uuidWords(id, this.scratch)) return false;
    const ring = this.rings[kind];
    const index = ring.lookup(this.scratch, 0);
    if (index === -1) return false;
    const time = ring.timeAt(index);
    return time >= 0 && now - time < this.options.windowMs;
  }

  /** Remembers an id written at `at` (rebuilding the window after a restart). */
  remember(id: string, kind: DedupKind, at: number): void {
    if (uuidWords(id, this.scratch)) this.rings[kind].add(this.scratch, 0, at);
  }

  /** Forgets written ids older than the window, a bounded number per call so that no request pays for many. */
  prune(now: number, budget = 1000): void {
    for (const ring of Object.values(this.rings)) {
      for (let left = budget; left > 0; left--) {
        const oldest = ring.oldestTime();
        if (oldest === undefined || oldest === PENDING || (oldest >= 0 && now - oldest < this.options.windowMs)) break;
        ring.removeOldest();
      }
    }
  }
}

/**
 * One window per sink. An event routed to two sinks whose write failed in one of them is
 * answered 503 and sent again; the second time it goes only to the sink that does not have
 * it, so that each sink still gets it once.
 */
export class SinkDedupWindows {
  private readonly windows = new Map<string, DedupWindow>();

  constructor(readonly options: DedupOptions = DEFAULT_DEDUP) {}

  of(sink: string): DedupWindow {
    let window = this.windows.get(sink);
    if (!window) {
      window = new DedupWindow(this.options);
      this.windows.set(sink, window);
    }
    return window;
  }

  /** Entries held across all sinks. */
  get size(): number {
    let size = 0;
    for (const window of this.windows.values()) size += window.size;
    return size;
  }

  prune(now: number): void {
    for (const window of this.windows.values()) window.prune(now);
  }
}
