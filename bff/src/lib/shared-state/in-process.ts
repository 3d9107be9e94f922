import type { Allowance, SharedLimiter, SharedState } from './shared-state.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_BUCKETS = 10_000;

/**
 * A token bucket per key, in memory: a key may burst up to a minute's allowance, then gets
 * `perMinute / 60` a second. One process owns its limits.
 */
export function tokenBucket(perMinute: number, now: () => number = Date.now): SharedLimiter {
  const buckets = new Map<string, Bucket>();
  const refillPerMs = perMinute / 60_000;

  function prune(at: number) {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (at - bucket.updatedAt) * refillPerMs >= perMinute) buckets.delete(key);
    }
  }

  function refilled(key: string, at: number): Bucket {
    const bucket = buckets.get(key) ?? { tokens: perMinute, updatedAt: at };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = at;
    return bucket;
  }

  function answer(bucket: Bucket): Allowance {
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      return { allowed: false, remaining: 0, retryAfterSeconds };
    }
    return { allowed: true, remaining: Math.floor(bucket.tokens - 1), retryAfterSeconds: 0 };
  }

  return {
    consume(key) {
      const at = now();
      if (buckets.size > MAX_BUCKETS) prune(at);
      const bucket = refilled(key, at);
      buckets.set(key, bucket);
      const allowance = answer(bucket);
      if (allowance.allowed) bucket.tokens -= 1;
      return allowance;
    },
    peek(key) {
      const bucket = buckets.get(key);
      return bucket ? answer(refilled(key, now())) : answer({ tokens: perMinute, updatedAt: 0 });
    },
  };
}

/** Today's single process: generations in a map, changes heard by this process only. */
export function inProcessSharedState(): SharedState {
  const generations = new Map<string, number>();
  const orgListeners: Array<(orgId: string | null) => void> = [];
  return {
    status: () => 'in-process',
    async generation(orgId) {
      return generations.get(orgId) ?? 0;
    },
    async bumpGeneration(orgId) {
      generations.set(orgId, (generations.get(orgId) ?? 0) + 1);
    },
    limiter: (_name, perMinute) => tokenBucket(perMinute),
    async publishOrgChange(orgId) {
      for (const listener of orgListeners) listener(orgId);
    },
    onOrgChange(listener) {
      orgListeners.push(listener);
    },
    // The status never changes.
    onStatusChange() {},
    async close() {},
  };
}
