import { bulkInsert, type Row } from '../../lib/bulk-insert.js';
import type { Database, Tx } from '../../lib/db.js';

/** Rows as the database gives them back; numbers may come as strings, booleans as 0/1. */
export interface OrgRows {
  timeframes: Array<{
    id: string;
    name: string;
    start_date: string;
    end_date: string;
    created_at: unknown;
  }>;
  teams: Array<{
    id: string;
    team_key: string;
    name: string;
    parent_id: string | null;
    created_at: unknown;
  }>;
  users: Array<{
    id: string;
    external_id: string;
    name: string;
    email: string | null;
    avatar_url: string | null;
    created_at: unknown;
    updated_at: unknown;
  }>;
  memberships: Array<{ user_id: string; team_id: string }>;
  goals: Array<{
    id: string;
    title: string;
    description: string | null;
    level: string;
    owner_id: string | null;
    team_id: string | null;
    timeframe_id: string;
    parent_id: string | null;
    progress_source: string;
    status: string;
    progress: unknown;
    version: unknown;
    archived: unknown;
    created_at: unknown;
    updated_at: unknown;
  }>;
  keyResults: Array<{
    id: string;
    goal_id: string;
    title: string;
    kind: string;
    start_value: unknown;
    target_value: unknown;
    current_value: unknown;
    unit: string | null;
    weight: unknown;
    owner_id: string | null;
    status: string;
    progress: unknown;
    version: unknown;
    position: unknown;
    created_at: unknown;
    updated_at: unknown;
  }>;
  checkIns: Array<{
    key_result_id: string;
    author_id: string;
    value: unknown;
    status: string;
    comment: string | null;
    idempotency_key: string | null;
    kr_version: unknown;
    created_at: unknown;
  }>;
}

/**
 * Reads and writes an org's OKR data in bulk, for export and import. Deleted goals and key
 * results stay behind: an export is what the org has, not its waste.
 */
export function createOrgExportRepository(db: Database) {
  return {
    async readOrg(orgId: string): Promise<OrgRows> {
      const p = { orgId };
      return {
        timeframes: await db.select(
          'SELECT id, name, start_date, end_date, created_at FROM timeframes WHERE org_id = :orgId',
          p,
        ),
        teams: await db.select(
          'SELECT id, team_key, name, parent_id, created_at FROM teams WHERE org_id = :orgId',
          p,
        ),
        users: await db.select(
          `SELECT id, external_id, name, email, avatar_url, created_at, updated_at
           FROM users WHERE org_id = :orgId`,
          p,
        ),
        memberships: await db.select(
          'SELECT user_id, team_id FROM memberships WHERE org_id = :orgId',
          p,
        ),
        goals: await db.select(
          `SELECT id, title, description, level, owner_id, team_id, timeframe_id, parent_id,
                  progress_source, status, progress, version, archived, created_at, updated_at
           FROM goals WHERE org_id = :orgId AND deleted_at IS NULL`,
          p,
        ),
        keyResults: await db.select(
          `SELECT k.id, k.goal_id, k.title, k.kind, k.start_value, k.target_value, k.current_value,
                  k.unit, k.weight, k.owner_id, k.status, k.progress, k.version, k.position,
                  k.created_at, k.updated_at
           FROM key_results k JOIN goals g ON g.id = k.goal_id AND g.deleted_at IS NULL
           WHERE k.org_id = :orgId AND k.deleted_at IS NULL`,
          p,
        ),
        checkIns: await db.select(
          `SELECT c.key_result_id, c.author_id, c.value, c.status, c.comment, c.idempotency_key,
                  c.kr_version, c.created_at
           FROM check_ins c JOIN key_results k ON k.id = c.key_result_id AND k.deleted_at IS NULL
           WHERE c.org_id = :orgId`,
          p,
        ),
      };
    },

    async countRows(orgId: string): Promise<number> {
      let total = 0;
      for (const table of ['timeframes', 'teams', 'users', 'goals']) {
        const [row] = await db.select<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM ${table} WHERE org_id = :orgId`,
          { orgId },
        );
        total += Number(row?.n ?? 0);
      }
      return total;
    },

    insert: (table: string, rows: Row[], tx: Tx) => bulkInsert(db, table, rows, tx),

    transaction: <T>(work: (tx: Tx) => Promise<T>) => db.transaction(work),
  };
}

export type OrgExportRepository = ReturnType<typeof createOrgExportRepository>;
