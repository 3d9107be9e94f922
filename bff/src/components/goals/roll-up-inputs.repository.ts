import type { GoalLevel, ProgressStatus } from '@okr-embed/contract';
import type { Database, Tx } from '../../lib/db.js';
import {
  toKeyResult,
  type KeyResultRecord,
  type KeyResultRow,
} from '../key-results/key-results.repository.js';
import type { ChildGoal } from './goals.repository.js';

type InputRow = KeyResultRow & {
  row_type: 'goal' | 'kr';
  level: GoalLevel | null;
  archived: number | boolean;
};

/**
 * What a roll-up reads behind the chain's lock — the chain's live key results and its goals'
 * live children — in ONE statement: a check-in's budget is 12 statements (issue 12), and its
 * history row (issue 14) took the one the second read used to. The two row kinds share the
 * key result's columns; a child's parent rides in `goal_id`.
 */
export function createRollUpInputsRepository(db: Database) {
  return {
    async read(
      orgId: string,
      goalIds: string[],
      tx: Tx,
    ): Promise<{ keyResults: KeyResultRecord[]; children: ChildGoal[] }> {
      const rows = await db.select<InputRow>(
        `SELECT 'kr' AS row_type, k.id, k.org_id, k.goal_id, k.title, k.kind, k.start_value,
                k.target_value, k.current_value, k.unit, k.weight, k.owner_id,
                u.name AS owner_name, u.avatar_url AS owner_avatar, k.status, k.progress,
                k.version, k.updated_at, NULL AS level, 0 AS archived, k.position AS pos,
                k.created_at
         FROM key_results k LEFT JOIN users u ON u.id = k.owner_id
         WHERE k.org_id = :orgId AND k.goal_id IN (:goalIds) AND k.deleted_at IS NULL
         UNION ALL
         SELECT 'goal', id, org_id, parent_id, title, NULL, 0, 0, 0, NULL, 0, NULL, NULL, NULL,
                status, progress, version, updated_at, level, archived, 0, created_at
         FROM goals WHERE org_id = :orgId AND parent_id IN (:goalIds) AND deleted_at IS NULL
         ORDER BY row_type, goal_id, pos, created_at, id`,
        { orgId, goalIds },
        tx,
      );
      const keyResults: KeyResultRecord[] = [];
      const children: ChildGoal[] = [];
      for (const row of rows) {
        if (row.row_type === 'kr') keyResults.push(toKeyResult(row));
        else
          children.push({
            id: row.id,
            parentId: row.goal_id,
            title: row.title,
            level: row.level as GoalLevel,
            status: row.status as ProgressStatus,
            progress: Number(row.progress),
            archived: Boolean(Number(row.archived)),
          });
      }
      return { keyResults, children };
    },
  };
}
