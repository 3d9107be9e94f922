import { keyResultProgress, LIMITS, type ProgressHistory } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import { notFound } from '../../lib/errors.js';
import type { CheckInsRepository } from '../check-ins/check-ins.repository.js';
import type { GoalsRepository } from '../goals/goals.repository.js';
import type { KeyResultsRepository } from '../key-results/key-results.repository.js';

export interface ProgressHistoryDeps {
  goals: GoalsRepository;
  keyResults: KeyResultsRepository;
  checkIns: CheckInsRepository;
}

/**
 * Progress over a timeframe, oldest point first, at most `LIMITS.historyPoints` points (the
 * newest ones): a key result's from its check-ins, its progress recomputed with the key
 * result's kind, start and target as they are now; a goal's from the rows its roll-ups stored.
 */
export function createProgressHistoryService({ goals, keyResults, checkIns }: ProgressHistoryDeps) {
  return {
    async keyResultHistory(auth: AuthContext, id: string): Promise<ProgressHistory> {
      const kr = await keyResults.findKeyResult(auth.org.id, id);
      if (!kr) throw notFound('Key result');
      const [goal, newestFirst] = await Promise.all([
        goals.findGoal(auth.org.id, kr.goalId),
        checkIns.listForKeyResult(id, undefined, LIMITS.historyPoints),
      ]);
      if (!goal) throw notFound('Key result');
      const progressAt = (current: number) =>
        keyResultProgress({ kind: kr.kind, start: kr.start, target: kr.target, current });
      return {
        subject: {
          type: 'key-result',
          id: kr.id,
          title: kr.title,
          kind: kr.kind,
          start: kr.start,
          target: kr.target,
          unit: kr.unit,
        },
        timeframe: goal.timeframe,
        initial: { progress: progressAt(kr.start), value: kr.start },
        points: newestFirst.reverse().map((checkIn) => ({
          at: checkIn.createdAt,
          progress: progressAt(checkIn.value),
          status: checkIn.status,
          value: checkIn.value,
          author: checkIn.author,
          comment: checkIn.comment,
        })),
      };
    },

    async goalHistory(auth: AuthContext, id: string): Promise<ProgressHistory> {
      const goal = await goals.findGoal(auth.org.id, id);
      if (!goal) throw notFound('Goal');
      const rows = await goals.historyOf(auth.org.id, id, LIMITS.historyPoints);
      return {
        subject: { type: 'goal', id: goal.id, title: goal.title },
        timeframe: goal.timeframe,
        initial: { progress: 0 },
        points: rows.map((row) => ({
          at: new Date(row.recordedAt).toISOString(),
          progress: row.progress,
          status: row.status,
        })),
      };
    },
  };
}

export type ProgressHistoryService = ReturnType<typeof createProgressHistoryService>;
