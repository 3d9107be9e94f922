import type { LookupCache } from '../components/orgs/orgs.repository.js';
import { TtlCache } from './ttl-cache.js';

/**
 * A TtlCache for the org lookups, which an org change clears from afar (lib/org-changes.ts).
 * A lookup misses, queries, then stores; if the clear lands while its query runs, the answer
 * it stores may predate the change (a key read as active just before `okr key retire`
 * committed). So an answer is stored only if no clear came between its key's miss and now.
 * A store that follows no miss (the repository's own writes, made after their commit) is kept.
 */
export class LookupTtlCache<V> implements LookupCache<V> {
  private readonly entries: TtlCache<V>;
  private clears = 0;
  /** The clear count at each key's last miss; bounded like the entries, oldest out. */
  private readonly missedAt = new Map<string, number>();

  constructor(
    ttlMs: number,
    private readonly maxEntries: number,
  ) {
    this.entries = new TtlCache<V>(ttlMs, maxEntries);
  }

  /** The entries, so the metrics count this cache's hits and misses. */
  get ttlCache(): TtlCache<V> {
    return this.entries;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.missedAt.delete(key);
      this.missedAt.set(key, this.clears);
      if (this.missedAt.size > this.maxEntries) {
        const oldest = this.missedAt.keys().next();
        if (!oldest.done) this.missedAt.delete(oldest.value);
      }
    }
    return value;
  }

  /**
   * The live entry, for a caller that will not query when there is none (the failure limiter
   * asking whether a token's key is known): no miss is noted for a store that will not come.
   */
  peek(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    const missed = this.missedAt.get(key);
    this.missedAt.delete(key);
    if (missed === undefined || missed === this.clears) this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.clears += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
