import type { KeyObject } from 'node:crypto';
import type { TeamSummary } from '@okr-embed/contract';
import { MAX_TOKEN_LIFETIME_MS, type VerifiedToken } from './auth.js';
import { TtlCache } from './ttl-cache.js';
import { ViewCache } from './view-cache.js';
import type { KeyWithOrg } from '../components/orgs/orgs.repository.js';
import type { UserRecord } from '../components/users/users.repository.js';

/**
 * Every cache of one app, made when the app is wired and handed to the code that reads it.
 * None lives at module level: two apps in one process (two databases, or two tests) share no
 * entry, and an app's caches go with it. The "Caches" table in bff/README.md says what each
 * may serve stale, and for how long; keep the two together.
 */
export function createCaches() {
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
     * again needs no just-in-time write. Changed claims miss and go to the database.
     */
    knownUsers: new TtlCache<{ user: UserRecord; teams: TeamSummary[] }>(30_000),
    /**
     * Active keys and their org, by kid, looked up on every API request. Unknown and retired
     * kids are never remembered; a key retired through this app is forgotten at once, one
     * retired by another process (the CLI, a second instance) stops working within 5 s.
     */
    activeKeys: new TtlCache<KeyWithOrg>(5_000),
    /** Read views an org's users share; another process's writes show within 2 s. */
    views: new ViewCache(2_000),
  };
}

export type Caches = ReturnType<typeof createCaches>;
