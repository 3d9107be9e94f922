/**
 * The alignment tree's SQL, read through each database's own plan: it must stay one read of the
 * org's goals by an index led by `org_id`, never a step per node or per tree level. The plan,
 * not a timer, is what tells a regression here: the recursive CTE this replaced took 0.2 s on
 * SQLite 3.40 and 34 s on 3.52 for the same 10 000 goals, only because the plan changed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createAlignmentRepository } from '../../src/components/alignment/alignment.repository.js';
import { seedDemo } from '../../src/components/demo/demo.seed.js';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createOrgsService } from '../../src/components/orgs/orgs.service.js';
import { createDatabase, type Database } from '../../src/lib/db.js';
import { migrate } from '../../src/lib/migrate.js';
import { dialects, type TestDatabase } from '../support/harness.js';

/** The statements `work` sends, as the driver gets them (replacements already in place). */
async function statementsOf(db: Database, work: () => Promise<unknown>): Promise<string[]> {
  const options = (db.sequelize as unknown as { options: { logging?: unknown } }).options;
  const logging = options.logging;
  const statements: string[] = [];
  options.logging = (sql: string) => {
    statements.push(sql.replace(/^Executing \([^)]*\): /, ''));
  };
  try {
    await work();
  } finally {
    options.logging = logging;
  }
  return statements;
}

/** Names the table aliases of `goals` in a statement (`goals g`, `goals AS c`, or `goals`). */
function goalsAliases(sql: string): Set<string> {
  const aliases = new Set(['goals']);
  for (const match of sql.matchAll(/\bgoals\s+(?:AS\s+)?(\w+)/gi)) {
    const alias = match[1] as string;
    if (!/^(WHERE|JOIN|LEFT|INNER|ON|ORDER|GROUP|LIMIT|UNION)$/i.test(alias)) aliases.add(alias);
  }
  return aliases;
}

/**
 * What in a SQLite plan runs once per node or per level: a correlated subquery, a recursive
 * step, a full scan of a table, or goals found by anything but an index led by `org_id`.
 */
async function sqlitePerNodeSteps(db: Database, sql: string): Promise<string[]> {
  const plan = await db.select<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
  const aliases = goalsAliases(sql);
  const problems: string[] = [];
  for (const { detail } of plan) {
    if (/CORRELATED/.test(detail)) problems.push(`a subquery per row: ${detail}`);
    if (/RECURSIVE STEP/.test(detail)) problems.push(`a step per tree level: ${detail}`);
    const access = /^(SCAN|SEARCH) (\w+)/.exec(detail);
    if (!access) continue;
    const [, how, table] = access as unknown as [string, string, string];
    if (how === 'SCAN') problems.push(`a full scan: ${detail}`);
    else if (aliases.has(table) && !/\(org_id=\?/.test(detail)) {
      problems.push(`goals not read by an org-led index: ${detail}`);
    }
  }
  return problems;
}

interface MariaDbTable {
  table_name: string;
  access_type: string;
  key?: string;
  used_key_parts?: string[];
}

/** The same judgement on MariaDB's `EXPLAIN FORMAT=JSON`, walked as a tree. */
async function mariaDbPerNodeSteps(db: Database, sql: string): Promise<string[]> {
  const [row] = await db.select<Record<string, string>>(`EXPLAIN FORMAT=JSON ${sql}`);
  const plan: unknown = JSON.parse(Object.values(row ?? {})[0] ?? 'null');
  const aliases = goalsAliases(sql);
  const problems: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if ('subqueries' in object) problems.push('a subquery per row');
    if ('recursive_union' in object) problems.push('a step per tree level (recursive union)');
    const table = object.table as MariaDbTable | undefined;
    if (table?.table_name && !table.table_name.startsWith('<')) {
      const described = `${table.table_name} by ${table.access_type} ${table.key ?? ''}`.trim();
      if (table.access_type === 'ALL' || table.access_type === 'index') {
        problems.push(`a full scan: ${described}`);
      } else if (aliases.has(table.table_name) && table.used_key_parts?.[0] !== 'org_id') {
        problems.push(`goals not read by an org-led index: ${described}`);
      }
    }
    Object.values(object).forEach(walk);
  };
  walk(plan);
  return problems;
}

const perNodeSteps = (db: Database, sql: string) =>
  db.dialect === 'sqlite' ? sqlitePerNodeSteps(db, sql) : mariaDbPerNodeSteps(db, sql);

for (const dialect of dialects()) {
  describe(`[${dialect.name}] alignment query plan`, () => {
    let database: TestDatabase;
    let db: Database;
    let orgId: string;

    before(async () => {
      database = await dialect.create();
      db = createDatabase(database.url);
      await migrate(db);
      const orgs = createOrgsService(createOrgsRepository(db), randomBytes(32));
      // The org asked about is a small one among bigger ones, as in any shared database: a plan
      // that reads more than this org's goals shows up as a scan, not as the cheapest way in.
      await seedDemo(db, orgs, { slug: 'plan-big', goals: 600 });
      await seedDemo(db, orgs, { slug: 'plan-other', goals: 300 });
      await seedDemo(db, orgs, { slug: 'plan-asked', goals: 20 });
      const [org] = await db.select<{ id: string }>(
        `SELECT id FROM organizations WHERE slug = 'plan-asked'`,
      );
      orgId = (org as { id: string }).id;
      // Fresh statistics, as a server that has run a while has them.
      if (db.dialect === 'mysql') await db.execute('ANALYZE TABLE goals, users');
      else await db.execute('ANALYZE');
    });
    after(async () => {
      await db.close();
      await database.drop();
    });

    it('when the tree is read, then it is one statement over the org index with no step per node', async () => {
      const repository = createAlignmentRepository(db);
      const statements = await statementsOf(db, () => repository.liveGoals(orgId));
      assert.equal(statements.length, 1, statements.join('\n'));
      const [sql] = statements as [string];
      assert.match(sql, /\bgoals\b/);
      assert.deepEqual(await perNodeSteps(db, sql), []);
    });

    it('when a statement walks the tree per node, then the plan check names it', async () => {
      // The recursive CTE with a correlated child count that alignment used to send: the check
      // above must be able to fail, on this database's plan.
      const perNode = `WITH RECURSIVE tree (id, depth) AS (
          SELECT g.id, 0 FROM goals g WHERE g.org_id = '${orgId}' AND g.parent_id IS NULL
          UNION ALL
          SELECT c.id, tree.depth + 1 FROM goals c JOIN tree ON c.parent_id = tree.id
          WHERE c.org_id = '${orgId}' AND tree.depth < 50)
        SELECT g.id, (SELECT COUNT(*) FROM goals k WHERE k.parent_id = g.id) AS child_count
        FROM tree JOIN goals g ON g.id = tree.id`;
      const problems = await perNodeSteps(db, perNode);
      assert.ok(
        problems.some((problem) => /subquery per row|per tree level/.test(problem)),
        problems.join('\n'),
      );
    });
  });
}
