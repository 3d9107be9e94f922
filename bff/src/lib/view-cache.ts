import { inProcessSharedState, type SharedState } from './shared-state/index.js';
import { TtlCache } from './ttl-cache.js';
import { ViewBody } from './view-body.js';

/** What a cached view is, each with a bound of its own so one kind cannot evict another. */
export type ViewKind = 'card' | 'list' | 'tree';

/** Bytes each kind of view may hold, so one kind cannot evict another. */
export interface ViewBounds {
  /** Goal cards. */
  card: number;
  /** Pages of goal lists (My OKRs, one page per user) and small resolved values. */
  list: number;
  /** Alignment trees: a whole 10 000-goal tree is about 3 MB. */
  tree: number;
}

const MB = 2 ** 20;
/**
 * Sized for a large org's working set with room to spare: 200 users' My OKRs pages are about
 * 3 MB, a 10 000-goal tree about 3 MB and the widget's depth-2 trees a few KB each.
 */
export const defaultViewBounds: ViewBounds = { card: 8 * MB, list: 16 * MB, tree: 24 * MB };

/**
 * What an entry costs besides its body: the key, the entry and the Buffer object. Also the whole
 * cost of a small resolved value (the current timeframe's id), which is kept as it is.
 */
const ENTRY_OVERHEAD = 256;

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

function bytesOf(stored: Stored): number {
  return ENTRY_OVERHEAD + (stored.view instanceof ViewBody ? stored.view.bytes.length : 0);
}

/**
 * A micro-cache for read views that many users of one org ask for at once (a company goal on
 * the intranet home page). Every write bumps its org's generation in the shared state, and
 * every cached read checks it first, so once a write is acknowledged no instance serves an
 * older view: by construction, not by timing. When the generation cannot be read (Redis down)
 * the view is computed, not cached. Views hold no per-user data, so users of an org share them:
 * a per-user view (My OKRs) is keyed by the resolved user id, never by `me`. Views are kept as
 * their serialised bodies (ViewBody), bounded by bytes per kind.
 */
export class ViewCache {
  private readonly views: Record<ViewKind, TtlCache<Stored>>;
  /** Misses being computed, by kind, key and standing: concurrent misses share one. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private epoch = 0;

  /**
   * `ttlMs` is one lifetime for every kind, or one per kind. A lifetime bounds only what the
   * generation cannot tell: writes by a process that shares no generation with this one.
   */
  constructor(
    ttlMs: number | Record<ViewKind, number>,
    bounds: ViewBounds = defaultViewBounds,
    now: () => number = Date.now,
    private readonly generations: Pick<
      SharedState,
      'generation' | 'bumpGeneration'
    > = inProcessSharedState(),
  ) {
    const lifetime = (kind: ViewKind) => (typeof ttlMs === 'number' ? ttlMs : ttlMs[kind]);
    this.views = {
      card: new TtlCache(lifetime('card'), bounds.card, now, bytesOf),
      list: new TtlCache(lifetime('list'), bounds.list, now, bytesOf),
      tree: new TtlCache(lifetime('tree'), bounds.tree, now, bytesOf),
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
