/**
 * The JSON the BFF answers with, shaped for the widgets' views. The BFF's response schemas
 * (`bff/src/lib/views.schema.ts`) are checked against these types at compile time.
 *
 * Dates are ISO 8601 strings: `YYYY-MM-DD` for timeframe bounds, full timestamps elsewhere.
 * Numbers from DECIMAL columns arrive as JSON numbers.
 */

import type { GoalProgressPatch } from './events.js';
import type { GoalLevel, KeyResultKind, ProgressSource, ProgressStatus, Scope } from './enums.js';

export interface UserSummary {
  id: string;
  name: string;
  avatarUrl: string | null;
}

export interface TeamSummary {
  id: string;
  key: string;
  name: string;
}

export interface TimeframeSummary {
  id: string;
  name: string;
  startDate: string;
  endDate: string;
}

export interface Timeframe extends TimeframeSummary {
  /** True for the timeframe that contains today (at most one). */
  current: boolean;
}

export interface KeyResult {
  id: string;
  goalId: string;
  title: string;
  kind: KeyResultKind;
  start: number;
  target: number;
  current: number;
  /** Free text such as `%`, `EUR`, `users`; null for unit-less values. */
  unit: string | null;
  weight: number;
  owner: UserSummary | null;
  status: ProgressStatus;
  /** 0..1, from the shared progress module. */
  progress: number;
  version: number;
  updatedAt: string;
}

export interface CheckIn {
  id: string;
  keyResultId: string;
  author: UserSummary;
  value: number;
  status: ProgressStatus;
  comment: string | null;
  createdAt: string;
}

/** Enough of a goal to link to it or show it in a row. */
export interface GoalRef {
  id: string;
  title: string;
  level: GoalLevel;
  status: ProgressStatus;
  progress: number;
}

/** One row of `GET /goals`. */
export interface GoalSummary extends GoalRef {
  owner: UserSummary | null;
  team: TeamSummary | null;
  timeframe: TimeframeSummary;
  parentId: string | null;
  childCount: number;
  keyResultCount: number;
  version: number;
  updatedAt: string;
}

/** `GET /goals/:id`: everything a goal card shows, in one request. */
export interface Goal extends GoalSummary {
  description: string | null;
  progressSource: ProgressSource;
  archived: boolean;
  keyResults: KeyResult[];
  parent: GoalRef | null;
  /** Direct children (aligned goals), so the card can explain aligned-goal progress. */
  children: GoalRef[];
  lastCheckIn: CheckIn | null;
  /** The org setting: whether initiatives count toward goal progress. */
  initiativesCount: boolean;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

/** One node of `GET /alignment`: a flat list, tree order, each node after its parent. */
export interface AlignmentNode {
  id: string;
  parentId: string | null;
  title: string;
  level: GoalLevel;
  status: ProgressStatus;
  progress: number;
  owner: UserSummary | null;
  depth: number;
  childCount: number;
}

export interface Alignment {
  nodes: AlignmentNode[];
}

export interface Me {
  user: UserSummary & { externalId: string; email: string | null };
  org: { id: string; slug: string; name: string };
  teams: TeamSummary[];
  scopes: Scope[];
}

/** `POST /key-results/:id/check-ins` answers the stored check-in and what it changed. */
export interface CheckInResult {
  checkIn: CheckIn;
  keyResult: KeyResult;
  goal: Goal;
  /** Every goal whose progress or status the check-in moved, the goal and each ancestor. */
  progress: GoalProgressPatch[];
}

export interface CheckInRequest {
  value: number;
  status?: ProgressStatus;
  comment?: string;
}

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: unknown;
    requestId: string;
  };
}
