import type { LiveEvent } from '@okr-embed/contract';
import type { CommittedChange } from '../changes.js';
import {
  REPLAY_WINDOW,
  createListeners,
  type EventBus,
  type Replay,
  type ReplayWindow,
} from './event-bus.js';

interface OrgLog {
  /** Oldest first; each with when it was published, for the time half of the window. */
  events: Array<{ at: number; event: LiveEvent }>;
  lastMs: number;
  seq: number;
}

/**
 * The bus of a single process: each org's replay window is an array in memory. Ids are made
 * like Redis's (`<ms>-<seq>`, never going back even if the clock does), so a client's
 * Last-Event-ID means the same with either bus, and ids from before a restart are simply
 * unknown here (a `reset`).
 */
export function createMemoryBus(
  window: ReplayWindow = REPLAY_WINDOW,
  now: () => number = Date.now,
): EventBus {
  const logs = new Map<string, OrgLog>();
  const listeners = createListeners();
  let sweptAt = now();

  function trim(log: OrgLog, at: number): void {
    const oldest = at - window.ms;
    let drop = Math.max(0, log.events.length - window.events);
    while (drop < log.events.length && (log.events[drop]?.at ?? 0) < oldest) drop += 1;
    if (drop > 0) log.events.splice(0, drop);
  }

  /** Orgs that went quiet would keep their last window forever: dropped once it has passed. */
  function sweep(at: number): void {
    if (at - sweptAt < window.ms) return;
    sweptAt = at;
    for (const [orgId, log] of logs) {
      trim(log, at);
      if (log.events.length === 0 && at - log.lastMs > window.ms) logs.delete(orgId);
    }
  }

  return {
    async publish(orgId, { type, change }: CommittedChange) {
      const at = now();
      sweep(at);
      const log = logs.get(orgId) ?? { events: [], lastMs: 0, seq: 0 };
      logs.set(orgId, log);
      if (at > log.lastMs) {
        log.lastMs = at;
        log.seq = 0;
      } else log.seq += 1;
      const event: LiveEvent = { id: `${log.lastMs}-${log.seq}`, type, change };
      log.events.push({ at, event });
      trim(log, at);
      listeners.deliver(orgId, event);
    },

    listen: listeners.add,

    async replay(orgId, afterId): Promise<Replay> {
      const log = logs.get(orgId);
      if (log) trim(log, now());
      const events = log?.events ?? [];
      const newestId = events[events.length - 1]?.event.id ?? null;
      const index = events.findIndex(({ event }) => event.id === afterId);
      if (index < 0) {
        // Newer than anything here, with nothing here: this process made no such id.
        return { reset: true, newestId };
      }
      return { events: events.slice(index + 1).map(({ event }) => event) };
    },

    async ready() {},

    async close() {
      logs.clear();
    },
  };
}
