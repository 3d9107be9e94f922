import type { NextFunction, Request, Response } from 'express';
import { authOf } from './auth.js';
import { AppError } from './errors.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per (org, user), in memory: one BFF process owns its limits. A user may burst
 * up to a minute's allowance, then gets `perMinute / 60` requests a second.
 */
export function createRateLimiter(perMinute: number, now: () => number = Date.now) {
  const buckets = new Map<string, Bucket>();
  const refillPerMs = perMinute / 60_000;

  function prune(at: number) {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (at - bucket.updatedAt) * refillPerMs >= perMinute) buckets.delete(key);
    }
  }

  return function rateLimit(req: Request, res: Response, next: NextFunction) {
    if (perMinute === 0) {
      next();
      return;
    }
    const { org, user } = authOf(req);
    const key = `${org.id}:${user.id}`;
    const at = now();
    if (buckets.size > 10_000) prune(at);
    const bucket = buckets.get(key) ?? { tokens: perMinute, updatedAt: at };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = at;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      throw new AppError('rate_limited', 'Too many requests; slow down', 429, {
        retryAfterSeconds,
      });
    }
    bucket.tokens -= 1;
    res.set('RateLimit-Remaining', String(Math.floor(bucket.tokens)));
    next();
  };
}
