import { bulkInsert, type Row } from '../../lib/bulk-insert.js';
import type { Database, Tx } from '../../lib/db.js';

/** Seeding writes thousands of rows through `bulkInsert`; these are the demo's own reads. */
export function createDemoRepository(db: Database) {
  return {
    bulkInsert: (table: string, rows: Row[], tx: Tx, batchSize?: number) =>
      bulkInsert(db, table, rows, tx, batchSize),

    /**
     * What an existing org already has of the demo's people, teams and quarters, so seeding it
     * again reuses them instead of tripping over their unique keys.
     */
    async existingOf(orgId: string) {
      const [teams, users, memberships, timeframes] = await Promise.all([
        db.select<{ id: string; team_key: string }>(
          'SELECT id, team_key FROM teams WHERE org_id = :orgId',
          { orgId },
        ),
        db.select<{ id: string; external_id: string }>(
          'SELECT id, external_id FROM users WHERE org_id = :orgId',
          { orgId },
        ),
        db.select<{ user_id: string; team_id: string }>(
          'SELECT user_id, team_id FROM memberships WHERE org_id = :orgId',
          { orgId },
        ),
        db.select<{ id: string; name: string; start_date: string; end_date: string }>(
          'SELECT id, name, start_date, end_date FROM timeframes WHERE org_id = :orgId',
          { orgId },
        ),
      ]);
      return {
        teamIds: new Map(teams.map((t) => [t.team_key, t.id])),
        userIds: new Map(users.map((u) => [u.external_id, u.id])),
        memberships: new Set(memberships.map((m) => `${m.user_id} ${m.team_id}`)),
        timeframeIds: new Map(
          timeframes.map((t) => [`${t.name} ${t.start_date} ${t.end_date}`, t.id]),
        ),
      };
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
         ORDER BY g.created_at, g.id, k.position, k.created_at, k.id
         LIMIT 1`,
        { orgId, externalId },
      );
      return row;
    },
  };
}

export type DemoRepository = ReturnType<typeof createDemoRepository>;
