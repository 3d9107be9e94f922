/**
 * The BFF as operators run it, in a process of its own so that its resident memory and its CPU
 * are its own: run.ts forks this file. It seeds orgs into DATABASE_URL the way a browser-facing
 * deployment looks (an allowed widget origin, many users each owning a share of the goals, the
 * product's own rate limit), signs each user a token as a host's server would, and reports
 * them over IPC. It stops on a "stop" message or when the parent goes away; on request it
 * records a CPU profile of itself for the length of one benchmark row.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { writeHeapSnapshot } from 'node:v8';
import { createOrgsRepository } from '../bff/src/components/orgs/orgs.repository.js';
import { createOrgsService, type OrgsService } from '../bff/src/components/orgs/orgs.service.js';
import { seedDemo } from '../bff/src/components/demo/demo.seed.js';
import { loadConfig } from '../bff/src/lib/config.js';
import type { Database } from '../bff/src/lib/db.js';
import { createLogger } from '../bff/src/lib/logger.js';
import { startServer } from '../bff/src/server.js';

/** The page origin every benchmark request carries, as a cross-origin widget's would. */
export const BENCH_ORIGIN = 'https://intranet.bench.example';

export interface BenchUser {
  id: string;
  token: string;
}

export interface BenchOrg {
  slug: string;
  id: string;
  /** The demo goal with the most key results: the goal card the bench asks for. */
  goalId: string;
  /** Distinct users, each owning an equal share of the generated goals and their key results. */
  users: BenchUser[];
  /** One `increase` key result per user, on a goal that user owns: where that user checks in. */
  checkInTargets: Array<{ keyResultId: string; token: string }>;
}

export interface BenchServerReady {
  port: number;
  origin: string;
  orgs: BenchOrg[];
}

// tsx turns source-mapped stack traces on; `okr serve` runs the built JavaScript without them.
// Sequelize's SQLite dialect reads an Error's stack on every query, so with them on each SQLite
// statement paid for mapping its stack through the sources, which no operator's server does.
process.setSourceMapsEnabled(false);

const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
});
const goalCounts = (process.env.BENCH_GOALS ?? '1000').split(',').map(Number);
const userCount = Number(process.env.BENCH_USERS ?? '200');
const scope = 'okr:read okr:checkin';

async function seedOrg(db: Database, orgs: OrgsService, slug: string, goals: number) {
  await seedDemo(db, orgs, { slug, goals, origins: [BENCH_ORIGIN] });
  const [org] = await db.select<{ id: string }>('SELECT id FROM organizations WHERE slug = :slug', {
    slug,
  });
  const [goal] = await db.select<{ id: string }>(
    `SELECT g.id FROM goals g JOIN key_results k ON k.goal_id = g.id
     WHERE g.org_id = :org GROUP BY g.id ORDER BY COUNT(*) DESC, g.id LIMIT 1`,
    { org: org?.id },
  );
  if (!org || !goal) throw new Error('the demo seed made no org or goal');
  const tokens: string[] = [];
  for (let i = 0; i < userCount; i++) {
    const sub = `bench-user-${String(i).padStart(4, '0')}`;
    const { token } = await orgs.signToken(
      { org: slug, sub, name: `Bench User ${i}`, scope, ttlSeconds: 3600 },
      false,
    );
    tokens.push(token);
  }
  return { slug, id: org.id, goalId: goal.id, tokens };
}

/**
 * Users exist once they have called the API (just-in-time, as in production); then each is
 * given every `userCount`-th generated goal and its key results, so My OKRs lists real goals
 * and check-ins go through the owner's permission, as a widget user's do.
 */
async function shareGoals(
  db: Database,
  baseUrl: string,
  seeded: Awaited<ReturnType<typeof seedOrg>>,
) {
  const users: BenchUser[] = [];
  for (const token of seeded.tokens) {
    const me = await fetch(`${baseUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}`, origin: BENCH_ORIGIN },
    });
    const body = (await me.json()) as { user?: { id: string } };
    if (me.status !== 200 || !body.user) throw new Error(`GET /me answered ${me.status}`);
    users.push({ id: body.user.id, token });
  }
  const goals = await db.select<{ id: string }>(
    `SELECT id FROM goals WHERE org_id = :org AND title LIKE 'Generated goal %' ORDER BY id`,
    { org: seeded.id },
  );
  const checkInTargets: BenchOrg['checkInTargets'] = [];
  for (const [index, user] of users.entries()) {
    const ids = goals.filter((_, i) => i % users.length === index).map((g) => g.id);
    if (ids.length === 0) continue;
    await db.execute('UPDATE goals SET owner_id = :user WHERE id IN (:ids)', {
      user: user.id,
      ids,
    });
    await db.execute('UPDATE key_results SET owner_id = :user WHERE goal_id IN (:ids)', {
      user: user.id,
      ids,
    });
    const [target] = await db.select<{ id: string }>(
      `SELECT id FROM key_results WHERE goal_id IN (:ids) AND kind = 'increase'
       AND deleted_at IS NULL ORDER BY id LIMIT 1`,
      { ids },
    );
    if (target) checkInTargets.push({ keyResultId: target.id, token: user.token });
  }
  return { slug: seeded.slug, id: seeded.id, goalId: seeded.goalId, users, checkInTargets };
}

const seeded: Array<Awaited<ReturnType<typeof seedOrg>>> = [];
const server = await startServer({
  config,
  logger: createLogger('silent'),
  async prepare(db: Database) {
    const orgsService = createOrgsService(createOrgsRepository(db), config.masterKey);
    for (const [i, goals] of goalCounts.entries()) {
      seeded.push(await seedOrg(db, orgsService, i === 0 ? 'bench' : `bench-${i + 1}`, goals));
    }
  },
});
const baseUrl = `http://127.0.0.1:${server.port}`;
const orgs: BenchOrg[] = [];
for (const org of seeded) orgs.push(await shareGoals(server.db, baseUrl, org));

// Counts the SQL statements the server sends (Sequelize's logging hook sees each one), and
// apart those a request sent: a timer's (the idempotency sweeper's, once a minute) is no
// request's cost, and counted with them it made a 20-request sample read 0.05 per request.
const inRequest = new AsyncLocalStorage<true>();
// The first 'request' listener: what the app's listener after it starts runs in this context.
server.http.prependListener('request', () => inRequest.enterWith(true));
let statements = 0;
let requestStatements = 0;
(server.db.sequelize as unknown as { options: { logging?: unknown } }).options.logging = (
  line: string,
) => {
  statements += 1;
  if (inRequest.getStore()) requestStatements += 1;
  if (process.env.BENCH_LOG_SQL) process.stderr.write(`sql: ${line.slice(0, 160)}\n`);
};

/** The V8 profiler through the inspector protocol: one row's worth, not the whole run. */
let profiler: Session | undefined;
function startProfile() {
  profiler = new Session();
  profiler.connect();
  profiler.post('Profiler.enable', () =>
    profiler?.post('Profiler.start', () => process.send?.({ profiling: true })),
  );
}
function stopProfile(file: string) {
  profiler?.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(file, JSON.stringify(result.profile));
    profiler?.disconnect();
    profiler = undefined;
    process.send?.({ profiled: error ? `failed: ${error.message}` : file });
  });
}

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
  if (message === 'request-statements') process.send?.({ requestStatements });
  if (message === 'usage') process.send?.({ usage: process.memoryUsage() });
  if (message === 'heap') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ heapUsed: process.memoryUsage().heapUsed });
  }
  if (message === 'profile-start') startProfile();
  // A heap snapshot names what the live heap holds when it grows (open it in DevTools → Memory).
  const snapshotTo = (message as { heapSnapshot?: string } | null)?.heapSnapshot;
  if (typeof snapshotTo === 'string') process.send?.({ snapshot: writeHeapSnapshot(snapshotTo) });
  const stopTo = (message as { profileStop?: string } | null)?.profileStop;
  if (typeof stopTo === 'string') stopProfile(stopTo);
});
process.on('disconnect', () => void stop());
process.send?.({ port: server.port, origin: BENCH_ORIGIN, orgs } satisfies BenchServerReady);
