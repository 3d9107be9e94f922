/**
 * Live updates: what `GET /api/v1/events` (Server-Sent Events) sends. Every write that commits
 * makes one `Change`; the same value invalidates caches, answers the writer and is published
 * here, so a widget patches itself from the event without another GET.
 *
 * On the wire each event is
 *
 *     id: <LiveEvent.id>
 *     event: <LiveEvent.type>
 *     data: <JSON of LiveEvent.change>
 *
 * Ids grow within an org; a client that reconnects sends the last one it saw as
 * `Last-Event-ID` and gets what it missed, if it is still inside the replay window. When it is
 * not, the stream starts with a `reset` event: the client reloads what it shows.
 */

import type { ProgressStatus } from './enums.js';
import type { CheckIn, Goal, KeyResult } from './views.js';

export const LIVE_EVENT_TYPES = [
  'check-in.created',
  'goal.created',
  'goal.updated',
  'goal.deleted',
  'key-result.created',
  'key-result.updated',
  'key-result.deleted',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** The numbers a row, a tree node or a bar shows of a goal whose progress moved. */
export interface GoalProgressPatch {
  id: string;
  progress: number;
  status: ProgressStatus;
  updatedAt: string;
}

export interface Change {
  /** Whole cards of the goals the write touched directly (created, edited, checked in on). */
  goals: Goal[];
  /** Every goal whose progress or status moved, each ancestor included. */
  progress: GoalProgressPatch[];
  /** Key results created, edited or checked in on, as they now are. */
  keyResults: KeyResult[];
  /** The check-in stored, for `check-in.created`. */
  checkIn?: CheckIn;
  /** What is gone, for the `*.deleted` types. */
  deleted?: { goalIds: string[]; keyResultIds: string[] };
}

export interface LiveEvent {
  id: string;
  type: LiveEventType;
  change: Change;
}

/** Control events on the same stream, never stored or replayed. */
export const STREAM_EVENTS = {
  /** The replay window no longer holds `Last-Event-ID`: reload, then go on listening. */
  reset: 'reset',
  /** The token the stream was opened with expired: reconnect with a fresh one. */
  tokenExpired: 'token-expired',
} as const;
