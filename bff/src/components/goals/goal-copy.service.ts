import {
  goalSummary,
  keyResultProgress,
  LIMITS,
  type CopyGoalResult,
  type ProgressStatus,
} from '@okr-embed/contract';
import { randomUUID } from 'node:crypto';
import type { AuthContext } from '../../lib/auth.js';
import type { Changes } from '../../lib/changes.js';
import type { Database } from '../../lib/db.js';
import { forbidden, notFound } from '../../lib/errors.js';
import type { KeyResultsRepository } from '../key-results/key-results.repository.js';
import type { TimeframesRepository } from '../timeframes/timeframes.repository.js';
import type { GoalCard } from './goal-card.js';
import type { GoalCopyRepository, NewGoalCopy } from './goal-copy.repository.js';
import { ownsGoal } from './goal-rules.js';
import type { GoalsRepository } from './goals.repository.js';
import type { GoalChains } from './goals.propagation.js';
import type { CopyGoalBody } from './goals.schema.js';

export interface GoalCopyServiceDeps {
  db: Database;
  copies: GoalCopyRepository;
  goals: GoalsRepository;
  keyResults: KeyResultsRepository;
  timeframes: TimeframesRepository;
  chains: GoalChains;
  goalCard: GoalCard;
  changes: Changes;
}

/**
 * Carry-over: a goal (and, if asked, the goals aligned below it) copied into another timeframe
 * as a fresh start. The copies keep titles, owners, teams, sources and key results in their
 * order; values go back to each key result's start, with no check-ins. The root copy stays
 * aligned where the original was, each other copy under its parent's copy.
 */
export function createGoalCopyService(deps: GoalCopyServiceDeps) {
  const { db, copies, goals, keyResults, timeframes, chains, goalCard, changes } = deps;

  return {
    async copyGoal(auth: AuthContext, id: string, body: CopyGoalBody): Promise<CopyGoalResult> {
      const orgId = auth.org.id;
      const initiativesCount = auth.org.settings.initiativesCount;
      const made = await db.transaction(async (tx) => {
        const tree = await copies.treeOf(
          orgId,
          id,
          body.includeChildren,
          LIMITS.alignmentDepthMax,
          tx,
        );
        const root = tree[0];
        if (!root) throw notFound('Goal');
        if (!(await timeframes.findTimeframe(orgId, body.timeframeId, tx)))
          throw notFound('Timeframe');
        if (tree.some((goal) => !ownsGoal(auth, goal)))
          throw forbidden('You may copy goals you or your teams own');
        // The original's parent gains a child: its chain is locked before anything is written.
        const chain = root.parentId ? await chains.lock(orgId, [root.parentId], tx) : null;
        if (root.parentId && !chain?.goals.has(root.parentId)) throw notFound('Parent goal');

        const copyOf = new Map(tree.map((goal) => [goal.id, randomUUID()]));
        const sourceKrs = await keyResults.listForGoals(orgId, [...copyOf.keys()], tx);
        const krs = sourceKrs.map((kr) => {
          const values = { kind: kr.kind, start: kr.start, target: kr.target, current: kr.start };
          return {
            orgId,
            goalId: copyOf.get(kr.goalId) as string,
            title: kr.title,
            ...values,
            unit: kr.unit,
            weight: kr.weight,
            ownerId: kr.ownerId,
            progress: keyResultProgress(values),
          };
        });
        // Deepest first, so each copy's number comes from its copied children's.
        const start = new Map<string, { progress: number; status: ProgressStatus }>();
        for (const goal of [...tree].reverse()) {
          const copyId = copyOf.get(goal.id) as string;
          start.set(
            copyId,
            goalSummary({
              source: goal.progressSource,
              keyResults: krs
                .filter((kr) => kr.goalId === copyId)
                .map((kr) => ({ ...kr, status: 'not_started' as const })),
              children: tree
                .filter((child) => child.parentId === goal.id && child !== root)
                .map((child) => start.get(copyOf.get(child.id) as string))
                .filter((value) => value !== undefined),
              initiativesCount,
            }),
          );
        }
        const rows: NewGoalCopy[] = tree.map((goal) => {
          const copyId = copyOf.get(goal.id) as string;
          const initial = start.get(copyId) as { progress: number; status: ProgressStatus };
          return {
            ...goal,
            id: copyId,
            orgId,
            timeframeId: body.timeframeId,
            parentId: goal === root ? goal.parentId : (copyOf.get(goal.parentId ?? '') ?? null),
            ...initial,
          };
        });
        const now = Date.now();
        const started = rows
          .filter((row) => row.progress !== 0 || row.status !== 'not_started')
          .map((row) => ({ id: row.id, progress: row.progress, status: row.status }));
        await db.inOrder([
          () => copies.insertGoals(rows, now, tx),
          () => keyResults.insertKeyResults(krs, tx),
          () =>
            started.length > 0 ? goals.recordHistory(orgId, started, now, tx) : Promise.resolve(),
        ]);
        if (chain) await chains.propagateFor(auth, chain, tx);
        return tree.map((goal) => ({ sourceId: goal.id, id: copyOf.get(goal.id) as string }));
      });
      await changes.committed(auth.org.id);
      const first = made[0] as { id: string };
      return { goal: await goalCard(auth, first.id), copies: made };
    },
  };
}

export type GoalCopyService = ReturnType<typeof createGoalCopyService>;
