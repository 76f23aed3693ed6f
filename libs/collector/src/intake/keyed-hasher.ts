import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA256 (hex) with the collector's secret: pii: hash fields and client IPs are
 * stored as keyed hashes, which still join (the same value gives the same hash) but cannot
 * be reversed by hashing guesses without the key. The same values recur in every batch
 * (a device's anonymous id, a user's id), so results are cached, in memory only.
 */
export class KeyedHasher {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly secret: string,
    private readonly cacheSize = 50_000,
  ) {
    if (secret.length === 0) throw new Error('the keyed hash needs a secret');
  }

  hash(value: string): string {
    let digest = this.cache.get(value);
    if (digest === undefined) {
      digest = createHmac('sha256', this.secret).update(value, 'utf8').digest('hex');
      // Dropping everything at once keeps the cache O(1) without a recency list; it
      // refills from the next batches.
      if (this.cache.size >= this.cacheSize) this.cache.clear();
      this.cache.set(value, digest);
    }
    return digest;
  }

  /** A pii: hash field's value: strings hashed as they are, numbers and booleans as their JSON, arrays item by item. */
  hashValue(value: unknown): unknown {
    if (typeof value === 'string') return this.hash(value);
    if (Array.isArray(value)) return value.map((item) => this.hashValue(item));
    if (value === undefined) return undefined;
    return this.hash(JSON.stringify(value));
  }
}
