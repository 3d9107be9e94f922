import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { EventBus } from './event-bus.js';
import { createMemoryBus } from './memory-bus.js';
import { createRedisBus } from './redis-bus.js';

export type { EventBus } from './event-bus.js';

/** The bus this instance runs with: Redis when the instances share one, else this process's. */
export function createEventBus(config: Config, logger: Logger): EventBus {
  return config.redisUrl
    ? createRedisBus({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger })
    : createMemoryBus();
}
