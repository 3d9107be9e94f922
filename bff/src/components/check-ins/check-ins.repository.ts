import { randomUUID } from 'node:crypto';
import type { CheckIn, ProgressStatus } from '@okr-embed/contract';
import type { Database, Tx } from '../../lib/db.js';

export interface NewCheckIn {
  orgId: string;
  keyResultId: string;
  authorId: string;
  value: number;
  status: ProgressStatus;
  comment: string | null;
  idempotencyKey: string | null;
  krVersion: number;
}

export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  responseBody: string;
  expiresAt: number;
}

interface CheckInRow {
  id: string;
  key_result_id: string;
  author_id: string;
  author_name: string;
  author_avatar: string | null;
  value: number;
  status: ProgressStatus;
  comment: string | null;
  kr_version: number;
  created_at: number;
}

const checkInSelect = `
  SELECT c.id, c.key_result_id, c.author_id, u.name AS author_name, u.avatar_url AS author_avatar,
         c.value, c.status, c.comment, c.kr_version, c.created_at
  FROM check_ins c JOIN users u ON u.id = c.author_id`;

const toCheckIn = (row: CheckInRow): CheckIn & { krVersion: number } => ({
  id: row.id,
  keyResultId: row.key_result_id,
  author: { id: row.author_id, name: row.author_name, avatarUrl: row.author_avatar },
  value: Number(row.value),
  status: row.status,
  comment: row.comment,
  createdAt: new Date(Number(row.created_at)).toISOString(),
  krVersion: Number(row.kr_version),
});

export function createCheckInsRepository(db: Database) {
  return {
    async insertCheckIn(checkIn: NewCheckIn, tx: Tx): Promise<string> {
      const id = randomUUID();
      await db.execute(
        `INSERT INTO check_ins (id, org_id, key_result_id, author_id, value, status, comment,
           idempotency_key, kr_version, created_at)
         VALUES (:id, :orgId, :keyResultId, :authorId, :value, :status, :comment,
           :idempotencyKey, :krVersion, :now)`,
        { id, ...checkIn, now: Date.now() },
        tx,
      );
      return id;
    },

    async findCheckIn(id: string, tx?: Tx): Promise<CheckIn | null> {
      const [row] = await db.select<CheckInRow>(`${checkInSelect} WHERE c.id = :id`, { id }, tx);
      if (!row) return null;
      const { krVersion: _krVersion, ...checkIn } = toCheckIn(row);
      return checkIn;
    },

    /** Newest first: the key result's version orders check-ins by commit. */
    async listForKeyResult(keyResultId: string, before: number | undefined, limit: number) {
      const rows = await db.select<CheckInRow>(
        `${checkInSelect} WHERE c.key_result_id = :keyResultId
         ${before === undefined ? '' : 'AND c.kr_version < :before'}
         ORDER BY c.kr_version DESC LIMIT :limit`,
        { keyResultId, before, limit },
      );
      return rows.map(toCheckIn);
    },

    async lastForGoal(orgId: string, goalId: string, tx?: Tx): Promise<CheckIn | null> {
      const [row] = await db.select<CheckInRow>(
        `${checkInSelect} JOIN key_results k ON k.id = c.key_result_id
         WHERE c.org_id = :orgId AND k.goal_id = :goalId AND k.deleted_at IS NULL
         ORDER BY c.created_at DESC, c.kr_version DESC LIMIT 1`,
        { orgId, goalId },
        tx,
      );
      if (!row) return null;
      const { krVersion: _krVersion, ...checkIn } = toCheckIn(row);
      return checkIn;
    },

    async findIdempotencyRecord(
      orgId: string,
      userId: string,
      key: string,
      tx?: Tx,
    ): Promise<IdempotencyRecord | null> {
      const [row] = await db.select<{
        request_hash: string;
        status_code: number;
        response_body: string;
        expires_at: number;
      }>(
        `SELECT request_hash, status_code, response_body, expires_at FROM idempotency_records
         WHERE org_id = :orgId AND user_id = :userId AND idem_key = :key`,
        { orgId, userId, key },
        tx,
      );
      return row
        ? {
            requestHash: row.request_hash,
            statusCode: Number(row.status_code),
            responseBody: row.response_body,
            expiresAt: Number(row.expires_at),
          }
        : null;
    },

    async insertIdempotencyRecord(
      record: IdempotencyRecord & { orgId: string; userId: string; key: string },
      tx: Tx,
    ): Promise<void> {
      const now = Date.now();
      // Records live 24 h: each new one sweeps the org's expired ones (including an old record
      // of this very key), so the table never needs a separate cleaner.
      await db.execute(
        'DELETE FROM idempotency_records WHERE org_id = :orgId AND expires_at <= :now',
        { ...record, now },
        tx,
      );
      await db.execute(
        `INSERT INTO idempotency_records (id, org_id, user_id, idem_key, request_hash, status_code,
           response_body, created_at, expires_at)
         VALUES (:id, :orgId, :userId, :key, :requestHash, :statusCode, :responseBody, :now, :expiresAt)`,
        { id: randomUUID(), ...record, now },
        tx,
      );
    },
  };
}

export type CheckInsRepository = ReturnType<typeof createCheckInsRepository>;
