import { randomUUID } from 'node:crypto';
import type { KeyResult, KeyResultKind, ProgressStatus } from '@okr-embed/contract';
import type { Database, Tx } from '../../lib/db.js';
import { bulkInsert } from '../../lib/bulk-insert.js';

export interface KeyResultRecord extends KeyResult {
  orgId: string;
  ownerId: string | null;
}

export interface NewKeyResult {
  orgId: string;
  goalId: string;
  title: string;
  kind: KeyResultKind;
  start: number;
  target: number;
  current: number;
  unit: string | null;
  weight: number;
  ownerId: string | null;
  progress: number;
}

export type KeyResultChanges = Partial<
  Pick<
    NewKeyResult,
    'title' | 'kind' | 'start' | 'target' | 'unit' | 'weight' | 'ownerId' | 'progress'
  >
>;

export interface KeyResultRow {
  id: string;
  org_id: string;
  goal_id: string;
  title: string;
  kind: KeyResultKind;
  start_value: number;
  target_value: number;
  current_value: number;
  unit: string | null;
  weight: number;
  owner_id: string | null;
  owner_name: string | null;
  owner_avatar: string | null;
  status: ProgressStatus;
  progress: number;
  version: number;
  updated_at: number;
}

const keyResultSelect = `
  SELECT k.id, k.org_id, k.goal_id, k.title, k.kind, k.start_value, k.target_value, k.current_value,
         k.unit, k.weight, k.owner_id, u.name AS owner_name, u.avatar_url AS owner_avatar,
         k.status, k.progress, k.version, k.updated_at
  FROM key_results k LEFT JOIN users u ON u.id = k.owner_id`;

export function toKeyResult(row: KeyResultRow): KeyResultRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    goalId: row.goal_id,
    title: row.title,
    kind: row.kind,
    start: Number(row.start_value),
    target: Number(row.target_value),
    current: Number(row.current_value),
    unit: row.unit,
    weight: Number(row.weight),
    ownerId: row.owner_id,
    owner: row.owner_id
      ? { id: row.owner_id, name: row.owner_name ?? '', avatarUrl: row.owner_avatar }
      : null,
    status: row.status,
    progress: Number(row.progress),
    version: Number(row.version),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

const columnOf: Record<keyof KeyResultChanges, string> = {
  title: 'title',
  kind: 'kind',
  start: 'start_value',
  target: 'target_value',
  unit: 'unit',
  weight: 'weight',
  ownerId: 'owner_id',
  progress: 'progress',
};

export function createKeyResultsRepository(db: Database) {
  return {
    async findKeyResult(orgId: string, id: string, tx?: Tx): Promise<KeyResultRecord | null> {
      const [row] = await db.select<KeyResultRow>(
        `${keyResultSelect} WHERE k.org_id = :orgId AND k.id = :id AND k.deleted_at IS NULL`,
        { orgId, id },
        tx,
      );
      return row ? toKeyResult(row) : null;
    },

    /** Locks the row (MySQL) and reads it in one statement, as `lockKeyResults` does. */
    async lockKeyResult(orgId: string, id: string, tx: Tx): Promise<KeyResultRecord | null> {
      const [kr] = await this.lockKeyResults(orgId, [id], tx);
      return kr ?? null;
    },

    /**
     * Locks and reads key results (MySQL) in one statement, ascending by id: a group of
     * check-ins takes all of its key results' locks at once, in the order every writer keeps.
     * The owner comes from scalar subqueries: InnoDB locks only the rows of the outer table, so
     * two key results of one owner do not queue on the owner's row.
     */
    async lockKeyResults(orgId: string, ids: string[], tx: Tx): Promise<KeyResultRecord[]> {
      if (ids.length === 0) return [];
      const rows = await db.select<KeyResultRow>(
        `SELECT k.id, k.org_id, k.goal_id, k.title, k.kind, k.start_value, k.target_value,
           k.current_value, k.unit, k.weight, k.owner_id,
           (SELECT u.name FROM users u WHERE u.id = k.owner_id) AS owner_name,
           (SELECT u.avatar_url FROM users u WHERE u.id = k.owner_id) AS owner_avatar,
           k.status, k.progress, k.version, k.updated_at
         FROM key_results k
         WHERE k.org_id = :orgId AND k.id IN (:ids) AND k.deleted_at IS NULL
         ORDER BY k.id${db.forUpdate}`,
        { orgId, ids },
        tx,
      );
      return rows.map(toKeyResult);
    },

    /**
     * Locks a goal's key results (MySQL), ascending by id, before the goal's chain: the lock
     * order every writer keeps is key results first, then the goal chain.
     */
    async lockForGoal(orgId: string, goalId: string, tx: Tx): Promise<void> {
      if (!db.forUpdate) return;
      await db.select(
        `SELECT id FROM key_results WHERE org_id = :orgId AND goal_id = :goalId
         AND deleted_at IS NULL ORDER BY id${db.forUpdate}`,
        { orgId, goalId },
        tx,
      );
    },

    async listForGoal(orgId: string, goalId: string, tx?: Tx): Promise<KeyResultRecord[]> {
      return this.listForGoals(orgId, [goalId], tx);
    },

    /** The key results of several goals in one statement, each goal's in its listed order. */
    async listForGoals(orgId: string, goalIds: string[], tx?: Tx): Promise<KeyResultRecord[]> {
      if (goalIds.length === 0) return [];
      const rows = await db.select<KeyResultRow>(
        `${keyResultSelect}
         WHERE k.org_id = :orgId AND k.goal_id IN (:goalIds) AND k.deleted_at IS NULL
         ORDER BY k.goal_id, k.position, k.created_at, k.id`,
        { orgId, goalIds },
        tx,
      );
      return rows.map(toKeyResult);
    },

    /** A new key result goes last: one past the goal's highest position. */
    async insertKeyResult(kr: NewKeyResult, tx: Tx): Promise<string> {
      const id = randomUUID();
      const now = Date.now();
      // INSERT … SELECT, as MySQL refuses a subquery on the table being inserted into.
      await db.execute(
        `INSERT INTO key_results (id, org_id, goal_id, title, kind, start_value, target_value,
           current_value, unit, weight, owner_id, status, progress, version, position,
           created_at, updated_at)
         SELECT :id, :orgId, :goalId, :title, :kind, :start, :target, :current, :unit, :weight,
           :ownerId, 'not_started', :progress, 1, COALESCE(MAX(position) + 1, 0), :now, :now
         FROM key_results WHERE org_id = :orgId AND goal_id = :goalId AND deleted_at IS NULL`,
        { id, ...kr, now },
        tx,
      );
      return id;
    },

    /**
     * Key results of new goals in one statement, each goal's positioned in the order given;
     * answers their ids in that order.
     */
    async insertKeyResults(krs: NewKeyResult[], tx: Tx): Promise<string[]> {
      const now = Date.now();
      const next = new Map<string, number>();
      const rows = krs.map((kr, i) => {
        const position = next.get(kr.goalId) ?? 0;
        next.set(kr.goalId, position + 1);
        return {
          id: randomUUID(),
          org_id: kr.orgId,
          goal_id: kr.goalId,
          title: kr.title,
          kind: kr.kind,
          start_value: kr.start,
          target_value: kr.target,
          current_value: kr.current,
          unit: kr.unit,
          weight: kr.weight,
          owner_id: kr.ownerId,
          status: 'not_started',
          progress: kr.progress,
          version: 1,
          position,
          // Apart by a millisecond, so creation order agrees with position for older readers.
          created_at: now + i,
          updated_at: now,
        };
      });
      await bulkInsert(db, 'key_results', rows, tx);
      return rows.map((row) => row.id);
    },

    /** Sets the goal's key results' positions to the order of `ids`, in one statement. */
    async reorder(orgId: string, goalId: string, ids: string[], tx: Tx): Promise<void> {
      if (ids.length === 0) return;
      const params: Record<string, unknown> = { orgId, goalId, ids };
      const cases = ids.map((id, i) => {
        params[`id${i}`] = id;
        params[`p${i}`] = i;
        return `WHEN :id${i} THEN :p${i}`;
      });
      await db.execute(
        `UPDATE key_results SET position = CASE id ${cases.join(' ')} END
         WHERE org_id = :orgId AND goal_id = :goalId AND id IN (:ids)`,
        params,
        tx,
      );
    },

    async updateKeyResult(id: string, changes: KeyResultChanges, tx: Tx): Promise<void> {
      const sets = Object.keys(changes).map(
        (key) => `${columnOf[key as keyof KeyResultChanges]} = :${key}`,
      );
      await db.execute(
        `UPDATE key_results SET ${[...sets, 'version = version + 1', 'updated_at = :now'].join(', ')}
         WHERE id = :id`,
        { ...changes, id, now: Date.now() },
        tx,
      );
    },

    async recordValue(
      id: string,
      values: {
        current: number;
        status: ProgressStatus;
        progress: number;
        version: number;
        now: number;
      },
      tx: Tx,
    ): Promise<void> {
      await db.execute(
        `UPDATE key_results SET current_value = :current, status = :status, progress = :progress,
           version = :version, updated_at = :now WHERE id = :id`,
        { ...values, id },
        tx,
      );
    },

    async softDelete(id: string, tx: Tx): Promise<void> {
      const now = Date.now();
      await db.execute(
        'UPDATE key_results SET deleted_at = :now, updated_at = :now, version = version + 1 WHERE id = :id',
        { id, now },
        tx,
      );
    },
  };
}

export type KeyResultsRepository = ReturnType<typeof createKeyResultsRepository>;
