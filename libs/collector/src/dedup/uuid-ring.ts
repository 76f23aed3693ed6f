const HEX = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}
const DASH = 45;

/**
 * Reads a UUID (8-4-4-4-12 hex digits, any case) into four 32-bit words at `offset`; false
 * when it is not one. Checking and reading in one pass, without allocating: the intake
 * does it once per event, and de-duplication works on the words.
 */
export function uuidWords(text: string, out: Uint32Array, offset = 0): boolean {
  if (text.length !== 36 || text.charCodeAt(8) !== DASH || text.charCodeAt(13) !== DASH || text.charCodeAt(18) !== DASH || text.charCodeAt(23) !== DASH) return false;
  let word = 0;
  let digits = 0;
  let index = offset;
  for (let at = 0; at < 36; at++) {
    if (at === 8 || at === 13 || at === 18 || at === 23) continue;
    const code = text.charCodeAt(at);
    const value = code < 128 ? (HEX[code] as number) : -1;
    if (value < 0) return false;
    word = (word << 4) | value;
    if (++digits === 8) {
      out[index++] = word >>> 0;
      word = 0;
      digits = 0;
    }
  }
  return true;
}

const SCRATCH = new Uint32Array(4);

export function isUuid(text: string): boolean {
  return uuidWords(text, SCRATCH);
}

/** An entry's time while its write is under way. */
export const PENDING = -1;
/** An entry whose write failed: as if absent, until its place is reused or evicted. */
export const ABSENT = -2;

/**
 * UUIDs in the order they were claimed, each with the time it was written (or PENDING, with
 * the promise of its write): a ring of entries and an open-addressing hash table over it,
 * in typed arrays. A million ids cost about 50 MB and little for the garbage collector to
 * trace (one array of the writes under way), where a Map of strings costs several times
 * that and slows every major collection. Past its capacity the oldest entry is forgotten.
 *
 * Made at its full capacity at once: growing copies every entry and rebuilds the table, a
 * pause of tens of milliseconds at a million that a collector under load would add to its
 * answers. The typed arrays cost memory only as they fill (the OS hands out zeroed pages on
 * first use).
 *
 * The table keeps each entry's hash beside it, so that probing and the backward shift of
 * a deletion stay inside the table: an id's words are read only when its hash matches.
 * At a million ids the table is far larger than the CPU caches, and every read outside it
 * would be one more cache miss per event.
 */
export class UuidRing {
  private words: Uint32Array;
  private hashes: Int32Array;
  private times: Float64Array;
  private writes: (Promise<void> | undefined)[];
  /** Two ints per slot: ring index + 1 of its entry (0 is empty), and that entry's hash. */
  private table: Int32Array;
  private mask: number;
  private head = 0;
  private count = 0;
  private size: number;

  constructor(
    private readonly capacity: number,
    initialSize = capacity,
  ) {
    this.size = Math.max(1, Math.min(capacity, initialSize));
    this.words = new Uint32Array(this.size * 4);
    this.hashes = new Int32Array(this.size);
    this.times = new Float64Array(this.size);
    this.writes = new Array<Promise<void> | undefined>(this.size).fill(undefined);
    const tableSize = tableSizeFor(this.size);
    this.table = new Int32Array(tableSize * 2);
    this.mask = tableSize - 1;
  }

  get length(): number {
    return this.count;
  }

  /** The entry of an id (its ring index), or -1. */
  lookup(id: Uint32Array, offset: number): number {
    const a = id[offset] as number;
    const b = id[offset + 1] as number;
    const c = id[offset + 2] as number;
    const d = id[offset + 3] as number;
    const h = hash(a, b, c, d);
    const table = this.table;
    const words = this.words;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = table[slot * 2] as number;
      if (entry === 0) return -1;
      if (table[slot * 2 + 1] !== h) continue;
      const at = (entry - 1) * 4;
      if (words[at] === a && words[at + 1] === b && words[at + 2] === c && words[at + 3] === d) return entry - 1;
    }
  }

  timeAt(index: number): number {
    return this.times[index] as number;
  }

  writeAt(index: number): Promise<void> | undefined {
    return this.writes[index];
  }

  /** Whether the entry at `index` is still this id (it may have been evicted and its place reused). */
  holds(index: number, id: Uint32Array, offset: number): boolean {
    const at = index * 4;
    return index < this.size && this.words[at] === id[offset] && this.words[at + 1] === id[offset + 1] && this.words[at + 2] === id[offset + 2] && this.words[at + 3] === id[offset + 3];
  }

  set(index: number, time: number, write: Promise<void> | undefined): void {
    this.times[index] = time;
    this.writes[index] = write;
  }

  /** Adds an id known to be absent; returns its index. */
  insert(id: Uint32Array, offset: number, time: number, write?: Promise<void>): number {
    // At capacity the oldest goes, but a write in flight is never forgotten (its duplicates
    // must keep waiting for it): the ring grows past its capacity instead, for as long as that lasts.
    while (this.count >= this.capacity && this.count > 0 && this.times[this.head] !== PENDING) this.removeOldest();
    if (this.count === this.size) this.grow();
    const index = (this.head + this.count) % this.size;
    const at = index * 4;
    const a = id[offset] as number;
    const b = id[offset + 1] as number;
    const c = id[offset + 2] as number;
    const d = id[offset + 3] as number;
    this.words[at] = a;
    this.words[at + 1] = b;
    this.words[at + 2] = c;
    this.words[at + 3] = d;
    const h = hash(a, b, c, d);
    this.hashes[index] = h;
    this.times[index] = time;
    this.writes[index] = write;
    this.count++;
    this.place(index, h);
    return index;
  }

  /** Adds an id written at `time`, or gives the entry already there the later time. */
  add(id: Uint32Array, offset: number, time: number): void {
    if (this.capacity <= 0) return;
    const index = this.lookup(id, offset);
    if (index === -1) this.insert(id, offset, time);
    else if ((this.times[index] as number) < time) this.set(index, time, undefined);
  }

  oldestTime(): number | undefined {
    return this.count === 0 ? undefined : this.times[this.head];
  }

  removeOldest(): void {
    if (this.count === 0) return;
    const index = this.head;
    let slot = (this.hashes[index] as number) & this.mask;
    while (this.table[slot * 2] !== index + 1) slot = (slot + 1) & this.mask;
    this.deleteSlot(slot);
    this.writes[index] = undefined;
    this.head = (this.head + 1) % this.size;
    this.count--;
  }

  private place(index: number, h: number): void {
    let slot = h & this.mask;
    while (this.table[slot * 2] !== 0) slot = (slot + 1) & this.mask;
    this.table[slot * 2] = index + 1;
    this.table[slot * 2 + 1] = h;
  }

  /** Linear probing's backward-shift deletion: no tombstones in the table, so probes stay short. */
  private deleteSlot(slot: number): void {
    const table = this.table;
    let hole = slot;
    let next = slot;
    table[hole * 2] = 0;
    for (;;) {
      next = (next + 1) & this.mask;
      const entry = table[next * 2] as number;
      if (entry === 0) return;
      const home = (table[next * 2 + 1] as number) & this.mask;
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      table[hole * 2] = entry;
      table[hole * 2 + 1] = table[next * 2 + 1] as number;
      table[next * 2] = 0;
      hole = next;
    }
  }

  private grow(): void {
    // Past the capacity only to keep writes in flight (see insert).
    const size = this.size < this.capacity ? Math.min(this.capacity, this.size * 2) : this.size * 2;
    const words = new Uint32Array(size * 4);
    const hashes = new Int32Array(size);
    const times = new Float64Array(size);
    const writes = new Array<Promise<void> | undefined>(size).fill(undefined);
    for (let n = 0; n < this.count; n++) {
      const from = (this.head + n) % this.size;
      words.set(this.words.subarray(from * 4, from * 4 + 4), n * 4);
      hashes[n] = this.hashes[from] as number;
      times[n] = this.times[from] as number;
      writes[n] = this.writes[from];
    }
    this.words = words;
    this.hashes = hashes;
    this.times = times;
    this.writes = writes;
    this.size = size;
    this.head = 0;
    const tableSize = tableSizeFor(size);
    this.table = new Int32Array(tableSize * 2);
    this.mask = tableSize - 1;
    for (let index = 0; index < this.count; index++) this.place(index, hashes[index] as number);
  }
}

/** At most half full, a power of two. */
function tableSizeFor(entries: number): number {
  let size = 16;
  while (size < entries * 2) size *= 2;
  return size;
}

function hash(a: number, b: number, c: number, d: number): number {
  // UUIDv7 starts with a timestamp: mix every word so that close ids spread out.
  let h = Math.imul(a ^ c, 0x9e3779b1) ^ Math.imul(b ^ d, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 13);
}
