import type { AlignmentNode, GoalLevel, ProgressStatus } from '@okr-embed/contract';
import type { Database } from '../../lib/db.js';

export interface AlignmentScope {
  orgId: string;
  rootId?: string;
  timeframeId?: string;
  depth: number;
}

interface NodeRow {
  id: string;
  parent_id: string | null;
  title: string;
  level: GoalLevel;
  status: ProgressStatus;
  progress: number;
  owner_id: string | null;
  owner_name: string | null;
  owner_avatar: string | null;
  depth: number;
  child_count: number;
  created_at: number;
}

export function createAlignmentRepository(db: Database) {
  return {
    /**
     * The whole (sub)tree in ONE statement: a recursive CTE walks down from the roots, the
     * outer query adds owners and child counts. Rows come back unordered; the service orders.
     */
    async treeRows({
      orgId,
      rootId,
      timeframeId,
      depth,
    }: AlignmentScope): Promise<Array<AlignmentNode & { createdAt: number }>> {
      const roots = rootId
        ? 'g.id = :rootId'
        : timeframeId
          ? 'g.parent_id IS NULL AND g.timeframe_id = :timeframeId'
          : 'g.parent_id IS NULL';
      const rows = await db.select<NodeRow>(
        `WITH RECURSIVE tree (id, depth) AS (
           SELECT g.id, 0 FROM goals g
           WHERE g.org_id = :orgId AND g.deleted_at IS NULL AND g.archived = :no AND ${roots}
           UNION ALL
           SELECT c.id, tree.depth + 1 FROM goals c JOIN tree ON c.parent_id = tree.id
           WHERE c.org_id = :orgId AND c.deleted_at IS NULL AND c.archived = :no AND tree.depth < :depth
         )
         SELECT g.id, g.parent_id, g.title, g.level, g.status, g.progress, g.owner_id,
                u.name AS owner_name, u.avatar_url AS owner_avatar, tree.depth, g.created_at,
                (SELECT COUNT(*) FROM goals k
                 WHERE k.parent_id = g.id AND k.deleted_at IS NULL AND k.archived = :no) AS child_count
         FROM tree JOIN goals g ON g.id = tree.id LEFT JOIN users u ON u.id = g.owner_id`,
        { orgId, rootId, timeframeId, depth, no: false },
      );
      return rows.map((row) => ({
        id: row.id,
        parentId: row.parent_id,
        title: row.title,
        level: row.level,
        status: row.status,
        progress: Number(row.progress),
        owner: row.owner_id
          ? { id: row.owner_id, name: row.owner_name ?? '', avatarUrl: row.owner_avatar }
          : null,
        depth: Number(row.depth),
        childCount: Number(row.child_count),
        createdAt: Number(row.created_at),
      }));
    },
  };
}

export type AlignmentRepository = ReturnType<typeof createAlignmentRepository>;
