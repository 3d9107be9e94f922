import type { Goal, GoalSummary, KeyResult } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import type { Tx } from '../../lib/db.js';
import { notFound } from '../../lib/errors.js';
import type { CheckInsRepository } from '../check-ins/check-ins.repository.js';
import type {
  KeyResultRecord,
  KeyResultsRepository,
} from '../key-results/key-results.repository.js';
import type { GoalRecord, GoalsRepository } from './goals.repository.js';

/*
 * The views of a goal and its key results as the API answers them. A goal's write answers with
 * its card, and so does a check-in on one of its key results: both services build it here.
 */

/** A key result without what stays on the server (its org, its owner's id). */
export const publicKeyResult = ({ orgId: _o, ownerId: _w, ...kr }: KeyResultRecord): KeyResult =>
  kr;

export function goalSummary(goal: GoalRecord): GoalSummary {
  const {
    orgId: _o,
    description: _d,
    progressSource: _p,
    archived: _a,
    ownerId: _w,
    teamId: _t,
    createdAt: _c,
    ...summary
  } = goal;
  return summary;
}

export interface GoalCardDeps {
  goals: GoalsRepository;
  keyResults: KeyResultsRepository;
  checkIns: CheckInsRepository;
}

export function createGoalCard({ goals, keyResults, checkIns }: GoalCardDeps) {
  /** The goal with its key results, parent, children and last check-in, read in `tx` if given. */
  return async function goalCard(auth: AuthContext, id: string, tx?: Tx): Promise<Goal> {
    const goal = await goals.findGoal(auth.org.id, id, tx);
    if (!goal) throw notFound('Goal');
    const [krs, parent, children, lastCheckIn] = await Promise.all([
      keyResults.listForGoal(auth.org.id, id, tx),
      goal.parentId ? goals.findGoal(auth.org.id, goal.parentId, tx) : Promise.resolve(null),
      goals.childRefs(auth.org.id, id, tx),
      checkIns.lastForGoal(auth.org.id, id, tx),
    ]);
    return {
      ...goalSummary(goal),
      description: goal.description,
      progressSource: goal.progressSource,
      archived: goal.archived,
      keyResults: krs.map(publicKeyResult),
      parent: parent
        ? {
            id: parent.id,
            title: parent.title,
            level: parent.level,
            status: parent.status,
            progress: parent.progress,
          }
        : null,
      children: children.map(({ progressSource: _p, ...child }) => child),
      lastCheckIn,
      initiativesCount: auth.org.settings.initiativesCount,
    };
  };
}

export type GoalCard = ReturnType<typeof createGoalCard>;
