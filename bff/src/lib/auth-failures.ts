import type { NextFunction, Request, Response } from 'express';
import { BEARER_TOKEN, headerOf, MAX_TOKEN_LENGTH } from './auth.js';
import type { Caches } from './caches.js';
import { AppError } from './errors.js';
import type { AnswerError } from './http.js';
import type { Allowance, SharedLimiter } from './shared-state/index.js';

/**
 * Failed authentications allowed per client address, as a token bucket (a burst of a minute's
 * allowance, then `perMinute / 60` a second) in this process, or a window a minute shared by
 * every instance through Redis (`sharedFailureBudget`). What this process knows, it answers at
 * once, not in a promise: a flooding address's requests are the ones that must cost least.
 */
export interface FailureBudget {
  /** 0 while the address may still fail; otherwise the seconds until it may again. */
  retryAfterSeconds(address: string): number | Promise<number>;
  recordFailure(address: string): void | Promise<void>;
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
    retryAfterSeconds(address) {
      const bucket = refilled(address, now());
      if (!bucket || bucket.tokens >= 1) return 0;
      return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    },
    recordFailure(address) {
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

/**
 * The same budget for every instance: each failure spends from the address's shared window.
 * A window found spent stays spent until it ends, whatever the other instances do, so this
 * instance remembers until when (bounded, oldest out) and refuses the address's next requests
 * without asking Redis: a flood costs Redis one round trip per window, not one per request.
 * The end is remembered in whole seconds, as `Retry-After` tells it, so it may be up to a
 * second late; a Redis flushed meanwhile is believed spent until then too.
 */
export function sharedFailureBudget(
  limiter: SharedLimiter,
  now: () => number = Date.now,
): FailureBudget {
  const spentUntil = new Map<string, number>();

  function remember(address: string, { allowed, retryAfterSeconds }: Allowance): number {
    if (allowed) return 0;
    spentUntil.delete(address);
    spentUntil.set(address, now() + retryAfterSeconds * 1000);
    if (spentUntil.size > MAX_ADDRESSES) {
      const oldest = spentUntil.keys().next();
      if (!oldest.done) spentUntil.delete(oldest.value);
    }
    return retryAfterSeconds;
  }

  return {
    retryAfterSeconds(address) {
      const until = spentUntil.get(address);
      if (until !== undefined) {
        const left = until - now();
        if (left > 0) return Math.ceil(left / 1000);
        spentUntil.delete(address);
      }
      const peeked = limiter.peek(address);
      return peeked instanceof Promise
        ? peeked.then((allowance) => remember(address, allowance))
        : remember(address, peeked);
    },
    async recordFailure(address) {
      remember(address, await limiter.consume(address));
    },
  };
}

const TOO_MANY_FAILURES = 'Too many failed authentications from this address; retry later';

function tooManyFailures(retryAfterSeconds: number): AppError {
  return new AppError('rate_limited', TOO_MANY_FAILURES, 429, { retryAfterSeconds });
}

export interface FailureLimitDeps {
  authenticate: (req: Request, res: Response, next: NextFunction) => void | Promise<void>;
  budget: FailureBudget;
  caches: Pick<Caches, 'verifiedTokens' | 'orgLookups'>;
  /** The address a failure is counted against (lib/http.ts `clientAddress`). */
  addressOf: (req: Request) => string;
  /** Answers a spent address's request without an exception (lib/http.ts). */
  answerError: AnswerError;
}

/**
 * Wraps `authenticate` so that each refusal (401) spends one of the address's failure budget,
 * and an address that has spent it gets 429 with `Retry-After` instead of any work. Valid
 * requests spend nothing, and a spent address is still let through with a token whose check
 * costs no query (one already verified, or signed by a key already in the active-key cache):
 * the office behind one NAT keeps working while one machine in it floods. Only a new token
 * whose key this app has not seen in the key cache's lifetime waits for the flood to stop.
 *
 * A flooding address's requests are the ones that must cost least: the budget in this process
 * (and, with Redis, a window already known to be spent) answers at once, and the 429 is written
 * directly, with no Error made or thrown for it.
 */
export function limitFailedAuthentication({
  authenticate,
  budget,
  caches,
  addressOf,
  answerError,
}: FailureLimitDeps) {
  const { verifiedTokens, orgLookups } = caches;

  /** A token whose check needs no query: verified before, or signed by a key cached active. */
  function checkableWithoutQuery(token: string | undefined): boolean {
    // One too large is refused before it is decoded (auth.ts): it is not decoded here either.
    if (token === undefined || token.length > MAX_TOKEN_LENGTH) return false;
    if (verifiedTokens.get(token)) return true;
    const kid = headerOf(token)?.kid;
    return typeof kid === 'string' && orgLookups.activeKeys.peek(kid) !== undefined;
  }

  /** A refusal of `authenticate` spends from the budget, and is a 429 if it was spent before. */
  async function refused(error: unknown, address: string, spentBefore?: number): Promise<never> {
    if (!(error instanceof AppError) || error.status !== 401) throw error;
    const wait = spentBefore ?? (await budget.retryAfterSeconds(address));
    await budget.recordFailure(address);
    throw wait > 0 ? tooManyFailures(wait) : error;
  }

  function guarded(
    req: Request,
    res: Response,
    next: NextFunction,
    address: string,
    spentBefore?: number,
  ): void | Promise<void> {
    let outcome: void | Promise<void>;
    try {
      // `next` runs the rest of the chain inside; only authenticate's own refusals land here.
      outcome = authenticate(req, res, next);
    } catch (error) {
      return refused(error, address, spentBefore);
    }
    if (outcome instanceof Promise) {
      return outcome.catch((error: unknown) => refused(error, address, spentBefore));
    }
  }

  function afterBudget(
    req: Request,
    res: Response,
    next: NextFunction,
    address: string,
    wait: number,
  ): void | Promise<void> {
    if (wait === 0) return guarded(req, res, next, address, 0);
    answerError(req, res, {
      status: 429,
      code: 'rate_limited',
      message: TOO_MANY_FAILURES,
      details: { retryAfterSeconds: wait },
    });
  }

  return function limitedAuthenticate(
    req: Request,
    res: Response,
    next: NextFunction,
  ): void | Promise<void> {
    const address = addressOf(req);
    const token = BEARER_TOKEN.exec(req.get('authorization') ?? '')?.[1];
    // A token checkable without a query passes while the address is spent, so its budget is
    // only read if it fails: with Redis, a valid request costs no round trip here.
    if (checkableWithoutQuery(token)) return guarded(req, res, next, address);
    const wait = budget.retryAfterSeconds(address);
    if (wait instanceof Promise) {
      return wait.then((known) => afterBudget(req, res, next, address, known));
    }
    return afterBudget(req, res, next, address, wait);
  };
}
