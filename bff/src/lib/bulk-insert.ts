import type { Database, Tx } from './db.js';

export type Row = Record<string, string | number | boolean | null>;

/**
 * Multi-row INSERTs: seeding and importing write thousands of rows, and one statement per row
 * would make `seed-demo --goals 10000` or a large import take minutes.
 */
export async function bulkInsert(
  db: Database,
  table: string,
  rows: Row[],
  tx: Tx,
  batchSize = 200,
): Promise<void> {
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
}
