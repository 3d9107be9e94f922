/**
 * Migration 004 on a database that already holds key results: each goal's are numbered in the
 * order they were made, which is the order every view showed before positions were stored.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createDatabase, type Database } from '../../src/lib/db.js';
import * as initialSchema from '../../src/migrations/001-initial-schema.js';
import * as authoring from '../../src/migrations/004-authoring.js';
import { dialects, type TestDatabase } from '../support/harness.js';

for (const spec of dialects()) {
  describe(`[${spec.name}] migration 004: key-result positions and goal history`, () => {
    let database: TestDatabase;
    let db: Database;

    before(async () => {
      database = await spec.create();
      db = createDatabase(database.url);
      await initialSchema.up(db.sequelize.getQueryInterface());
    });
    after(async () => {
      await db.close();
      await database.drop();
    });

    it('when key results exist before it, then each goal’s are positioned 0, 1, … by creation time', async () => {
      const goals = [randomUUID(), randomUUID()];
      const made: Array<{ id: string; goal: string; at: number }> = [];
      // Made out of order on purpose: the row order on disk must not decide.
      for (const [goal, at] of [
        [goals[0], 3000],
        [goals[1], 1000],
        [goals[0], 1000],
        [goals[0], 2000],
        [goals[1], 500],
      ] as const) {
        const id = randomUUID();
        made.push({ id, goal: goal as string, at });
        await db.execute(
          `INSERT INTO key_results (id, org_id, goal_id, title, kind, start_value, target_value,
             current_value, unit, weight, owner_id, status, progress, version, deleted_at,
             created_at, updated_at)
           VALUES (:id, :org, :goal, 'KR', 'increase', 0, 1, 0, NULL, 1, NULL, 'not_started', 0, 1,
             NULL, :at, :at)`,
          { id, org: randomUUID(), goal, at },
        );
      }
      await authoring.up(db.sequelize.getQueryInterface());
      const rows = await db.select<{ id: string; goal_id: string; position: number }>(
        'SELECT id, goal_id, position FROM key_results',
      );
      const positionOf = new Map(rows.map((row) => [row.id, Number(row.position)]));
      for (const goal of goals) {
        const inOrder = made
          .filter((kr) => kr.goal === goal)
          .sort((a, b) => a.at - b.at)
          .map((kr) => positionOf.get(kr.id));
        assert.deepEqual(inOrder, [...inOrder.keys()]);
      }
      const history = await db.select<{ n: number }>(
        'SELECT COUNT(*) AS n FROM goal_progress_history',
      );
      assert.equal(Number(history[0]?.n), 0, 'the history table exists, empty');
    });
  });
}
