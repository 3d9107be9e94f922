import { goalSummary } from '@okr-embed/contract';
import type { Tx } from '../../lib/db.js';
import type { GoalsRepository } from './goals.repository.js';
import type { KeyResultsRepository } from '../key-results/key-results.repository.js';

/**
 * Progress propagation: recomputes a goal's cached progress and status, then each ancestor's
 * while the ancestor's number depends on its children and something changed. Runs inside the
 * caller's transaction; each goal's row is locked before it is read, bottom-up, so concurrent
 * propagations through a shared ancestor queue instead of overwriting each other.
 */
export function createProgressPropagation(
  goals: GoalsRepository,
  keyResults: KeyResultsRepository,
) {
  return async function propagateProgress(
    orgId: string,
    goalId: string,
    initiativesCount: boolean,
    tx: Tx,
  ) {
    let id: string | null = goalId;
    while (id) {
      const goal = await goals.lockGoal(orgId, id, tx);
      if (!goal) return;
      const current = await goals.findGoal(orgId, id, tx);
      if (!current) return;
      const krs =
        goal.progressSource === 'aligned_goals' ? [] : await keyResults.listForGoal(orgId, id, tx);
      const children =
        goal.progressSource === 'key_results' ? [] : await goals.childRefs(orgId, id, tx);
      const { progress, status } = goalSummary({
        source: goal.progressSource,
        keyResults: krs,
        children,
        initiativesCount,
      });
      if (progress === current.progress && status === current.status) return;
      await goals.setProgress(id, progress, status, tx);
      if (!goal.parentId) return;
      const parent = await goals.lockGoal(orgId, goal.parentId, tx);
      if (!parent || parent.progressSource === 'key_results') return;
      id = parent.id;
    }
  };
}

export type PropagateProgress = ReturnType<typeof createProgressPropagation>;
