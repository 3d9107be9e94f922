import type { Caches } from './caches.js';
import type { SharedState } from './shared-state/index.js';

/**
 * What an org change costs each instance: every key, origin and user it looked up, for every
 * org. Org changes are rare (an operator's command), and forgetting everything is simpler to
 * trust than forgetting one org's share of caches keyed by kid, origin or claims.
 */
export function forgetOrgLookups(caches: Pick<Caches, 'orgLookups' | 'knownUsers'>): void {
  for (const cache of Object.values(caches.orgLookups)) cache.clear();
  caches.knownUsers.clear();
}

/**
 * Wires an app's caches to the shared state. An org change published by any writer clears
 * the lookups at once, here and on every instance. While Redis is away no change can be
 * heard, so the lookups are forgotten when it goes and again when it comes back: in between
 * they live their own 5 s, the bound a single instance has always had. Views are forgotten
 * when it comes back: a restarted Redis counts generations from 0 again (see ViewCache).
 */
export function listenForOrgChanges(shared: SharedState, caches: Caches): void {
  shared.onOrgChange(() => forgetOrgLookups(caches));
  shared.onStatusChange((status) => {
    forgetOrgLookups(caches);
    if (status === 'ok') caches.views.forgetAll();
  });
}

/**
 * The writer's side: the org's views go stale (its settings shape every card) and every
 * instance forgets its lookups. Awaited after the write commits, before it is acknowledged.
 */
export function orgChangeAnnouncer(shared: SharedState, bump: (orgId: string) => Promise<void>) {
  return async (orgId: string | null): Promise<void> => {
    if (orgId) await bump(orgId);
    await shared.publishOrgChange(orgId);
  };
}

/** Resolves true once the shared state is `ok`, false if it is not within `ms`. */
export function whenShared(shared: SharedState, ms: number): Promise<boolean> {
  if (shared.status() === 'ok') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    shared.onStatusChange((status) => {
      if (status !== 'ok') return;
      clearTimeout(timer);
      resolve(true);
    });
  });
}
