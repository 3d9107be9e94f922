import { randomUUID } from 'node:crypto';
import type {
  GoalLevel,
  GoalRef,
  GoalSummary,
  ProgressSource,
  ProgressStatus,
} from '@okr-embed/contract';
import type { Database, Tx } from '../../lib/db.js';
import { goalSearch } from './goal-search.js';

/** A goal as stored, with the summaries a card and a list row show. */
export interface GoalRecord extends GoalSummary {
  orgId: string;
  description: string | null;
  progressSource: ProgressSource;
  archived: boolean;
  ownerId: string | null;
  teamId: string | null;
  createdAt: number;
}

export interface GoalFilters {
  ownerId?: string;
  teamId?: string;
  teamKey?: string;
  timeframeId?: string;
  level?: GoalLevel;
  status?: ProgressStatus;
  parentId?: string | null;
  q?: string;
  after?: [number, string];
  limit: number;
}

export interface NewGoal {
  orgId: string;
  title: string;
  description: string | null;
  level: GoalLevel;
  ownerId: string | null;
  teamId: string | null;
  timeframeId: string;
  parentId: string | null;
  progressSource: ProgressSource;
}

export type GoalChanges = Partial<
  Pick<
    NewGoal,
    | 'title'
    | 'description'
    | 'level'
    | 'ownerId'
    | 'teamId'
    | 'timeframeId'
    | 'parentId'
    | 'progressSource'
  >
> & { archived?: boolean };

interface GoalRow {
  id: string;
  org_id: string;
  title: string;
  description: string | null;
  level: GoalLevel;
  status: ProgressStatus;
  progress: number;
  progress_source: ProgressSource;
  archived: number | boolean;
  parent_id: string | null;
  owner_id: string | null;
  owner_name: string | null;
  owner_avatar: string | null;
  team_id: string | null;
  team_key: string | null;
  team_name: string | null;
  timeframe_id: string;
  tf_name: string;
  start_date: string;
  end_date: string;
  child_count: number;
  kr_count: number;
  version: number;
  created_at: number;
  updated_at: number;
}

const goalSelect = `
  SELECT g.id, g.org_id, g.title, g.description, g.level, g.status, g.progress, g.progress_source,
         g.archived, g.parent_id, g.owner_id, u.name AS owner_name, u.avatar_url AS owner_avatar,
         g.team_id, t.team_key, t.name AS team_name,
         g.timeframe_id, tf.name AS tf_name, tf.start_date, tf.end_date,
         (SELECT COUNT(*) FROM goals c WHERE c.parent_id = g.id AND c.deleted_at IS NULL) AS child_count,
         (SELECT COUNT(*) FROM key_results k WHERE k.goal_id = g.id AND k.deleted_at IS NULL) AS kr_count,
         g.version, g.created_at, g.updated_at
  FROM goals g
  JOIN timeframes tf ON tf.id = g.timeframe_id
  LEFT JOIN users u ON u.id = g.owner_id
  LEFT JOIN teams t ON t.id = g.team_id`;

function toGoal(row: GoalRow): GoalRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    title: row.title,
    description: row.description,
    level: row.level,
    status: row.status,
    progress: Number(row.progress),
    progressSource: row.progress_source,
    archived: Boolean(row.archived),
    parentId: row.parent_id,
    ownerId: row.owner_id,
    owner: row.owner_id
      ? { id: row.owner_id, name: row.owner_name ?? '', avatarUrl: row.owner_avatar }
      : null,
    teamId: row.team_id,
    team: row.team_id
      ? { id: row.team_id, key: row.team_key ?? '', name: row.team_name ?? '' }
      : null,
    timeframe: {
      id: row.timeframe_id,
      name: row.tf_name,
      startDate: row.start_date,
      endDate: row.end_date,
    },
    childCount: Number(row.child_count),
    keyResultCount: Number(row.kr_count),
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

const columnOf: Record<keyof GoalChanges, string> = {
  title: 'title',
  description: 'description',
  level: 'level',
  ownerId: 'owner_id',
  teamId: 'team_id',
  timeframeId: 'timeframe_id',
  parentId: 'parent_id',
  progressSource: 'progress_source',
  archived: 'archived',
};

export function createGoalsRepository(db: Database) {
  return {
    async findGoal(orgId: string, id: string, tx?: Tx): Promise<GoalRecord | null> {
      const [row] = await db.select<GoalRow>(
        `${goalSelect} WHERE g.org_id = :orgId AND g.id = :id AND g.deleted_at IS NULL`,
        { orgId, id },
        tx,
      );
      return row ? toGoal(row) : null;
    },

    /** Takes the goal's row lock (MySQL) so progress propagation and edits of one goal queue up. */
    async lockGoal(
      orgId: string,
      id: string,
      tx: Tx,
    ): Promise<{
      id: string;
      parentId: string | null;
      progressSource: ProgressSource;
      version: number;
    } | null> {
      const [row] = await db.select<{
        id: string;
        parent_id: string | null;
        progress_source: ProgressSource;
        version: number;
      }>(
        `SELECT id, parent_id, progress_source, version FROM goals
         WHERE org_id = :orgId AND id = :id AND deleted_at IS NULL${db.forUpdate}`,
        { orgId, id },
        tx,
      );
      return row
        ? {
            id: row.id,
            parentId: row.parent_id,
            progressSource: row.progress_source,
            version: Number(row.version),
          }
        : null;
    },

    async listGoals(orgId: string, f: GoalFilters): Promise<GoalRecord[]> {
      const where = ['g.org_id = :orgId', 'g.deleted_at IS NULL', 'g.archived = :no'];
      const params: Record<string, unknown> = { orgId, no: false, limit: f.limit };
      const add = (clause: string, values: Record<string, unknown>) => {
        where.push(clause);
        Object.assign(params, values);
      };
      if (f.ownerId !== undefined) add('g.owner_id = :ownerId', { ownerId: f.ownerId });
      if (f.teamId !== undefined) add('g.team_id = :teamId', { teamId: f.teamId });
      if (f.teamKey !== undefined) add('t.team_key = :teamKey', { teamKey: f.teamKey });
      if (f.timeframeId !== undefined)
        add('g.timeframe_id = :timeframeId', { timeframeId: f.timeframeId });
      if (f.level !== undefined) add('g.level = :level', { level: f.level });
      if (f.status !== undefined) add('g.status = :status', { status: f.status });
      if (f.parentId === null) where.push('g.parent_id IS NULL');
      else if (f.parentId !== undefined) add('g.parent_id = :parentId', { parentId: f.parentId });
      if (f.q !== undefined) {
        const search = goalSearch(db.dialect, f.q);
        add(search.clause, search.params);
      }
      if (f.after) {
        add('(g.created_at > :afterAt OR (g.created_at = :afterAt AND g.id > :afterId))', {
          afterAt: f.after[0],
          afterId: f.after[1],
        });
      }
      const rows = await db.select<GoalRow>(
        `${goalSelect} WHERE ${where.join(' AND ')} ORDER BY g.created_at, g.id LIMIT :limit`,
        params,
      );
      return rows.map(toGoal);
    },

    async childRefs(
      orgId: string,
      parentId: string,
      tx?: Tx,
    ): Promise<Array<GoalRef & { progressSource: ProgressSource }>> {
      const rows = await db.select<{
        id: string;
        title: string;
        level: GoalLevel;
        status: ProgressStatus;
        progress: number;
        progress_source: ProgressSource;
      }>(
        `SELECT id, title, level, status, progress, progress_source FROM goals
         WHERE org_id = :orgId AND parent_id = :parentId AND deleted_at IS NULL
         ORDER BY created_at, id`,
        { orgId, parentId },
        tx,
      );
      return rows.map((row) => ({
        id: row.id,
        title: row.title,
        level: row.level,
        status: row.status,
        progress: Number(row.progress),
        progressSource: row.progress_source,
      }));
    },

    /** Every ancestor id of a goal, nearest first, in one recursive statement. */
    async ancestorIds(orgId: string, id: string, tx?: Tx): Promise<string[]> {
      const rows = await db.select<{ id: string }>(
        `WITH RECURSIVE up (id, parent_id, hops) AS (
           SELECT id, parent_id, 0 FROM goals WHERE org_id = :orgId AND id = :id
           UNION ALL
           SELECT g.id, g.parent_id, up.hops + 1 FROM goals g JOIN up ON g.id = up.parent_id
           WHERE g.org_id = :orgId AND up.hops < 1000
         )
         SELECT id FROM up WHERE hops > 0 ORDER BY hops`,
        { orgId, id },
        tx,
      );
      return rows.map((row) => row.id);
    },

    async insertGoal(goal: NewGoal, tx: Tx): Promise<string> {
      const id = randomUUID();
      const now = Date.now();
      await db.execute(
        `INSERT INTO goals (id, org_id, title, description, level, owner_id, team_id, timeframe_id,
           parent_id, progress_source, status, progress, version, archived, created_at, updated_at)
         VALUES (:id, :orgId, :title, :description, :level, :ownerId, :teamId, :timeframeId,
           :parentId, :progressSource, 'not_started', 0, 1, :no, :now, :now)`,
        { id, ...goal, no: false, now },
        tx,
      );
      return id;
    },

    async updateGoal(orgId: string, id: string, changes: GoalChanges, tx: Tx): Promise<void> {
      const sets = Object.keys(changes).map(
        (key) => `${columnOf[key as keyof GoalChanges]} = :${key}`,
      );
      await db.execute(
        `UPDATE goals SET ${[...sets, 'version = version + 1', 'updated_at = :now'].join(', ')}
         WHERE org_id = :orgId AND id = :id`,
        { ...changes, orgId, id, now: Date.now() },
        tx,
      );
    },

    /** Progress propagated from below; not an edit, so the version stays. */
    async setProgress(id: string, progress: number, status: ProgressStatus, tx: Tx): Promise<void> {
      await db.execute(
        'UPDATE goals SET progress = :progress, status = :status, updated_at = :now WHERE id = :id',
        { id, progress, status, now: Date.now() },
        tx,
      );
    },

    async softDelete(orgId: string, id: string, tx: Tx): Promise<void> {
      const now = Date.now();
      await db.execute(
        'UPDATE goals SET deleted_at = :now, updated_at = :now, version = version + 1 WHERE org_id = :orgId AND id = :id',
        { orgId, id, now },
        tx,
      );
      // Its key results go with it: they are reachable by their own ids otherwise.
      await db.execute(
        'UPDATE key_results SET deleted_at = :now, updated_at = :now WHERE org_id = :orgId AND goal_id = :id AND deleted_at IS NULL',
        { orgId, id, now },
        tx,
      );
    },
  };
}

export type GoalsRepository = ReturnType<typeof createGoalsRepository>;
