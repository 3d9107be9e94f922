import type { ReactiveControllerHost } from 'lit';
import type { CheckIn, Goal, GoalProgressPatch, KeyResult } from '@okr-embed/contract';
import type { OkrApiError } from '../client/errors.js';

/** `detail` of `okr-goal-select`: a goal was chosen in a card, list or tree. */
export interface GoalSelectDetail {
  goalId: string;
}

/** `detail` of `okr-check-in-submitted`: the BFF stored a check-in. */
export interface CheckInSubmittedDetail {
  checkIn: CheckIn;
  keyResult: KeyResult;
  goal: Goal;
  /** Every goal whose progress or status moved: the goal and each ancestor. */
  progress: GoalProgressPatch[];
}

/** `detail` of `okr-error`: a request of the widget failed. */
export interface ErrorDetail {
  error: OkrApiError;
}

/** `detail` of `okr-goal-saved`: the editor saved (or copied) a goal; its card view as stored. */
export interface GoalSavedDetail {
  goal: Goal;
}

/** `detail` of `okr-goal-deleted`: the editor deleted this goal. */
export interface GoalDeletedDetail {
  goalId: string;
}

/** `detail` of `okr-cancel`: the user left the editor without saving; null when creating. */
export interface CancelDetail {
  goalId: string | null;
}

/** Every event the widgets fire, so `addEventListener('okr-goal-select', …)` type-checks. */
export interface OkrEventMap {
  'okr-goal-select': CustomEvent<GoalSelectDetail>;
  'okr-check-in-submitted': CustomEvent<CheckInSubmittedDetail>;
  'okr-error': CustomEvent<ErrorDetail>;
  'okr-goal-saved': CustomEvent<GoalSavedDetail>;
  'okr-goal-deleted': CustomEvent<GoalDeletedDetail>;
  'okr-cancel': CustomEvent<CancelDetail>;
}

type DetailOf<K extends keyof OkrEventMap> =
  OkrEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Fires one of the widget events: bubbling and composed, so hosts can listen on any ancestor. */
export function emit<K extends keyof OkrEventMap>(
  target: EventTarget,
  type: K,
  detail: DetailOf<K>,
): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/**
 * Hears a widget event from anywhere on the page while `host` is connected, and lets go when it
 * leaves, so that the document does not keep a removed widget alive.
 */
export function listenOnPage<K extends keyof OkrEventMap>(
  host: ReactiveControllerHost,
  type: K,
  listener: (event: OkrEventMap[K]) => void,
): void {
  host.addController({
    hostConnected: () => document.addEventListener(type, listener),
    hostDisconnected: () => document.removeEventListener(type, listener),
  });
}

declare global {
  // Declaration merging needs an interface; its members come from OkrEventMap.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends OkrEventMap {}
  // Events are composed and bubble, so hosts listen on the document or window as well.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DocumentEventMap extends OkrEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface WindowEventMap extends OkrEventMap {}
}
