/**
 * Every closed set of values the API knows, as `const` arrays: the zod schemas, the OpenAPI
 * document, the widgets, the demo data and the tests all take their lists from here, so a new
 * value is added in one place.
 */

export const GOAL_LEVELS = ['company', 'team', 'personal'] as const;
export type GoalLevel = (typeof GOAL_LEVELS)[number];

/** In order from nothing yet to done; `goalStatus` ranks them by weakness, not by this order. */
export const PROGRESS_STATUSES = [
  'not_started',
  'on_track',
  'needs_attention',
  'off_track',
  'accomplished',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const KEY_RESULT_KINDS = [
  'increase',
  'decrease',
  'stay_above',
  'stay_below',
  'boolean',
  'initiative',
] as const;
export type KeyResultKind = (typeof KEY_RESULT_KINDS)[number];

/** What a goal's progress is computed from. */
export const PROGRESS_SOURCES = ['key_results', 'aligned_goals', 'both'] as const;
export type ProgressSource = (typeof PROGRESS_SOURCES)[number];

/** The token scopes, weakest first; `okr:admin` implies nothing else by itself. */
export const SCOPES = ['okr:read', 'okr:checkin', 'okr:write', 'okr:admin'] as const;
export type Scope = (typeof SCOPES)[number];
