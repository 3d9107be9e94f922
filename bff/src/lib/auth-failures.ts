import type { NextFunction, Request, RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { BEARER_TOKEN } from './auth.js';
import type { Caches } from './caches.js';
import { AppError } from './errors.js';
import type { SharedLimiter } from './shared-state/index.js';

/**
 * Failed authentications allowed per client address, as a token bucket (a burst of a minute's
 * allowance, then `perMinute / 60` a second) in this process, or a window a minute shared by
 * every instance through Redis (`sharedFailureBudget`).
 */
export interface FailureBudget {
  /** 0 while the address may still fail; otherwise the seconds until it may again. */
  retryAfterSeconds(address: string): Promise<number>;
  recordFailure(address: string): Promise<void>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_ADDRESSES = 10_000;

export function createFailureBudget(
  perMinute: number,
  now: () => number = Date.now,
): FailureBudget {
  const buckets = new Map<string, Bucket>();
  const refillPerMs = perMinute / 60_000;

  function refilled(address: string, at: number): Bucket | undefined {
    const bucket = buckets.get(address);
    if (!bucket) return undefined;
    bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = at;
    if (bucket.tokens >= perMinute) buckets.delete(address);
    return bucket;
  }

  return {
    async retryAfterSeconds(address) {
      const bucket = refilled(address, now());
      if (!bucket || bucket.tokens >= 1) return 0;
      return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    },
    async recordFailure(address) {
      const at = now();
      if (buckets.size >= MAX_ADDRESSES) {
        // Full buckets are forgotten anyway; past that, the oldest address goes first.
        for (const key of buckets.keys()) refilled(key, at);
        const oldest = buckets.keys().next();
        if (buckets.size >= MAX_ADDRESSES && !oldest.done) buckets.delete(oldest.value);
      }
      const bucket = refilled(address, at) ?? { tokens: perMinute, updatedAt: at };
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      buckets.set(address, bucket);
    },
  };
}

/** The same budget for every instance: each failure spends from the address's shared window. */
export function sharedFailureBudget(limiter: SharedLimiter): FailureBudget {
  return {
    async retryAfterSeconds(address) {
      return (await limiter.peek(address)).retryAfterSeconds;
    },
    async recordFailure(address) {
      await limiter.consume(address);
    },
  };
}

function tooManyFailures(retryAfterSeconds: number): AppError {
  return new AppError(
    'rate_limited',
    'Too many failed authentications from this address; retry later',
    429,
    { retryAfterSeconds },
  );
}

export interface FailureLimitDeps {
  authenticate: RequestHandler;
  budget: FailureBudget;
  caches: Pick<Caches, 'verifiedTokens' | 'orgLookups'>;
}

/**
 * Wraps `authenticate` so that each refusal (401) spends one of the address's failure budget,
 * and an address that has spent it gets 429 with `Retry-After` instead of any work. Valid
 * requests spend nothing, and a spent address is still let through with a token whose check
 * costs no query (one already verified, or signed by a key already in the active-key cache):
 * the office behind one NAT keeps working while one machine in it floods. Only a new token
 * whose key this app has not seen in the key cache's lifetime waits for the flood to stop.
 */
export function limitFailedAuthentication({ authenticate, budget, caches }: FailureLimitDeps) {
  function checkableWithoutQuery(req: Request): boolean {
    const token = BEARER_TOKEN.exec(req.get('authorization') ?? '')?.[1];
    if (!token) return false;
    if (caches.verifiedTokens.get(token)) return true;
    const kid = jwt.decode(token, { complete: true })?.header.kid;
    return typeof kid === 'string' && caches.orgLookups.activeKeys.get(kid) !== undefined;
  }

  return async function limitedAuthenticate(req: Request, res: Response, next: NextFunction) {
    const address = req.ip ?? 'unknown';
    // A token checkable without a query passes while the address is spent, so its budget is
    // only read if it fails: with Redis, a valid request costs no round trip here.
    const checkable = checkableWithoutQuery(req);
    const spent = checkable ? undefined : await budget.retryAfterSeconds(address);
    if (spent !== undefined && spent > 0) throw tooManyFailures(spent);
    try {
      // `next` runs the rest of the chain inside; only authenticate's own refusals land here.
      await authenticate(req, res, next);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 401) throw error;
      const spentBefore = spent ?? (await budget.retryAfterSeconds(address));
      await budget.recordFailure(address);
      if (spentBefore > 0) throw tooManyFailures(spentBefore);
      throw error;
    }
  };
}
