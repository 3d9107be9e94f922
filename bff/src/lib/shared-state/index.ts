import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { inProcessSharedState } from './in-process.js';
import { redisSharedState } from './redis.js';
import type { SharedState } from './shared-state.js';

export type { Allowance, SharedLimiter, SharedState, SharedStatus } from './shared-state.js';
export { inProcessSharedState, tokenBucket } from './in-process.js';

/** Redis when `REDIS_URL` is set, this process otherwise: chosen once, at start-up. */
export function createSharedState(
  config: Pick<Config, 'redisUrl' | 'redisKeyPrefix'>,
  logger: Logger,
): SharedState {
  return config.redisUrl
    ? redisSharedState({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger })
    : inProcessSharedState();
}
