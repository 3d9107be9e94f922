import type { GoalLevel, ProgressSource, ProgressStatus } from '@okr-embed/contract';
import type { Database, Tx } from '../../lib/db.js';
import { bulkInsert } from '../../lib/bulk-insert.js';

/** A goal of the tree a copy starts from, with what the copy keeps of it. */
export interface CopiedGoal {
  id: string;
  parentId: string | null;
  title: string;
  description: string | null;
  level: GoalLevel;
  ownerId: string | null;
  teamId: string | null;
  progressSource: ProgressSource;
  /** Steps below the goal the copy was asked for (0 for it). */
  depth: number;
}

export interface NewGoalCopy extends Omit<CopiedGoal, 'depth'> {
  orgId: string;
  timeframeId: string;
  progress: number;
  status: ProgressStatus;
}

/** Carry-over's reads and writes: the tree below a goal, and many goals in one statement. */
export function createGoalCopyRepository(db: Database) {
  return {
    /**
     * The goal and, with `withChildren`, every live unarchived goal aligned below it, in one
     * recursive statement; parents before their children, siblings in creation order.
     */
    async treeOf(
      orgId: string,
      id: string,
      withChildren: boolean,
      maxDepth: number,
      tx: Tx,
    ): Promise<CopiedGoal[]> {
      const rows = await db.select<{
        id: string;
        parent_id: string | null;
        title: string;
        description: string | null;
        level: GoalLevel;
        owner_id: string | null;
        team_id: string | null;
        progress_source: ProgressSource;
        depth: number;
      }>(
        `WITH RECURSIVE tree (id, depth) AS (
           SELECT id, 0 FROM goals WHERE org_id = :orgId AND id = :id AND deleted_at IS NULL
           UNION ALL
           SELECT g.id, tree.depth + 1 FROM goals g JOIN tree ON g.parent_id = tree.id
           WHERE :withChildren = 1 AND g.org_id = :orgId AND g.deleted_at IS NULL
             AND g.archived = 0 AND tree.depth < :maxDepth
         )
         SELECT g.id, g.parent_id, g.title, g.description, g.level, g.owner_id, g.team_id,
                g.progress_source, tree.depth
         FROM tree JOIN goals g ON g.id = tree.id
         ORDER BY tree.depth, g.created_at, g.id`,
        { orgId, id, withChildren: withChildren ? 1 : 0, maxDepth },
        tx,
      );
      const seen = new Set<string>();
      return rows
        .filter((row) => !seen.has(row.id) && seen.add(row.id))
        .map((row) => ({
          id: row.id,
          parentId: row.parent_id,
          title: row.title,
          description: row.description,
          level: row.level,
          ownerId: row.owner_id,
          teamId: row.team_id,
          progressSource: row.progress_source,
          depth: Number(row.depth),
        }));
    },

    /** The copies, each a millisecond after the one before, so they list in the tree's order. */
    async insertGoals(goals: NewGoalCopy[], now: number, tx: Tx): Promise<void> {
      await bulkInsert(
        db,
        'goals',
        goals.map((goal, i) => ({
          id: goal.id,
          org_id: goal.orgId,
          title: goal.title,
          description: goal.description,
          level: goal.level,
          owner_id: goal.ownerId,
          team_id: goal.teamId,
          timeframe_id: goal.timeframeId,
          parent_id: goal.parentId,
          progress_source: goal.progressSource,
          status: goal.status,
          progress: goal.progress,
          version: 1,
          archived: false,
          created_at: now + i,
          updated_at: now,
        })),
        tx,
      );
    },
  };
}

export type GoalCopyRepository = ReturnType<typeof createGoalCopyRepository>;
