/**
 * The BFF as operators run it, in a process of its own so that its resident memory and its CPU
 * are its own: run.ts forks this file, it seeds a demo org into DATABASE_URL, signs a token
 * with the org's key (as a host's server would) and reports the port over IPC. It stops on
 * a "stop" message or when the parent goes away.
 */
import { createOrgsRepository } from '../bff/src/components/orgs/orgs.repository.js';
import { createOrgsService } from '../bff/src/components/orgs/orgs.service.js';
import { seedDemo } from '../bff/src/components/demo/demo.seed.js';
import { loadConfig } from '../bff/src/lib/config.js';
import type { Database } from '../bff/src/lib/db.js';
import { createLogger } from '../bff/src/lib/logger.js';
import { startServer } from '../bff/src/server.js';

export interface BenchServerReady {
  port: number;
  orgId: string;
  token: string;
  /** The demo goal with the most key results: the goal card the bench asks for. */
  goalId: string;
}

const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_MINUTE: '0',
});
const goals = Number(process.env.BENCH_GOALS ?? '1000');
let ready: Omit<BenchServerReady, 'port'> | undefined;

const server = await startServer({
  config,
  logger: createLogger('silent'),
  async prepare(db: Database) {
    const orgsService = createOrgsService(createOrgsRepository(db), config.masterKey);
    await seedDemo(db, orgsService, { slug: 'bench', goals });
    const [org] = await db.select<{ id: string }>(
      `SELECT id FROM organizations WHERE slug = 'bench'`,
    );
    const [goal] = await db.select<{ id: string }>(
      `SELECT g.id FROM goals g JOIN key_results k ON k.goal_id = g.id
       WHERE g.org_id = :org GROUP BY g.id ORDER BY COUNT(*) DESC, g.id LIMIT 1`,
      { org: org?.id },
    );
    if (!org || !goal) throw new Error('the demo seed made no org or goal');
    // demo-alex owns demo goals; okr:admin lets the check-in bench post on any key result.
    const { token } = await orgsService.signToken(
      {
        org: 'bench',
        sub: 'demo-alex',
        name: 'Alex Demo',
        scope: 'okr:read okr:checkin okr:write okr:admin',
        ttlSeconds: 3600,
      },
      false,
    );
    ready = { orgId: org.id, token, goalId: goal.id };
  },
});

// Counts the SQL statements the server sends (Sequelize's logging hook sees each one).
let statements = 0;
(server.db.sequelize as unknown as { options: { logging?: unknown } }).options.logging = () => {
  statements += 1;
};

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.on('message', (message) => {
  if (message === 'stop') void stop();
  // Live heap after a full collection tells a leak (it grows) from a heap V8 merely sized up.
  if (message === 'statements') process.send?.({ statements });
  if (message === 'usage') process.send?.({ usage: process.memoryUsage() });
  if (message === 'heap') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ heapUsed: process.memoryUsage().heapUsed });
  }
});
process.on('disconnect', () => void stop());
if (!ready) throw new Error('prepare did not run');
process.send?.({ port: server.port, ...ready } satisfies BenchServerReady);
