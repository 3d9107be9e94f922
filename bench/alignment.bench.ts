/**
 * The alignment tree, cold (no view cache), at 1 000 and 10 000 goals on SQLite and MariaDB: the
 * service's path (one range read of the org's goals, one pass in JS) against a node-by-node
 * loop, timed, with the SQL statements each one sends (counted by Sequelize's logging hook, i.e.
 * what reaches the driver).
 */
import { randomBytes } from 'node:crypto';
import { LIMITS } from '@okr-embed/contract';
import { performance } from 'node:perf_hooks';
import { createAlignmentRepository } from '../bff/src/components/alignment/alignment.repository.js';
import { alignmentTree } from '../bff/src/components/alignment/alignment.tree.js';
import { seedDemo } from '../bff/src/components/demo/demo.seed.js';
import { createOrgsRepository } from '../bff/src/components/orgs/orgs.repository.js';
import { createOrgsService } from '../bff/src/components/orgs/orgs.service.js';
import { createDatabase, type Database } from '../bff/src/lib/db.js';
import { migrate } from '../bff/src/lib/migrate.js';
import { alignmentByLoop } from './alignment.loop.js';
import type { ScratchDatabase } from './databases.js';
import { median, type Row } from './report.js';

const SIZES = [1_000, 10_000];
const TREE_RUNS = 5;
const LOOP_RUNS = 3;

/** Runs `work` `runs` times; the median time and the statements of one run. */
async function measure(db: Database, runs: number, work: () => Promise<unknown[]>) {
  let statements = 0;
  const options = (db.sequelize as unknown as { options: { logging?: unknown } }).options;
  const logging = options.logging;
  options.logging = () => {
    statements += 1;
  };
  try {
    const times: number[] = [];
    let nodes = 0;
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      nodes = (await work()).length;
      times.push(performance.now() - start);
    }
    return { ms: median(times), statements: statements / runs, nodes };
  } finally {
    options.logging = logging;
  }
}

type WithDatabase = <T>(
  make: () => ScratchDatabase | Promise<ScratchDatabase>,
  work: (database: ScratchDatabase) => Promise<T>,
) => Promise<T>;

export async function benchAlignment(
  makers: Array<() => ScratchDatabase | Promise<ScratchDatabase>>,
  withDatabase: WithDatabase,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const make of makers) {
    await withDatabase(make, async (database) => {
      const db = createDatabase(database.url);
      try {
        await migrate(db);
        const orgs = createOrgsService(createOrgsRepository(db), randomBytes(32));
        const repository = createAlignmentRepository(db);
        // Which SQLite runs matters (plans differ between builds): the label says it.
        const engine =
          db.dialect === 'sqlite'
            ? `sqlite ${(await db.select<{ v: string }>('SELECT sqlite_version() AS v'))[0]?.v}`
            : database.dialect;
        for (const size of SIZES) {
          const slug = `bench-${size}`;
          await seedDemo(db, orgs, { slug, goals: size });
          const [org] = await db.select<{ id: string }>(
            'SELECT id FROM organizations WHERE slug = :slug',
            { slug },
          );
          if (!org) throw new Error(`no org ${slug}`);
          const tree = async () =>
            alignmentTree(await repository.liveGoals(org.id), { depth: LIMITS.alignmentDepthMax });
          await tree(); // warm the database's page cache and the statement cache, not a view cache
          const cold = await measure(db, TREE_RUNS, tree);
          const loop = await measure(db, LOOP_RUNS, () => alignmentByLoop(db, org.id));
          if (cold.nodes !== loop.nodes) {
            throw new Error(`the tree has ${cold.nodes} nodes, the loop found ${loop.nodes}`);
          }
          const speedUp = loop.ms / cold.ms;
          const big = size === SIZES[SIZES.length - 1];
          const label = `${engine}, ${cold.nodes.toLocaleString('en-US')} goals`;
          rows.push({
            section: 'Alignment',
            name: `${label}: cold tree (range read + JS pass)`,
            value: cold.ms,
            unit: 'ms',
            baseline: { name: 'per-node loop', value: loop.ms },
            ratio: cold.ms / loop.ms,
            budget: big ? '≥ 20× faster (ratio ≤ 0.05×)' : undefined,
            pass: big ? speedUp >= 20 : undefined,
            note: `${speedUp.toFixed(1)}× faster`,
          });
          rows.push({
            section: 'Alignment',
            name: `${label}: SQL statements per tree`,
            value: cold.statements,
            unit: '',
            baseline: { name: 'per-node loop', value: loop.statements },
            ratio: cold.statements / loop.statements,
            budget: '= 1',
            pass: cold.statements === 1,
          });
        }
      } finally {
        await db.close();
      }
    });
  }
  return rows;
}
