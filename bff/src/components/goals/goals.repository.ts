import { randomUUID } from 'node:crypto';
import type {
  GoalLevel,
  GoalRef,
  GoalSummary,
  ProgressSource,
  ProgressStatus,
} from '@okr-embed/contract';
import type { Database, Tx } from '../../lib/db.js';
import { createGoalHistoryRepository } from './goal-history.repository.js';
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

/** A goal on a locked chain: the record without the counts (the roll-up's reads give those). */
export type ChainGoal = Omit<GoalRecord, 'childCount' | 'keyResultCount'>;

/** What the chain's lock re-reads: what must not have moved, and what the roll-up starts from. */
export interface LockedGoal {
  id: string;
  parentId: string | null;
  version: number;
  progress: number;
  status: ProgressStatus;
}

/** A direct child of a goal on a chain; archived ones are read too (a delete must see them). */
export interface ChildGoal extends GoalRef {
  parentId: string;
  archived: boolean;
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
         (SELECT COUNT(*) FROM goals c
          WHERE c.parent_id = g.id AND c.deleted_at IS NULL AND c.archived = 0) AS child_count,
         (SELECT COUNT(*) FROM key_results k WHERE k.goal_id = g.id AND k.deleted_at IS NULL) AS kr_count,
         g.version, g.created_at, g.updated_at
  FROM goals g
  JOIN timeframes tf ON tf.id = g.timeframe_id
  LEFT JOIN users u ON u.id = g.owner_id
  LEFT JOIN teams t ON t.id = g.team_id`;

/** `goalSelect` over the recursive `chain`, without the per-row counts the roll-up reads anyway. */
const chainSelect = `
  SELECT g.id, g.org_id, g.title, g.description, g.level, g.status, g.progress, g.progress_source,
         g.archived, g.parent_id, g.owner_id, u.name AS owner_name, u.avatar_url AS owner_avatar,
         g.team_id, t.team_key, t.name AS team_name,
         g.timeframe_id, tf.name AS tf_name, tf.start_date, tf.end_date,
         0 AS child_count, 0 AS kr_count, g.version, g.created_at, g.updated_at
  FROM chain
  JOIN goals g ON g.id = chain.id
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

function toChainGoal(row: GoalRow): ChainGoal {
  const { childCount: _c, keyResultCount: _k, ...goal } = toGoal(row);
  return goal;
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
  const history = createGoalHistoryRepository(db);
  return {
    recordHistory: history.record,
    historyOf: history.latest,

    async findGoal(orgId: string, id: string, tx?: Tx): Promise<GoalRecord | null> {
      const [row] = await db.select<GoalRow>(
        `${goalSelect} WHERE g.org_id = :orgId AND g.id = :id AND g.deleted_at IS NULL`,
        { orgId, id },
        tx,
      );
      return row ? toGoal(row) : null;
    },

    /**
     * Every goal on the paths from `ids` up to their roots (the goals themselves included), in
     * one recursive statement, without locks: `lockGoals` takes them, and the caller compares.
     */
    async chainOf(
      orgId: string,
      from: { ids: string[] } | { keyResultIds: string[] },
      tx: Tx,
    ): Promise<ChainGoal[]> {
      // From key results, their goals are found in the same statement: a key result never
      // moves to another goal, so no lock is needed to trust it.
      const start =
        'ids' in from
          ? 'id IN (:ids)'
          : `id IN (SELECT k.goal_id FROM key_results k
               WHERE k.org_id = :orgId AND k.id IN (:keyResultIds) AND k.deleted_at IS NULL)`;
      const rows = await db.select<GoalRow>(
        `WITH RECURSIVE chain (id, parent_id, hops) AS (
           SELECT id, parent_id, 0 FROM goals
           WHERE org_id = :orgId AND ${start} AND deleted_at IS NULL
           UNION ALL
           SELECT g.id, g.parent_id, chain.hops + 1 FROM goals g JOIN chain ON g.id = chain.parent_id
           WHERE g.org_id = :orgId AND g.deleted_at IS NULL AND chain.hops < 1000
         )
         ${chainSelect}`,
        { orgId, ...from },
        tx,
      );
      const seen = new Map<string, ChainGoal>();
      for (const row of rows) if (!seen.has(row.id)) seen.set(row.id, toChainGoal(row));
      return [...seen.values()];
    },

    /**
     * The live goals `ids` of the org, each as `chainOf` reads it, without walking to the roots:
     * for a chain whose goals are already known (and locked), to read them as they now are.
     */
    async chainGoals(orgId: string, ids: string[], tx: Tx): Promise<ChainGoal[]> {
      if (ids.length === 0) return [];
      const rows = await db.select<GoalRow>(
        `WITH chain (id) AS (
           SELECT id FROM goals WHERE org_id = :orgId AND id IN (:ids) AND deleted_at IS NULL
         )
         ${chainSelect}`,
        { orgId, ids },
        tx,
      );
      return rows.map(toChainGoal);
    },

    /**
     * Locks the goals (MySQL) in one statement, ascending by id: every writer of a chain locks
     * in this order, so two of them never hold each other's rows. Re-reads what the caller must
     * compare with what it read before locking.
     */
    async lockGoals(orgId: string, ids: string[], tx: Tx): Promise<LockedGoal[]> {
      const rows = await db.select<{
        id: string;
        parent_id: string | null;
        version: number;
        progress: number;
        status: ProgressStatus;
      }>(
        `SELECT id, parent_id, version, progress, status FROM goals
         WHERE org_id = :orgId AND id IN (:ids) AND deleted_at IS NULL
         ORDER BY id${db.forUpdate}`,
        { orgId, ids },
        tx,
      );
      return rows.map((row) => ({
        id: row.id,
        parentId: row.parent_id,
        version: Number(row.version),
        progress: Number(row.progress),
        status: row.status,
      }));
    },

    /** The live children of several goals in one statement, each goal's in creation order. */
    async childrenOf(orgId: string, parentIds: string[], tx: Tx): Promise<ChildGoal[]> {
      const rows = await db.select<{
        id: string;
        parent_id: string;
        title: string;
        level: GoalLevel;
        status: ProgressStatus;
        progress: number;
        archived: number | boolean;
      }>(
        `SELECT id, parent_id, title, level, status, progress, archived FROM goals
         WHERE org_id = :orgId AND parent_id IN (:parentIds) AND deleted_at IS NULL
         ORDER BY created_at, id`,
        { orgId, parentIds },
        tx,
      );
      return rows.map((row) => ({
        id: row.id,
        parentId: row.parent_id,
        title: row.title,
        level: row.level,
        status: row.status,
        progress: Number(row.progress),
        archived: Boolean(row.archived),
      }));
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
         WHERE org_id = :orgId AND parent_id = :parentId AND deleted_at IS NULL AND archived = 0
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

    /** A new goal, at the progress its new key results give it (none: 0, not started). */
    async insertGoal(
      goal: NewGoal,
      tx: Tx,
      initial: { progress: number; status: ProgressStatus } = {
        progress: 0,
        status: 'not_started',
      },
      now = Date.now(),
    ): Promise<string> {
      const id = randomUUID();
      await db.execute(
        `INSERT INTO goals (id, org_id, title, description, level, owner_id, team_id, timeframe_id,
           parent_id, progress_source, status, progress, version, archived, created_at, updated_at)
         VALUES (:id, :orgId, :title, :description, :level, :ownerId, :teamId, :timeframeId,
           :parentId, :progressSource, :status, :progress, 1, :no, :now, :now)`,
        { id, ...goal, ...initial, no: false, now },
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

    /**
     * Progress rolled up from below, for every goal that moved, in one statement; not an edit,
     * so versions stay. Each move is kept in the goal's history by a second statement sent in
     * the same round trip.
     */
    async writeProgress(
      orgId: string,
      moved: Array<{ id: string; progress: number; status: ProgressStatus }>,
      now: number,
      tx: Tx,
    ): Promise<void> {
      if (moved.length === 0) return;
      const params: Record<string, unknown> = { orgId, now, ids: moved.map((goal) => goal.id) };
      const progress: string[] = [];
      const status: string[] = [];
      moved.forEach((goal, i) => {
        Object.assign(params, {
          [`id${i}`]: goal.id,
          [`p${i}`]: goal.progress,
          [`s${i}`]: goal.status,
        });
        progress.push(`WHEN :id${i} THEN :p${i}`);
        status.push(`WHEN :id${i} THEN :s${i}`);
      });
      await db.inOrder([
        () =>
          db.execute(
            `UPDATE goals SET progress = CASE id ${progress.join(' ')} END,
               status = CASE id ${status.join(' ')} END, updated_at = :now
             WHERE org_id = :orgId AND id IN (:ids)`,
            params,
            tx,
          ),
        () => history.record(orgId, moved, now, tx),
      ]);
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
