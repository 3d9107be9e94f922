import type { LiveEvent } from '@okr-embed/contract';
import type { CommittedChange } from '../changes.js';

/**
 * How far back a reconnecting stream can resume: the last 1 000 events of an org or the last
 * 10 minutes of them, whichever is less. A page away for longer reloads (a `reset`), which
 * costs one round of GETs; a longer window would only cost memory on every instance.
 */
export const REPLAY_WINDOW: ReplayWindow = { events: 1_000, ms: 10 * 60_000 };

export interface ReplayWindow {
  events: number;
  ms: number;
}

/** An event id as both buses make it, `<ms>-<seq>` (Redis stream ids): they sort by time. */
export const EVENT_ID = /^\d{1,15}-\d{1,15}$/;

/** Orders two well-formed ids: negative when `a` came first. */
export function compareEventIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/**
 * What a stream that resumes from an id gets: the events after it, or `reset` when the window
 * no longer holds that id (too old, or never seen: another deployment, a restarted Redis), with
 * the newest id there is so the client resumes from there once it has reloaded.
 */
export type Replay = { events: LiveEvent[] } | { reset: true; newestId: string | null };

/** One open stream, as a bus sees it. */
export interface LiveListener {
  deliver(event: LiveEvent): void;
  /**
   * Events may have been lost on the way here (the fan-out link was down and is back): what
   * the client shows may be stale, and replay cannot say what it missed.
   */
  gap(): void;
}

export interface EventBus {
  /**
   * Stores the event in the org's replay window and hands it to every listener of the org, on
   * this instance and (Redis) every other. Never throws: the write it reports has committed,
   * and a live update lost is repaired by the next reset, never by failing the writer.
   */
  publish(orgId: string, event: CommittedChange): Promise<void>;
  /** Registers a listener for the org's events; call the answer to let go of it. */
  listen(orgId: string, listener: LiveListener): () => void;
  replay(orgId: string, afterId: string): Promise<Replay>;
  /**
   * Settles once events from other instances reach this one (Redis: the subscriber is
   * subscribed), or after `timeoutMs`: a stream opened before would silently miss them.
   */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Listeners by org, in this process: both buses dispatch through it. */
export function createListeners() {
  const byOrg = new Map<string, Set<LiveListener>>();
  return {
    add(orgId: string, listener: LiveListener): () => void {
      const set = byOrg.get(orgId) ?? new Set();
      byOrg.set(orgId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && byOrg.get(orgId) === set) byOrg.delete(orgId);
      };
    },
    deliver(orgId: string, event: LiveEvent): void {
      for (const listener of byOrg.get(orgId) ?? []) listener.deliver(event);
    },
    gapEverywhere(): void {
      for (const set of byOrg.values()) for (const listener of set) listener.gap();
    },
  };
}
