/**
 * A small map whose entries expire; bounded so a flood of distinct keys cannot grow it forever.
 * The bound counts entries unless `weigh` says what one entry costs (a whole tree is not one
 * card): the oldest entries go until the newcomer fits, and one heavier than the whole bound is
 * not kept at all.
 */
export class TtlCache<V> {
  private readonly entries = new Map<
    string,
    { value: V; writtenAt: number; expiresAt: number; weight: number }
  >();
  private weight = 0;
  /** Lookups answered and missed since the cache was made, for the metrics (read on scrape). */
  hits = 0;
  misses = 0;

  /**
   * `jitter`: each entry lives a random share of `ttlMs` between `1 - jitter` and all of it, so
   * entries written together (every active user after a restart) do not all expire together and
   * go back to the database in one burst.
   */
  constructor(
    private readonly ttlMs: number,
    private readonly maxWeight = 10_000,
    private readonly now: () => number = Date.now,
    private readonly weigh: (value: V) => number = () => 1,
    private readonly jitter = 0,
  ) {}

  /**
   * The live entry for `key`. `usable` lets the owner refuse an entry it can no longer serve
   * (a view of an older generation): that counts as a miss, as it is one for whoever asked.
   */
  get(key: string, usable?: (value: V) => boolean): V | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) this.delete(key);
    else if (entry && (!usable || usable(entry.value))) {
      this.hits += 1;
      return entry.value;
    }
    this.misses += 1;
    return undefined;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const weight = this.weigh(value);
    if (weight > this.maxWeight) return;
    while (this.weight + weight > this.maxWeight) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    const ttlMs = this.ttlMs * (1 - this.jitter * Math.random());
    const writtenAt = this.now();
    this.entries.set(key, { value, writtenAt, expiresAt: writtenAt + ttlMs, weight });
    this.weight += weight;
  }

  /** How long ago the live entry for `key` was written (ms), or undefined. Counts no lookup. */
  ageOf(key: string): number | undefined {
    const entry = this.entries.get(key);
    const now = this.now();
    return entry && entry.expiresAt > now ? now - entry.writtenAt : undefined;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  /** Entries held now, expired ones included until they are next asked for. */
  get size(): number {
    return this.entries.size;
  }
}
