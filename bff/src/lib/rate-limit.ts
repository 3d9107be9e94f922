import type { NextFunction, Request, Response } from 'express';
import { authOf } from './auth.js';
import { AppError } from './errors.js';
import type { Allowance, SharedLimiter } from './shared-state/index.js';

/**
 * Requests per (org, user) and minute. The allowance lives in the shared state: a token bucket
 * in this process (a burst of a minute's allowance, then `perMinute / 60` a second) or, with
 * Redis, one window a minute for all instances together (see shared-state/redis.ts). The
 * bucket in this process answers at once, so a request it lets through goes straight on.
 */
export function createRateLimiter(perMinute: number, limiter: () => SharedLimiter) {
  const allowance = perMinute === 0 ? undefined : limiter();

  function admit(answer: Allowance, res: Response, next: NextFunction): void {
    if (!answer.allowed) {
      throw new AppError('rate_limited', 'Too many requests; slow down', 429, {
        retryAfterSeconds: answer.retryAfterSeconds,
      });
    }
    res.setHeader('RateLimit-Remaining', String(answer.remaining));
    next();
  }

  return function rateLimit(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    if (!allowance) {
      next();
      return;
    }
    const { org, user } = authOf(req);
    const answer = allowance.consume(`${org.id}:${user.id}`);
    if (answer instanceof Promise) return answer.then((shared) => admit(shared, res, next));
    admit(answer, res, next);
  };
}
