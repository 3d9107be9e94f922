import { hasScope, type AuthContext } from '../../lib/auth.js';
import { conflict } from '../../lib/errors.js';
import type { KeyResultRecord } from '../key-results/key-results.repository.js';

/*
 * Who may change a goal or its key results, and when an edit is stale: the goals, key-results
 * and check-ins services all decide by these, so the rules live here and not in one of them.
 */

/** okr:write and okr:checkin act on goals the user owns or a team of the user owns. */
export function ownsGoal(
  auth: AuthContext,
  goal: { ownerId: string | null; teamId: string | null },
): boolean {
  return (
    hasScope(auth, 'okr:admin') ||
    goal.ownerId === auth.user.id ||
    (goal.teamId !== null && auth.teams.some((team) => team.id === goal.teamId))
  );
}

/**
 * A key result's owner, or whoever may edit its goal, may edit it or check in on it. The goal
 * is the one its writer locked with the chain, so deciding reads nothing more.
 */
export function ownsKeyResult(
  auth: AuthContext,
  kr: KeyResultRecord,
  goal: { ownerId: string | null; teamId: string | null },
): boolean {
  return kr.ownerId === auth.user.id || ownsGoal(auth, goal);
}

export function requireVersion(expected: number, actual: number) {
  if (expected !== actual) {
    throw conflict('version_conflict', 'The goal or key result changed since you loaded it', {
      currentVersion: actual,
    });
  }
}
