import type { NextFunction, Request, Response } from 'express';
import { authOf } from './auth.js';
import { AppError } from './errors.js';
import type { SharedLimiter } from './shared-state/index.js';

/**
 * Requests per (org, user) and minute. The allowance lives in the shared state: a token bucket
 * in this process (a burst of a minute's allowance, then `perMinute / 60` a second) or, with
 * Redis, one window a minute for all instances together (see shared-state/redis.ts).
 */
export function createRateLimiter(perMinute: number, limiter: () => SharedLimiter) {
  const allowance = perMinute === 0 ? undefined : limiter();

  return async function rateLimit(req: Request, res: Response, next: NextFunction) {
    if (!allowance) {
      next();
      return;
    }
    const { org, user } = authOf(req);
    const answer = await allowance.consume(`${org.id}:${user.id}`);
    if (!answer.allowed) {
      throw new AppError('rate_limited', 'Too many requests; slow down', 429, {
        retryAfterSeconds: answer.retryAfterSeconds,
      });
    }
    res.set('RateLimit-Remaining', String(answer.remaining));
    next();
  };
}
