import type { KeyObject } from 'node:crypto';
import type { TeamSummary } from '@okr-embed/contract';
import { MAX_TOKEN_LIFETIME_MS, type VerifiedToken } from './auth.js';
import { LookupTtlCache } from './lookup-cache.js';
import { inProcessSharedState, type SharedState } from './shared-state/index.js';
import { TtlCache } from './ttl-cache.js';
import { defaultViewBounds, ViewCache } from './view-cache.js';
import { rememberedChains } from '../components/goals/goals.propagation.js';
import type { KeyWithOrg, OrgLookupCaches } from '../components/orgs/orgs.repository.js';
import type { UserRecord } from '../components/users/users.repository.js';

/**
 * Every cache of one app, made when the app is wired and handed to the code that reads it.
 * None lives at module level: two apps in one process (two databases, or two tests) share no
 * entry, and an app's caches go with it. The "Caches" table in bff/README.md says what each
 * may serve stale, and for how long; keep the two together.
 */
export function createCaches(shared: SharedState = inProcessSharedState()) {
  return {
    /**
     * A widget sends the same token with every request until it expires, so decoding, the
     * signature check and the claims schema run once per token. Keyed by the exact token
     * string, so only the bytes that verified can hit; a flood of distinct tokens evicts the
     * oldest.
     */
    verifiedTokens: new TtlCache<VerifiedToken>(MAX_TOKEN_LIFETIME_MS, 5_000),
    /** Public keys parse once per PEM, secrets decrypt once per ciphertext: neither changes. */
    publicKeys: new TtlCache<KeyObject>(600_000, 1_000),
    secrets: new TtlCache<KeyObject>(600_000, 1_000),
    /**
     * The user and teams for one exact set of claims, for a short while: the same token arriving
     * again needs no just-in-time write. Changed claims miss and go to the database. Each entry
     * lives 22.5-30 s from its write, so users cached together are read again apart.
     */
    knownUsers: new TtlCache<{ user: UserRecord; teams: TeamSummary[] }>(
      30_000,
      10_000,
      Date.now,
      () => 1,
      0.25,
    ),
    /**
     * What every API request looks up: its key (by kid) and its Origin. Found and refused
     * answers have bounds of their own, so a flood of made-up kids or origins (cheap to send
     * without a browser) cannot evict the real ones. Writes through this app's repository
     * forget what they change at once. With Redis, every instance forgets them when any writer
     * (an instance, the CLI) publishes an org change, and when Redis comes back after an
     * outage; without Redis, or while it is away, another process's changes show within 5 s.
     */
    orgLookups: {
      activeKeys: new LookupTtlCache<KeyWithOrg>(5_000, 10_000),
      refusedKids: new LookupTtlCache<true>(5_000, 10_000),
      originOrgs: new LookupTtlCache<string[]>(5_000, 10_000),
      refusedOrigins: new LookupTtlCache<true>(5_000, 10_000),
    } satisfies OrgLookupCaches,
    /**
     * The goal ids of each key result's chain, so that a check-in locks its chain without
     * finding it first. Never served unchecked: the lock's re-read must walk to the same goals.
     */
    keyResultChains: rememberedChains(),
    /**
     * Read views an org's users share, checked against the org's generation in the shared
     * state on every read: no view older than an acknowledged write is served (see ViewCache).
     * Views are kept serialised (see ViewBody); cards, list pages and trees are bounded apart by
     * their bytes, so lists never evict cards. The lifetime bounds only what the generation
     * cannot tell (a write by another process without Redis, or a bump that could not reach
     * Redis): 2 s for the views an org's users share. List pages get 30 s, the known users'
     * lifetime, because My OKRs is one page per user: a user seldom asks for theirs twice
     * within 2 s, so at 2 s almost every My OKRs would be a miss, and with it its query.
     */
    views: new ViewCache(
      { card: 2_000, tree: 2_000, list: 30_000 },
      defaultViewBounds,
      Date.now,
      shared,
    ),
  };
}

export type Caches = ReturnType<typeof createCaches>;
