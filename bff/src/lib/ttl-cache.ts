/**
 * A small map whose entries expire; bounded so a flood of distinct keys cannot grow it forever.
 * The bound counts entries unless `weigh` says what one entry costs (a whole tree is not one
 * card): the oldest entries go until the newcomer fits, and one heavier than the whole bound is
 * not kept at all.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number; weight: number }>();
  private weight = 0;
  /** Lookups answered and missed since the cache was made, for the metrics (read on scrape). */
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxWeight = 10_000,
    private readonly now: () => number = Date.now,
    private readonly weigh: (value: V) => number = () => 1,
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
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs, weight });
    this.weight += weight;
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
