import type { Logger } from '../../lib/logger.js';
import type { CheckInsRepository } from './check-ins.repository.js';

export interface SweeperOptions {
  checkIns: CheckInsRepository;
  logger: Logger;
  /** How often the sweeper wakes. */
  intervalMs?: number;
  /** Records per statement: a batch holds its row locks for one short DELETE only. */
  batchSize?: number;
  /** Batches per wake-up, so one wake-up after a long pause does not hog the pool. */
  maxBatches?: number;
}

/**
 * Deletes expired idempotency records outside any request. A check-in used to sweep its org's
 * expired records inside its own transaction, and the range lock that took blocked other
 * check-ins; here each batch is its own statement, found through the expiry index. A record that
 * expired but is not swept yet still reads as expired (the check-in service frees its key).
 */
export function createIdempotencySweeper({
  checkIns,
  logger,
  intervalMs = 60_000,
  batchSize = 500,
  maxBatches = 20,
}: SweeperOptions) {
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<number> | undefined;

  async function sweep(now = Date.now()): Promise<number> {
    let deleted = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const count = await checkIns.deleteExpiredIdempotencyRecords(now, batchSize);
      deleted += count;
      if (count < batchSize) break;
    }
    return deleted;
  }

  return {
    /** One pass now; a pass already running is joined rather than doubled. */
    sweepOnce(now?: number): Promise<number> {
      sweeping ??= sweep(now).finally(() => {
        sweeping = undefined;
      });
      return sweeping;
    },

    start() {
      if (timer) return;
      timer = setInterval(() => {
        this.sweepOnce().catch((error: unknown) => {
          logger.warn({ err: error }, 'idempotency sweep failed; the next one retries');
        });
      }, intervalMs);
      // A server's lifetime is its listener's; a forgotten sweeper must not keep Node alive.
      timer.unref();
    },

    stop() {
      clearInterval(timer);
      timer = undefined;
    },

    get running(): boolean {
      return timer !== undefined;
    },
  };
}

export type IdempotencySweeper = ReturnType<typeof createIdempotencySweeper>;
