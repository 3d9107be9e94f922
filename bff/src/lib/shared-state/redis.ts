import { Redis, type RedisOptions } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { Allowance, SharedLimiter, SharedState, SharedStatus } from './shared-state.js';

/**
 * Every command fails fast while Redis is away: nothing queues for the reconnect, nothing is
 * retried, and a Redis that hangs costs a request at most `commandTimeout`. Reconnecting goes
 * on in the background, backing off to 1 s.
 */
const RECONNECT_MAX_MS = 1_000;

/**
 * How long after coming back an instance still reads uncached. When Redis restarts, every
 * instance loses it, and one that is still reconnecting may acknowledge a write whose bump it
 * owes until it is back: within one backoff step, so a while longer than that covers it.
 */
export const SETTLE_MS = 2 * RECONNECT_MAX_MS;

export const failFast: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 250,
  connectTimeout: 1_000,
  autoResubscribe: false,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, RECONNECT_MAX_MS),
};

function allowanceOf(res: RateLimiterRes, perMinute: number): Allowance {
  const allowed = res.consumedPoints <= perMinute;
  return {
    allowed,
    remaining: allowed ? res.remainingPoints : 0,
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

/**
 * A window of a minute per key in Redis, so N instances together allow `perMinute`, not N
 * times it. While Redis does not answer, each instance's insurance limiter (in memory, the
 * same allowance) decides alone: a user then gets at most the allowance per instance.
 */
function redisLimiter(client: Redis, keyPrefix: string, perMinute: number): SharedLimiter {
  const limiter = new RateLimiterRedis({
    storeClient: client,
    keyPrefix,
    points: perMinute,
    duration: 60,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: perMinute, duration: 60 }),
  });
  return {
    async consume(key) {
      try {
        return allowanceOf(await limiter.consume(key), perMinute);
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return allowanceOf(refusal, perMinute);
        // The insurance limiter answers for Redis; past that, a limit never costs a 5xx.
        return { allowed: true, remaining: 0, retryAfterSeconds: 0 };
      }
    },
    async peek(key) {
      const spent = (await limiter.get(key).catch(() => null)) ?? null;
      if (!spent || spent.consumedPoints < perMinute) {
        const remaining = perMinute - (spent?.consumedPoints ?? 0) - 1;
        return { allowed: true, remaining, retryAfterSeconds: 0 };
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(spent.msBeforeNext / 1000));
      return { allowed: false, remaining: 0, retryAfterSeconds };
    },
  };
}

export interface RedisSharedStateOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
}

/** Shared state in Redis: two connections, one for commands and one that listens. */
export function redisSharedState({ url, keyPrefix, logger }: RedisSharedStateOptions): SharedState {
  const commands = new Redis(url, failFast);
  const listener = new Redis(url, failFast);
  const channel = `${keyPrefix}org-changes`;
  const generationKey = (orgId: string) => `${keyPrefix}generation:${orgId}`;
  const orgListeners: Array<(orgId: string | null) => void> = [];
  const statusListeners: Array<(status: SharedStatus) => void> = [];
  /** Orgs whose bump did not reach Redis: bumped again once it answers (see below). */
  const unbumped = new Set<string>();
  let subscribed = false;
  let current: SharedStatus = 'degraded';
  let everConnected = false;
  /** Until then generations are not trusted (see SETTLE_MS); 0 for the first connection. */
  let settledAt = 0;
  let closing = false;

  // Refusals and resets arrive as 'error' events too; the status says all that matters.
  commands.on('error', () => {});
  listener.on('error', () => {});

  function recompute() {
    if (closing) return;
    const next: SharedStatus =
      commands.status === 'ready' && listener.status === 'ready' && subscribed ? 'ok' : 'degraded';
    if (next === current) return;
    current = next;
    if (next === 'ok') {
      // A process that just started has cached nothing a restart could have made stale.
      settledAt = everConnected ? Date.now() + SETTLE_MS : 0;
      logger.info(
        { redis: redacted(url) },
        everConnected ? 'redis answers again: sharing state' : 'redis connected',
      );
      everConnected = true;
      for (const orgId of [...unbumped]) void bump(orgId);
    } else if (everConnected) {
      logger.warn(
        { redis: redacted(url) },
        'redis does not answer: reads go uncached, limits per instance',
      );
    }
    for (const notify of statusListeners) notify(next);
  }

  for (const client of [commands, listener]) {
    for (const event of ['ready', 'close', 'end', 'reconnecting'] as const)
      client.on(event, recompute);
  }
  listener.on('close', () => {
    subscribed = false;
  });
  listener.on('ready', () => {
    listener.subscribe(channel).then(
      () => {
        subscribed = true;
        recompute();
      },
      // The connection went again; its next 'ready' subscribes anew.
      () => {},
    );
  });
  listener.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    let orgId: string | null = null;
    try {
      orgId = (JSON.parse(message) as { orgId?: string | null }).orgId ?? null;
    } catch {
      orgId = null;
    }
    for (const notify of orgListeners) notify(orgId);
  });

  /**
   * A bump that fails (Redis away, or slower than the timeout) leaves the org unbumped: this
   * instance reads it uncached until a later bump lands, which every generation read tries
   * first and the reconnect tries too. Another instance that still reaches Redis may serve its
   * cached view of that org until then, at most for the views' 2 s lifetime: the same bound as
   * without Redis, and only while this instance cannot reach it.
   */
  async function bump(orgId: string): Promise<void> {
    try {
      await commands.incr(generationKey(orgId));
      unbumped.delete(orgId);
    } catch {
      unbumped.add(orgId);
    }
  }

  return {
    status: () => current,
    async generation(orgId) {
      // Not before `ok`: until the listeners have forgotten what they held before a restart,
      // a generation from the new Redis could match an entry made under the old one.
      if (current !== 'ok' || Date.now() < settledAt) return undefined;
      try {
        if (unbumped.has(orgId)) {
          await commands.incr(generationKey(orgId));
          unbumped.delete(orgId);
        }
        const value = await commands.get(generationKey(orgId));
        return value === null ? 0 : Number(value);
      } catch {
        return undefined;
      }
    },
    bumpGeneration: bump,
    limiter: (name, perMinute) => redisLimiter(commands, `${keyPrefix}limit:${name}`, perMinute),
    async publishOrgChange(orgId) {
      try {
        await commands.publish(channel, JSON.stringify({ orgId }));
      } catch {
        // Nobody hears it: instances forget these lookups on reconnect, or within 5 s.
        for (const notify of orgListeners) notify(orgId);
      }
    },
    onOrgChange(notify) {
      orgListeners.push(notify);
    },
    onStatusChange(notify) {
      statusListeners.push(notify);
    },
    async close() {
      closing = true;
      commands.disconnect();
      listener.disconnect();
    },
  };
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
