import { TtlCache } from './ttl-cache.js';

/** What a cached view is, each with a bound of its own so one kind cannot evict another. */
export type ViewKind = 'card' | 'list' | 'tree';

export interface ViewBounds {
  /** Goal cards, one entry each. */
  card: number;
  /** Pages of goal lists and small resolved values (the current timeframe), one entry each. */
  list: number;
  /** Alignment trees, weighed by node count: one 10 000-goal tree costs what 10 000 cards do. */
  tree: number;
}

const defaultBounds: ViewBounds = { card: 10_000, list: 2_000, tree: 100_000 };

interface Stored {
  generation: number;
  view: unknown;
}

function weightOf(stored: Stored): number {
  const nodes = (stored.view as { nodes?: unknown[] } | null)?.nodes;
  return Array.isArray(nodes) ? nodes.length + 1 : 1;
}

/**
 * A micro-cache for read views that many users of one org ask for at once (a company goal on
 * the intranet home page). Every write in this process bumps its org's generation, which
 * invalidates that org's cached views at once; writes made by another process (the CLI, a second
 * BFF instance) show within `ttlMs`. Views hold no per-user data, so users of an org share them:
 * a per-user view (My OKRs) is keyed by the resolved user id, never by `me`.
 */
export class ViewCache {
  private readonly generations = new Map<string, number>();
  private readonly views: Record<ViewKind, TtlCache<Stored>>;
  /** Misses being computed, by kind, key and generation: concurrent misses share one. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(ttlMs: number, bounds: ViewBounds = defaultBounds, now: () => number = Date.now) {
    this.views = {
      card: new TtlCache(ttlMs, bounds.card, now),
      list: new TtlCache(ttlMs, bounds.list, now),
      tree: new TtlCache(ttlMs, bounds.tree, now, weightOf),
    };
  }

  generation(orgId: string): number {
    return this.generations.get(orgId) ?? 0;
  }

  /** A goal card (the kind `get`/`set` have always meant). */
  get<T>(orgId: string, key: string, kind: ViewKind = 'card'): T | undefined {
    const generation = this.generation(orgId);
    const hit = this.views[kind].get(
      `${orgId}:${key}`,
      (stored) => stored.generation === generation,
    );
    return hit?.view as T | undefined;
  }

  /** The inner caches by kind, so the metrics count each kind's hits and misses. */
  get ttlCaches(): Readonly<Record<ViewKind, TtlCache<Stored>>> {
    return this.views;
  }

  /** Stores a view computed from data read at `generation` (taken before reading). */
  set(orgId: string, key: string, generation: number, view: unknown, kind: ViewKind = 'card') {
    if (generation === this.generation(orgId))
      this.views[kind].set(`${orgId}:${key}`, { generation, view });
  }

  /**
   * The cached view, or the one `compute` makes. Callers that miss the same key at the same
   * generation while it is computed wait for that one computation (a home page opening for a
   * whole office at 9:00 asks the database once); a failure is shared too and not stored.
   */
  async through<T>(
    orgId: string,
    kind: ViewKind,
    key: string,
    compute: () => Promise<T>,
  ): Promise<T> {
    const cached = this.get<T>(orgId, key, kind);
    if (cached !== undefined) return cached;
    const generation = this.generation(orgId);
    const flightKey = `${kind}:${orgId}:${generation}:${key}`;
    const pending = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (pending) return pending;
    const computation = compute().then((view) => {
      this.set(orgId, key, generation, view, kind);
      return view;
    });
    this.inFlight.set(flightKey, computation);
    try {
      return await computation;
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  invalidate(orgId: string): void {
    this.generations.set(orgId, this.generation(orgId) + 1);
  }
}
