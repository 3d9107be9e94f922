import { randomUUID } from 'node:crypto';
import type { TimeframeSummary } from '@okr-embed/contract';
import type { Database, Tx } from '../../lib/db.js';

interface TimeframeRow {
  id: string;
  name: string;
  start_date: string;
  end_date: string;
}

const toTimeframe = (row: TimeframeRow): TimeframeSummary => ({
  id: row.id,
  name: row.name,
  startDate: row.start_date,
  endDate: row.end_date,
});

export function createTimeframesRepository(db: Database) {
  return {
    async listTimeframes(orgId: string): Promise<TimeframeSummary[]> {
      const rows = await db.select<TimeframeRow>(
        `SELECT id, name, start_date, end_date FROM timeframes WHERE org_id = :orgId
         ORDER BY start_date, name`,
        { orgId },
      );
      return rows.map(toTimeframe);
    },

    async findTimeframe(orgId: string, id: string, tx?: Tx): Promise<TimeframeSummary | null> {
      const [row] = await db.select<TimeframeRow>(
        'SELECT id, name, start_date, end_date FROM timeframes WHERE org_id = :orgId AND id = :id',
        { orgId, id },
        tx,
      );
      return row ? toTimeframe(row) : null;
    },

    /** The timeframe containing a day; the latest-starting one when several overlap. */
    async timeframeOn(orgId: string, day: string): Promise<TimeframeSummary | null> {
      const [row] = await db.select<TimeframeRow>(
        `SELECT id, name, start_date, end_date FROM timeframes
         WHERE org_id = :orgId AND start_date <= :day AND end_date >= :day
         ORDER BY start_date DESC LIMIT 1`,
        { orgId, day },
      );
      return row ? toTimeframe(row) : null;
    },

    async insertTimeframe(
      timeframe: { orgId: string; name: string; startDate: string; endDate: string },
      tx?: Tx,
    ): Promise<string> {
      const id = randomUUID();
      await db.execute(
        `INSERT INTO timeframes (id, org_id, name, start_date, end_date, created_at)
         VALUES (:id, :orgId, :name, :startDate, :endDate, :now)`,
        { id, ...timeframe, now: Date.now() },
        tx,
      );
      return id;
    },
  };
}

export type TimeframesRepository = ReturnType<typeof createTimeframesRepository>;
