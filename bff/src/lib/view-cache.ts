import { inProcessSharedState, type SharedState } from './shared-state/index.js';
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

/** Where an org's views stand: its shared generation, read before the data. */
export interface Standing {
  generation: number;
  /** This cache's own count of `forgetAll`s: a view read before one is never stored after. */
  epoch: number;
}

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
 * the intranet home page). Every write bumps its org's generation in the shared state, and
 * every cached read checks it first, so once a write is acknowledged no instance serves an
 * older view: by construction, not by timing. When the generation cannot be read (Redis down)
 * the view is computed, not cached. Views hold no per-user data, so users of an org share them:
 * a per-user view (My OKRs) is keyed by the resolved user id, never by `me`.
 */
export class ViewCache {
  private readonly views: Record<ViewKind, TtlCache<Stored>>;
  /** Misses being computed, by kind, key and standing: concurrent misses share one. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private epoch = 0;

  constructor(
    ttlMs: number,
    bounds: ViewBounds = defaultBounds,
    now: () => number = Date.now,
    private readonly generations: Pick<
      SharedState,
      'generation' | 'bumpGeneration'
    > = inProcessSharedState(),
  ) {
    this.views = {
      card: new TtlCache(ttlMs, bounds.card, now),
      list: new TtlCache(ttlMs, bounds.list, now),
      tree: new TtlCache(ttlMs, bounds.tree, now, weightOf),
    };
  }

  /** Undefined when the org's generation cannot be known now: read uncached. */
  async standing(orgId: string): Promise<Standing | undefined> {
    const epoch = this.epoch;
    const generation = await this.generations.generation(orgId);
    return generation === undefined ? undefined : { generation, epoch };
  }

  get<T>(orgId: string, key: string, at: Standing, kind: ViewKind = 'card'): T | undefined {
    // A view of another generation or epoch is refused inside the cache, so it counts as a miss.
    const hit = this.views[kind].get(
      `${orgId}:${key}`,
      (stored) => stored.generation === at.generation && at.epoch === this.epoch,
    );
    return hit?.view as T | undefined;
  }

  /** The inner caches by kind, so the metrics count each kind's hits and misses. */
  get ttlCaches(): Readonly<Record<ViewKind, TtlCache<Stored>>> {
    return this.views;
  }

  /** Stores a view computed from data read at `at` (taken before reading). */
  set(orgId: string, key: string, at: Standing, view: unknown, kind: ViewKind = 'card') {
    if (at.epoch === this.epoch)
      this.views[kind].set(`${orgId}:${key}`, { generation: at.generation, view });
  }

  /**
   * The cached view, or the one `compute` makes. Callers that miss the same key at the same
   * generation while it is computed wait for that one computation (a home page opening for a
   * whole office at 9:00 asks the database once); a failure is shared too and not stored.
   * Uncached reads share nothing: a computation already under way may predate a write.
   */
  async through<T>(
    orgId: string,
    kind: ViewKind,
    key: string,
    compute: () => Promise<T>,
  ): Promise<T> {
    const at = await this.standing(orgId);
    if (!at) return compute();
    const cached = this.get<T>(orgId, key, at, kind);
    if (cached !== undefined) return cached;
    const flightKey = `${kind}:${orgId}:${at.epoch}:${at.generation}:${key}`;
    const pending = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (pending) return pending;
    const computation = compute().then((view) => {
      this.set(orgId, key, at, view, kind);
      return view;
    });
    this.inFlight.set(flightKey, computation);
    try {
      return await computation;
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  /** Resolves once the bump is shared (or, Redis being away, once it is owed). */
  async invalidate(orgId: string): Promise<void> {
    await this.generations.bumpGeneration(orgId);
  }

  /**
   * Drops every view and refuses any computed before now. A Redis that comes back may have
   * restarted empty, its generations counting from 0 again: a view cached at generation 3
   * before could match a new generation 3 that is not the same.
   */
  forgetAll(): void {
    this.epoch += 1;
    for (const cache of Object.values(this.views)) cache.clear();
  }
}
