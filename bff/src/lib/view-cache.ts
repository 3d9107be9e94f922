import { TtlCache } from './ttl-cache.js';

/**
 * A micro-cache for read views that many users of one org ask for at once (a company goal on
 * the intranet home page). Every write in this process bumps its org's generation, which
 * invalidates that org's cached views at once; writes made by another process (the CLI, a second
 * BFF instance) show within `ttlMs`. Views hold no per-user data, so users of an org share them.
 */
export class ViewCache {
  private readonly generations = new Map<string, number>();
  private readonly views: TtlCache<{ generation: number; view: unknown }>;

  constructor(ttlMs: number) {
    this.views = new TtlCache(ttlMs);
  }

  generation(orgId: string): number {
    return this.generations.get(orgId) ?? 0;
  }

  get<T>(orgId: string, key: string): T | undefined {
    const hit = this.views.get(`${orgId}:${key}`);
    return hit && hit.generation === this.generation(orgId) ? (hit.view as T) : undefined;
  }

  /** Stores a view computed from data read at `generation` (taken before reading). */
  set(orgId: string, key: string, generation: number, view: unknown): void {
    if (generation === this.generation(orgId))
      this.views.set(`${orgId}:${key}`, { generation, view });
  }

  invalidate(orgId: string): void {
    this.generations.set(orgId, this.generation(orgId) + 1);
  }
}
