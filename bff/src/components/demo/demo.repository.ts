import type { Database, Tx } from '../../lib/db.js';

type Row = Record<string, string | number | boolean | null>;

/** Seeding writes thousands of rows; multi-row INSERTs keep `seed-demo --goals 10000` quick. */
export function createDemoRepository(db: Database) {
  return {
    async bulkInsert(table: string, rows: Row[], tx: Tx, batchSize = 200): Promise<void> {
      const first = rows[0];
      if (!first) return;
      const columns = Object.keys(first);
      for (let offset = 0; offset < rows.length; offset += batchSize) {
        const batch = rows.slice(offset, offset + batchSize);
        const params: Record<string, unknown> = {};
        const tuples = batch.map((row, i) => {
          const names = columns.map((column) => {
            params[`r${i}_${column}`] = row[column] ?? null;
            return `:r${i}_${column}`;
          });
          return `(${names.join(', ')})`;
        });
        await db.execute(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
          params,
          tx,
        );
      }
    },

    /** A goal of the user's with a numeric key result: what a demo page features. */
    async featuredGoalOf(
      orgId: string,
      externalId: string,
    ): Promise<{ goalId: string; keyResultId: string } | undefined> {
      const [row] = await db.select<{ goalId: string; keyResultId: string }>(
        `SELECT g.id AS goalId, k.id AS keyResultId
         FROM goals g
         JOIN users u ON u.id = g.owner_id
         JOIN key_results k ON k.goal_id = g.id AND k.deleted_at IS NULL
         WHERE g.org_id = :orgId AND u.external_id = :externalId AND g.deleted_at IS NULL
           AND k.kind IN ('increase', 'decrease')
         ORDER BY g.created_at, g.id, k.created_at, k.id
         LIMIT 1`,
        { orgId, externalId },
      );
      return row;
    },
  };
}

export type DemoRepository = ReturnType<typeof createDemoRepository>;
