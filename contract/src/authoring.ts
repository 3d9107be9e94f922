/**
 * Writing OKRs from the embed: the goal editor's requests, the directory its pickers search,
 * the progress history, and carry-over to another timeframe.
 */

import type { GoalLevel, KeyResultKind, ProgressSource, ProgressStatus } from './enums.js';
import type { Goal, TimeframeSummary, UserSummary } from './views.js';

/** A key result as the editor sends it: `start`/`target` carry the kind's own meaning. */
export interface KeyResultDraft {
  title: string;
  kind: KeyResultKind;
  start?: number;
  target: number;
  unit?: string | null;
  weight?: number;
  ownerId?: string | null;
}

/**
 * `POST /goals`: a goal and its key results in one request and one transaction; a bad key
 * result leaves no goal behind. Key results keep the order they are sent in (`position`).
 */
export interface CreateGoalRequest {
  title: string;
  description?: string | null;
  level: GoalLevel;
  timeframeId: string;
  ownerId?: string | null;
  teamId?: string | null;
  parentId?: string | null;
  progressSource?: ProgressSource;
  keyResults?: KeyResultDraft[];
}

/** `POST /goals/:id/copy`: carry a goal over to another timeframe, progress reset. */
export interface CopyGoalRequest {
  timeframeId: string;
  /** Copy the goals aligned under it too (recursively); their alignment follows the copies. */
  includeChildren?: boolean;
}

export interface CopyGoalResult {
  /** The copy of the goal asked for. */
  goal: Goal;
  /** Every goal made, the first being `goal`, each with the id it was copied from. */
  copies: Array<{ sourceId: string; id: string }>;
}

/** `GET /users?q=`: a person a picker offers. `email` only for an admin token. */
export interface DirectoryUser extends UserSummary {
  externalId: string;
  email?: string | null;
}

/** `GET /teams?q=`. */
export interface DirectoryTeam {
  id: string;
  key: string;
  name: string;
  parentKey: string | null;
  memberCount: number;
}

/** `PUT /users/:externalId` (admin): provision a person before their first visit. */
export interface ProvisionUserRequest {
  name: string;
  email?: string | null;
  avatarUrl?: string | null;
  /** Team keys; replaces the person's memberships when given. */
  teams?: string[];
}

/** `PUT /teams/:key` (admin). */
export interface ProvisionTeamRequest {
  name: string;
  parentKey?: string | null;
  /** External ids of members; replaces the team's memberships when given. */
  members?: string[];
}

/** One point of a progress history: a check-in (key result) or a stored change (goal). */
export interface HistoryPoint {
  at: string;
  progress: number;
  status: ProgressStatus;
  /** The key result's value after the check-in; absent on a goal's history. */
  value?: number;
  author?: UserSummary | null;
  comment?: string | null;
}

/**
 * `GET /key-results/:id/history` and `GET /goals/:id/history`: progress over the timeframe,
 * oldest point first. Expected pace runs from 0 at `timeframe.startDate` to 1 at its end.
 */
export interface ProgressHistory {
  subject:
    | {
        type: 'key-result';
        id: string;
        title: string;
        kind: KeyResultKind;
        start: number;
        target: number;
        unit: string | null;
      }
    | { type: 'goal'; id: string; title: string };
  timeframe: TimeframeSummary;
  /** Progress before the first point (a key result's start, a goal's 0). */
  initial: { progress: number; value?: number };
  points: HistoryPoint[];
}
