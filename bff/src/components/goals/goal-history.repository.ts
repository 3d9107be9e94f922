import { randomUUID } from 'node:crypto';
import type { ProgressStatus } from '@okr-embed/contract';
import { bulkInsert } from '../../lib/bulk-insert.js';
import type { Database, Tx } from '../../lib/db.js';

export interface GoalHistoryRow {
  progress: number;
  status: ProgressStatus;
  recordedAt: number;
}

/**
 * A goal's stored progress history: one row each time its progress or status moved, written
 * by the roll-up in the transaction that moved it, so the history is never recomputed.
 */
export function createGoalHistoryRepository(db: Database) {
  return {
    /** One statement for every goal that moved (the roll-up's `moved` list). */
    async record(
      orgId: string,
      moved: Array<{ id: string; progress: number; status: ProgressStatus }>,
      now: number,
      tx: Tx,
    ): Promise<void> {
      await bulkInsert(
        db,
        'goal_progress_history',
        moved.map((goal) => ({
          id: randomUUID(),
          org_id: orgId,
          goal_id: goal.id,
          progress: goal.progress,
          status: goal.status,
          recorded_at: now,
        })),
        tx,
      );
    },

    /** The newest `limit` rows, answered oldest first. */
    async latest(orgId: string, goalId: string, limit: number): Promise<GoalHistoryRow[]> {
      const rows = await db.select<{
        progress: number;
        status: ProgressStatus;
        recorded_at: number;
      }>(
        `SELECT progress, status, recorded_at FROM goal_progress_history
         WHERE org_id = :orgId AND goal_id = :goalId
         ORDER BY recorded_at DESC, id DESC LIMIT :limit`,
        { orgId, goalId, limit },
      );
      return rows.reverse().map((row) => ({
        progress: Number(row.progress),
        status: row.status,
        recordedAt: Number(row.recorded_at),
      }));
    },
  };
}

export type GoalHistoryRepository = ReturnType<typeof createGoalHistoryRepository>;
