import { randomUUID } from 'node:crypto';
import type { CheckIn, ProgressStatus } from '@okr-embed/contract';
import { bulkInsert } from '../../lib/bulk-insert.js';
import type { Database, Tx } from '../../lib/db.js';

export interface NewCheckIn {
  /** Chosen by the caller, which answers with the check-in before reading it back. */
  id: string;
  orgId: string;
  keyResultId: string;
  authorId: string;
  value: number;
  status: ProgressStatus;
  comment: string | null;
  idempotencyKey: string | null;
  krVersion: number;
  createdAt: number;
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
    /** One statement for every check-in of a transaction (a group commits several). */
    async insertCheckIns(checkIns: NewCheckIn[], tx: Tx): Promise<void> {
      await bulkInsert(
        db,
        'check_ins',
        checkIns.map((checkIn) => ({
          id: checkIn.id,
          org_id: checkIn.orgId,
          key_result_id: checkIn.keyResultId,
          author_id: checkIn.authorId,
          value: checkIn.value,
          status: checkIn.status,
          comment: checkIn.comment,
          idempotency_key: checkIn.idempotencyKey,
          kr_version: checkIn.krVersion,
          created_at: checkIn.createdAt,
        })),
        tx,
      );
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

    /**
     * One statement for the records of every check-in a transaction stores; each keeps its
     * answer as the very string that was sent, so a replay sends it unchanged.
     */
    async insertIdempotencyRecords(
      records: Array<IdempotencyRecord & { orgId: string; userId: string; key: string }>,
      tx: Tx,
    ): Promise<void> {
      const now = Date.now();
      await bulkInsert(
        db,
        'idempotency_records',
        records.map((record) => ({
          id: randomUUID(),
          org_id: record.orgId,
          user_id: record.userId,
          idem_key: record.key,
          request_hash: record.requestHash,
          status_code: record.statusCode,
          response_body: record.responseBody,
          created_at: now,
          expires_at: record.expiresAt,
        })),
        tx,
      );
    },

    /**
     * Frees a key whose record expired but was not swept yet, by its unique index (one row's
     * lock), so the key can be used again at once.
     */
    async deleteExpiredIdempotencyRecord(
      orgId: string,
      userId: string,
      key: string,
      now: number,
      tx: Tx,
    ): Promise<void> {
      await db.execute(
        `DELETE FROM idempotency_records
         WHERE org_id = :orgId AND user_id = :userId AND idem_key = :key AND expires_at <= :now`,
        { orgId, userId, key, now },
        tx,
      );
    },

    /**
     * Deletes up to `limit` expired records of any org, oldest first, through the expiry index;
     * answers how many went. Runs outside any request, each batch its own short transaction.
     */
    async deleteExpiredIdempotencyRecords(now: number, limit: number): Promise<number> {
      const expired = await db.select<{ id: string }>(
        `SELECT id FROM idempotency_records WHERE expires_at <= :now
         ORDER BY expires_at LIMIT :limit`,
        { now, limit },
      );
      if (expired.length === 0) return 0;
      await db.execute(
        'DELETE FROM idempotency_records WHERE id IN (:ids) AND expires_at <= :now',
        { ids: expired.map((row) => row.id), now },
      );
      return expired.length;
    },
  };
}

export type CheckInsRepository = ReturnType<typeof createCheckInsRepository>;
