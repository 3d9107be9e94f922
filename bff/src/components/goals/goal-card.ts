import type { CheckIn, Goal, GoalRef, GoalSummary, KeyResult } from '@okr-embed/contract';
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

/** A goal as a card shows it: a parent or child reduced to what links to it. */
const goalRef = ({ id, title, level, status, progress }: GoalRef): GoalRef => ({
  id,
  title,
  level,
  status,
  progress,
});

export interface CardParts {
  goal: Omit<GoalRecord, 'childCount' | 'keyResultCount'>;
  keyResults: KeyResultRecord[];
  parent: GoalRef | null;
  /** The goal's live, unarchived children, in creation order: they are what counts. */
  children: GoalRef[];
  lastCheckIn: CheckIn | null;
  initiativesCount: boolean;
}

/** The card from parts in hand: a check-in has them all after its roll-up, and reads none. */
export function cardOf(parts: CardParts): Goal {
  const { goal, keyResults, children } = parts;
  return {
    ...goalSummary({ ...goal, childCount: children.length, keyResultCount: keyResults.length }),
    description: goal.description,
    progressSource: goal.progressSource,
    archived: goal.archived,
    keyResults: keyResults.map(publicKeyResult),
    parent: parts.parent ? goalRef(parts.parent) : null,
    children: children.map(goalRef),
    lastCheckIn: parts.lastCheckIn,
    initiativesCount: parts.initiativesCount,
  };
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
    return cardOf({
      goal,
      keyResults: krs,
      parent,
      children,
      lastCheckIn,
      initiativesCount: auth.org.settings.initiativesCount,
    });
  };
}

export type GoalCard = ReturnType<typeof createGoalCard>;
