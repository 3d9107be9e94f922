/**
 * The alignment tree at 1 000 and 10 000 goals on SQLite and MariaDB: the repository's
 * recursive CTE against a node-by-node loop, timed, with the SQL statements each one sends
 * (counted by Sequelize's logging hook, i.e. what reaches the driver).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createAlignmentRepository } from '../bff/src/components/alignment/alignment.repository.js';
import { seedDemo } from '../bff/src/components/demo/demo.seed.js';
import { createOrgsRepository } from '../bff/src/components/orgs/orgs.repository.js';
import { createOrgsService } from '../bff/src/components/orgs/orgs.service.js';
import { createDatabase, type Database } from '../bff/src/lib/db.js';
import { migrate } from '../bff/src/lib/migrate.js';
import { alignmentByLoop } from './alignment.loop.js';
import type { ScratchDatabase } from './databases.js';
import { median, type Row } from './report.js';

const SIZES = [1_000, 10_000];
const CTE_RUNS = 5;
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
        for (const size of SIZES) {
          const slug = `bench-${size}`;
          await seedDemo(db, orgs, { slug, goals: size });
          const [org] = await db.select<{ id: string }>(
            'SELECT id FROM organizations WHERE slug = :slug',
            { slug },
          );
          if (!org) throw new Error(`no org ${slug}`);
          const tree = () => repository.treeRows({ orgId: org.id, depth: 50 });
          await tree(); // warm the page cache and the statement cache
          const cte = await measure(db, CTE_RUNS, tree);
          const loop = await measure(db, LOOP_RUNS, () => alignmentByLoop(db, org.id));
          if (cte.nodes !== loop.nodes) {
            throw new Error(`CTE found ${cte.nodes} nodes, the loop ${loop.nodes}`);
          }
          const speedUp = loop.ms / cte.ms;
          const big = size === SIZES[SIZES.length - 1];
          const label = `${database.dialect}, ${cte.nodes.toLocaleString('en-US')} goals`;
          rows.push({
            section: 'Alignment',
            name: `${label}: CTE time`,
            value: cte.ms,
            unit: 'ms',
            baseline: { name: 'per-node loop', value: loop.ms },
            ratio: cte.ms / loop.ms,
            budget: big ? '≥ 10× faster (ratio ≤ 0.10×)' : undefined,
            pass: big ? speedUp >= 10 : undefined,
            note: `${speedUp.toFixed(1)}× faster`,
          });
          rows.push({
            section: 'Alignment',
            name: `${label}: SQL statements per tree`,
            value: cte.statements,
            unit: '',
            baseline: { name: 'per-node loop', value: loop.statements },
            ratio: cte.statements / loop.statements,
            budget: '= 1',
            pass: cte.statements === 1,
          });
        }
      } finally {
        await db.close();
      }
    });
  }
  return rows;
}
