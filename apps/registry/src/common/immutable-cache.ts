/**
 * A bounded cache for what is derived from immutable catalog versions (schemas, langpack
 * archives): an entry never goes stale, so the only policy is size, least recently used
 * out. Concurrent misses for one key share a single computation.
 */
export class ImmutableCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(private readonly capacity: number) {}

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const pending = compute();
    this.entries.set(key, pending);
    // A failure (an unknown version, say) is not cached: the next request tries again.
    pending.catch(() => this.entries.delete(key));
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return pending;
  }
}
