export interface DedupOptions {
  /** How long an event id is remembered after it was written. */
  windowMs: number;
  /** At most this many ids are remembered (the oldest are forgotten first): bounds memory. */
  maxEntries: number;
}

export const DEFAULT_DEDUP: DedupOptions = { windowMs: 60 * 60 * 1000, maxEntries: 1_000_000 };

/** An id whose write is under way: a concurrent duplicate waits for it instead of writing a second copy. */
export type PendingWrite = Promise<void>;

/**
 * The event ids written recently (DESIGN §3: a sender that got no 2xx resends, and the
 * event id lets the collector write the event once). One Map holds both states of an id:
 * the promise of its write while in flight, then the time it was written. A Map keeps
 * insertion order, which is time order, so forgetting the oldest is taking from the front.
 * A few Map operations per event: this sits on the hot path.
 *
 * Ids are only remembered as written once their write is durable: an id whose write
 * failed is forgotten, and written when the sender retries.
 */
export class DedupWindow {
  private readonly entries = new Map<string, number | PendingWrite>();

  constructor(readonly options: DedupOptions = DEFAULT_DEDUP) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Claims an id for a write: true when the caller must write it; otherwise the id was
   * written within the window (undefined returned in `pending`) or is being written now.
   */
  claim(key: string, now: number, write: PendingWrite): { claimed: true } | { claimed: false; pending: PendingWrite | undefined } {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      if (typeof entry !== 'number') return { claimed: false, pending: entry };
      if (now - entry < this.options.windowMs) return { claimed: false, pending: undefined };
      // Written long ago: forget it, and write it again as new.
      this.entries.delete(key);
    }
    this.entries.set(key, write);
    return { claimed: true };
  }

  /** The claimed write is durable (`ok`, remembered from `at`) or failed (forgotten). */
  settle(key: string, ok: boolean, at: number): void {
    if (!ok) {
      this.entries.delete(key);
      return;
    }
    // Moved to the back: it was written now, whatever its place when claimed.
    this.entries.delete(key);
    if (this.options.maxEntries <= 0) return;
    this.entries.set(key, at);
    this.evictOverflow();
  }

  has(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    return typeof entry === 'number' && now - entry < this.options.windowMs;
  }

  /** Remembers an id written earlier (rebuilding the window after a restart). */
  remember(key: string, at: number): void {
    if (this.options.maxEntries <= 0 || this.entries.has(key)) return;
    this.entries.set(key, at);
    this.evictOverflow();
  }

  /** Forgets ids older than the window, a bounded number per call so that no request pays for many. */
  prune(now: number, budget = 1000): void {
    for (const [key, entry] of this.entries) {
      if (budget-- <= 0 || typeof entry !== 'number' || now - entry < this.options.windowMs) return;
      this.entries.delete(key);
    }
  }

  private evictOverflow(): void {
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.entries().next();
      if (oldest.done) return;
      // Writes in flight are never forgotten: their duplicates must keep waiting for them.
      if (typeof oldest.value[1] !== 'number') return;
      this.entries.delete(oldest.value[0]);
    }
  }
}
