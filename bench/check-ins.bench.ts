/**
 * Check-ins on MariaDB through the BFF, posted as a widget posts them (the page's Origin, the
 * key result owner's own token): concurrent posts on different key results and on one key
 * result four goals deep (each check-in rolls up through every ancestor), next to plain
 * INSERTs of check-in rows with the same concurrency (warmed, then run before and after the
 * check-ins); the SQL statements one check-in sends; and two orgs checking in at once, each
 * against its own rate alone. Afterwards every acknowledged check-in must be in the database
 * exactly once and each key result's version must have moved by as many.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { profiled } from './profile.js';
import { createDatabase, type Database } from '../bff/src/lib/db.js';
import type { Row } from './report.js';
import type { BenchOrg } from './bff-server.js';
import type { BenchServer } from './server-process.js';

const WORKERS = 10;
// 600 take one to two seconds per scenario here. 120 took under half a second on one key
// result, too short for a steady rate on a shared machine, and with 300 (under a second) runs
// minutes apart read 0.068-0.14x the INSERT rate.
const PER_SCENARIO = Number(process.env.BENCH_CHECKINS ?? '600');
// Check-ins before the clock starts. On a fresh server the BFF's CPU per check-in fell from 2.8
// to 2.0 ms over its first 2 500 (TurboFan compiling the path, V8 sizing its heap), and the 300
// untimed of each scenario warmed only the first of those steps. So the server first takes
// 3 000, 10 concurrent, spread over every deep key result (each user far below the per-user
// rate limit); then each scenario fills its own groups and the pool with 100 more. The one key
// result's owner posts about 730 in all, within the 1 200 a minute that one user may.
const SERVER_WARM_UP = 3000;
const WARM_UP = 100;
// Plain INSERTs take 20–60 ms per 300, far too short for a rate, and the bench's own client
// warms slowly: after 300 untimed INSERTs, runs of 300 and 3 000 went 5 500, 7 800, 10 300,
// 11 300, 12 900 … 17 500/s over the next 14 000. So each timed run is ten times a check-in
// scenario's length, after an untimed one as long: the budget is not judged on a cold client.
const INSERTS = 10 * PER_SCENARIO;
const MIN_ANCESTORS = 4;

interface KeyResultRow {
  id: string;
  goal_id: string;
  owner_id: string;
  version: number;
}

/** CPU time every core of the machine has spent busy since it booted (ms), all processes. */
function machineBusyMs() {
  return cpus().reduce(
    (sum, { times }) => sum + times.user + times.nice + times.sys + times.irq,
    0,
  );
}

/** Runs `total` jobs on `workers` concurrent loops; answers jobs per second. */
async function concurrently(
  total: number,
  job: (index: number) => Promise<void>,
  workers = WORKERS,
) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) await job(next++);
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

/** Key results whose goal has at least four ancestors, at most one per parent goal. */
async function deepKeyResults(db: Database, orgId: string): Promise<KeyResultRow[]> {
  const goals = await db.select<{ id: string; parent_id: string | null }>(
    'SELECT id, parent_id FROM goals WHERE org_id = :orgId',
    { orgId },
  );
  const parentOf = new Map(goals.map((g) => [g.id, g.parent_id]));
  const ancestors = (id: string) => {
    let count = 0;
    for (let at = parentOf.get(id); at; at = parentOf.get(at)) count += 1;
    return count;
  };
  const keyResults = await db.select<KeyResultRow>(
    `SELECT id, goal_id, owner_id, version FROM key_results
     WHERE org_id = :orgId AND deleted_at IS NULL AND kind = 'increase' ORDER BY id`,
    { orgId },
  );
  const seenParents = new Set<string | null | undefined>();
  return keyResults.filter((kr) => {
    const parent = parentOf.get(kr.goal_id);
    if (ancestors(kr.goal_id) < MIN_ANCESTORS || seenParents.has(parent)) return false;
    seenParents.add(parent);
    return true;
  });
}

/** InnoDB's count of row-lock waits since the server started. */
async function rowLockWaits(db: Database): Promise<number> {
  const [row] = await db.select<{ Value: string }>(
    "SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_waits'",
  );
  return Number(row?.Value ?? Number.NaN);
}

async function storedState(db: Database, ids: string[]) {
  const rows = await db.select<{ id: string; version: number; stored: number; keys: number }>(
    `SELECT k.id, k.version, COUNT(c.id) AS stored, COUNT(DISTINCT c.idempotency_key) AS \`keys\`
     FROM key_results k LEFT JOIN check_ins c ON c.key_result_id = k.id
     WHERE k.id IN (:ids) GROUP BY k.id, k.version`,
    { ids },
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { version: Number(r.version), stored: Number(r.stored), keys: Number(r.keys) },
    ]),
  );
}

interface Posted {
  rate: number;
  /** The BFF process's CPU time per check-in posted (ms). */
  cpuMsEach: number;
  /** The whole machine's CPU time per second while they were posted: busy cores, every process. */
  machineCores: number;
  acknowledged: Map<string, number>;
  refused: Map<number, number>;
}

/**
 * The posts' HTTP client: node's own, over kept-alive sockets, as lean as the mysql2 client of
 * the INSERT baseline. `fetch` cost the load generator 0.9 ms of CPU per post on the 2 cores
 * the BFF and MariaDB share, which the rate then lost.
 */
const agent = new Agent({ keepAlive: true, maxSockets: WORKERS });

/** One check-in's POST; answers its status once the whole answer is read. */
function post(server: BenchServer, path: string, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${server.baseUrl}${path}`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          origin: server.origin,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': randomUUID(),
        },
      },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Posts `total` check-ins on `workers` loops, each by the key result owner's token. */
async function postCheckIns(
  server: BenchServer,
  tokenOf: Map<string, string>,
  total: number,
  target: (index: number) => KeyResultRow,
  workers = WORKERS,
): Promise<Posted> {
  const acknowledged = new Map<string, number>();
  const refused = new Map<number, number>();
  const cpuBefore = server.cpuSeconds();
  const machineBefore = machineBusyMs();
  const startedAt = performance.now();
  const rate = await concurrently(
    total,
    async (i) => {
      const kr = target(i);
      const status = await post(
        server,
        `/api/v1/key-results/${kr.id}/check-ins`,
        tokenOf.get(kr.owner_id) as string,
        JSON.stringify({ value: i % 100, comment: `bench ${i}` }),
      );
      if (status === 201) acknowledged.set(kr.id, (acknowledged.get(kr.id) ?? 0) + 1);
      else refused.set(status, (refused.get(status) ?? 0) + 1);
    },
    workers,
  );
  // CPU time, unlike the rate, does not move with what else the machine runs meanwhile.
  const cpuMsEach = ((server.cpuSeconds() - cpuBefore) * 1000) / total;
  const machineCores = (machineBusyMs() - machineBefore) / (performance.now() - startedAt);
  return { rate, acknowledged, refused, cpuMsEach, machineCores };
}

/** Every acknowledged check-in stored once: rows, distinct idempotency keys and version steps. */
function lostAndExtra(
  ids: string[],
  before: Awaited<ReturnType<typeof storedState>>,
  after: Awaited<ReturnType<typeof storedState>>,
  acknowledged: Map<string, number>,
) {
  let lost = 0;
  let extra = 0;
  for (const id of ids) {
    const acked = acknowledged.get(id) ?? 0;
    const was = before.get(id);
    const now = after.get(id);
    if (!was || !now) throw new Error(`key result ${id} vanished`);
    const stored = now.stored - was.stored;
    const versions = now.version - was.version;
    const keys = now.keys - was.keys;
    lost += Math.max(0, acked - Math.min(stored, versions, keys));
    extra += Math.max(0, Math.max(stored, versions, keys) - acked);
  }
  const total = [...acknowledged.values()].reduce((a, b) => a + b, 0);
  return { lost, extra, total };
}

const describeRefused = (refused: Map<number, number>) =>
  refused.size === 0
    ? '0 refused'
    : `refused ${[...refused].map(([s, n]) => `${s}×${n}`).join(', ')}`;

/** Key results four goals deep, whose owner is a bench user (so has a token). */
async function targetsOf(db: Database, org: BenchOrg) {
  const tokenOf = new Map(org.users.map((user) => [user.id, user.token]));
  const candidates = (await deepKeyResults(db, org.id)).filter((kr) => tokenOf.has(kr.owner_id));
  if (candidates.length < WORKERS + 2) {
    throw new Error(`only ${candidates.length} key results sit ${MIN_ANCESTORS} goals deep`);
  }
  return { tokenOf, candidates };
}

/**
 * Plain INSERTs of check-in rows on `kr`, 10 concurrent, straight to MariaDB: what a check-in's
 * rate is measured against. `from` keeps the versions of a second run apart from the first's.
 */
function plainInserts(db: Database, orgId: string, kr: KeyResultRow, from: number) {
  return concurrently(INSERTS, async (i) => {
    await db.execute(
      `INSERT INTO check_ins (id, org_id, key_result_id, author_id, value, status, comment,
         idempotency_key, kr_version, created_at)
       VALUES (:id, :orgId, :kr, :author, :value, 'on_track', NULL, NULL, :version, :at)`,
      {
        id: randomUUID(),
        orgId,
        kr: kr.id,
        author: kr.owner_id,
        value: i,
        version: 1_000_000 + from + i,
        at: Date.now(),
      },
    );
  });
}

export async function benchCheckIns(server: BenchServer, databaseUrl: string): Promise<Row[]> {
  const db = createDatabase(databaseUrl);
  try {
    const [org, otherOrg] = server.orgs;
    if (!org || !otherOrg) throw new Error('the check-in bench needs two orgs');
    const { tokenOf, candidates } = await targetsOf(db, org);
    const [insertTarget, single, ...rest] = candidates as [
      KeyResultRow,
      KeyResultRow,
      ...KeyResultRow[],
    ];
    const spread = rest.slice(0, WORKERS);

    // A first run warms the bench's own Sequelize and mysql2 (JIT, pool), as the check-ins'
    // warm-up below warms the server's (see INSERTS).
    await plainInserts(db, org.id, insertTarget, 0);
    const insertsBefore = await plainInserts(db, org.id, insertTarget, INSERTS);

    await postCheckIns(
      server,
      tokenOf,
      SERVER_WARM_UP,
      (i) => candidates[i % candidates.length] as KeyResultRow,
    );

    const rows: Row[] = [];

    // Statements of one check-in, sequentially so that no other request's are counted, after
    // one that warms the server's origin and signing-key lookups (cached, not per check-in).
    const sequential = 10;
    await postCheckIns(server, tokenOf, 1, () => single, 1);
    const statementsBefore = await server.requestStatements();
    await postCheckIns(server, tokenOf, sequential, () => single, 1);
    const perCheckIn = ((await server.requestStatements()) - statementsBefore) / sequential;
    rows.push({
      section: 'Check-ins',
      name: 'SQL statements per check-in, 4-level roll-up',
      value: perCheckIn,
      unit: '',
      budget: '≤ 12',
      pass: perCheckIn <= 12,
      note: `mean of ${sequential} sequential check-ins, lookups warm`,
    });

    const scenarios: Array<[string, (i: number) => KeyResultRow, number | undefined]> = [
      [
        `${spread.length} different key results`,
        (i) => spread[i % spread.length] as KeyResultRow,
        undefined,
      ],
      ['one key result, 4-level roll-up', () => single, 0.1],
    ];
    const measured: Array<{
      name: string;
      budget?: number;
      posted: Posted;
      statements: number;
      lost: number;
      extra: number;
      total: number;
    }> = [];
    for (const [name, target, budget] of scenarios) {
      // Untimed, as the HTTP rows warm up: the concurrent path (groups, multi-row INSERTs) is
      // compiled and the pool is full before the clock starts.
      await postCheckIns(server, tokenOf, WARM_UP, target);
      const ids = [...new Set(Array.from({ length: PER_SCENARIO }, (_, i) => target(i).id))];
      const before = await storedState(db, ids);
      const statementsBefore = await server.requestStatements();
      const posted = await profiled(server, 'checkins', 'mariadb', () =>
        postCheckIns(server, tokenOf, PER_SCENARIO, target),
      );
      // Fewer than a lone check-in's 12 each: check-ins shared transactions (group commit).
      const statements = ((await server.requestStatements()) - statementsBefore) / PER_SCENARIO;
      const counted = lostAndExtra(ids, before, await storedState(db, ids), posted.acknowledged);
      measured.push({ name, budget, posted, statements, ...counted });
    }
    // The INSERTs before and after the check-ins, as /healthz in the HTTP rows: the baseline
    // swings with the shared machine's load by more than the budget's margin, and drift then
    // shows in both halves instead of in the ratio.
    const insertsAfter = await plainInserts(db, org.id, insertTarget, 2 * INSERTS);
    const insertRate = (insertsBefore + insertsAfter) / 2;
    rows.unshift({
      section: 'Check-ins',
      name: 'plain INSERT baseline',
      value: insertRate,
      unit: '/s',
      note: `${WORKERS} concurrent, ${INSERTS} after ${INSERTS} untimed; ${insertsBefore.toFixed(0)}/s before the check-ins, ${insertsAfter.toFixed(0)}/s after`,
    });
    for (const { name, budget, posted, statements, lost, extra, total } of measured) {
      const ratio = posted.rate / insertRate;
      rows.push({
        section: 'Check-ins',
        name: `${name}, ${WORKERS} concurrent`,
        value: posted.rate,
        unit: '/s',
        baseline: { name: 'INSERT', value: insertRate },
        ratio,
        budget: budget === undefined ? undefined : `≥ ${budget}×`,
        // A rate is of acknowledged check-ins only: refusals (a rate limit) would inflate it.
        pass: budget === undefined ? undefined : ratio >= budget && posted.refused.size === 0,
        note: `${total} acknowledged, ${describeRefused(posted.refused)}, BFF CPU ${posted.cpuMsEach.toFixed(1)} ms and ${statements.toFixed(1)} SQL statements each`,
      });
      rows.push({
        section: 'Check-ins',
        name: `${name}: lost or duplicated`,
        value: lost + extra,
        unit: '',
        baseline: { name: 'acknowledged', value: total },
        budget: '= 0, all acknowledged',
        pass: lost + extra === 0 && total === PER_SCENARIO,
        note: `${lost} lost, ${extra} extra`,
      });
    }

    rows.push(...(await twoOrgs(server, db, [org, otherOrg])));
    return rows;
  } finally {
    await db.close();
  }
}

/**
 * Two orgs checking in at once, each on its own key results with half the workers: each org's
 * rate together must stay near its rate alone, i.e. one org's check-ins do not wait for the
 * other's locks (an org-wide sweep inside the transaction made them).
 */
async function twoOrgs(server: BenchServer, db: Database, orgs: BenchOrg[]): Promise<Row[]> {
  const workers = WORKERS / 2;
  const perOrg = PER_SCENARIO / 2;
  const setups = await Promise.all(
    orgs.map(async (org) => {
      const { tokenOf, candidates } = await targetsOf(db, org);
      const krs = candidates.slice(2, 2 + workers);
      return { org, tokenOf, target: (i: number) => krs[i % krs.length] as KeyResultRow, krs };
    }),
  );
  // How busy the BFF's one thread was (CPU seconds per second), and InnoDB's row-lock waits:
  // if one org's check-ins waited for the other's locks, together would wait more than the
  // two alone did; if the thread is what they share, it is busy alone already.
  let waitsAlone = 0;
  /** Each org alone, one after the other. */
  const eachAlone = async () => {
    const posted: Posted[] = [];
    const waitsBefore = await rowLockWaits(db);
    for (const setup of setups) {
      posted.push(await postCheckIns(server, setup.tokenOf, perOrg, setup.target, workers));
    }
    waitsAlone += (await rowLockWaits(db)) - waitsBefore;
    return posted;
  };
  const aloneBefore = await eachAlone();
  const ids = setups.flatMap((setup) => setup.krs.map((kr) => kr.id));
  const before = await storedState(db, ids);
  const waitsBefore = await rowLockWaits(db);
  const cpuBefore = server.cpuSeconds();
  const machineBefore = machineBusyMs();
  const startedAt = performance.now();
  const together = await profiled(server, 'checkins-two-orgs', 'mariadb', () =>
    Promise.all(
      setups.map((setup) => postCheckIns(server, setup.tokenOf, perOrg, setup.target, workers)),
    ),
  );
  const cpuSeconds = server.cpuSeconds() - cpuBefore;
  const seconds = (performance.now() - startedAt) / 1000;
  const busyTogether = cpuSeconds / seconds;
  const coresTogether = (machineBusyMs() - machineBefore) / 1000 / seconds;
  const waitsTogether = (await rowLockWaits(db)) - waitsBefore;
  const cpuTogether = (cpuSeconds * 1000) / (perOrg * orgs.length);
  const acknowledged = new Map(together.flatMap((posted) => [...posted.acknowledged]));
  const { lost, extra, total } = lostAndExtra(
    ids,
    before,
    await storedState(db, ids),
    acknowledged,
  );
  // Alone before and after together, as the INSERTs and /healthz: two orgs of the same shape
  // read 338 and 263/s alone one after the other, so one run each is mostly the machine's load.
  const aloneAfter = await eachAlone();
  const mean = (i: number, of: (posted: Posted) => number) =>
    (of(aloneBefore[i] as Posted) + of(aloneAfter[i] as Posted)) / 2;
  const alonePasses = [...aloneBefore, ...aloneAfter];
  const busyAlone = Math.max(
    ...alonePasses.map((posted) => (posted.cpuMsEach * posted.rate) / 1000),
  );
  // What every process together (BFF, database, this client) kept busy: if one org alone keeps
  // k of the machine's cores busy, both at 0.8x their rates alone need 1.6 k.
  const coresAlone =
    alonePasses.reduce((sum, posted) => sum + posted.machineCores, 0) / alonePasses.length;
  const rows: Row[] = together.map((posted, i) => {
    const alone = mean(i, (each) => each.rate);
    const ratio = posted.rate / alone;
    return {
      section: 'Check-ins',
      name: `two orgs at once: ${setups[i]?.org.slug}, ${workers} concurrent each`,
      value: posted.rate,
      unit: '/s',
      baseline: { name: 'alone', value: alone },
      ratio,
      budget: '≥ 0.8×',
      pass: ratio >= 0.8,
      note: `${describeRefused(posted.refused)}; alone ${aloneBefore[i]?.rate.toFixed(0)}/s before, ${aloneAfter[i]?.rate.toFixed(0)}/s after; BFF CPU ${mean(i, (each) => each.cpuMsEach).toFixed(1)} ms each alone, ${cpuTogether.toFixed(1)} together`,
    };
  });
  rows.push({
    section: 'Check-ins',
    name: 'two orgs at once: InnoDB row-lock waits',
    value: waitsTogether,
    unit: '',
    baseline: { name: 'both alone', value: waitsAlone },
    note: `BFF thread busy ${busyAlone.toFixed(2)} s/s alone (the busier org), ${busyTogether.toFixed(2)} together; the machine's ${cpus().length} cores busy ${coresAlone.toFixed(2)} alone (mean), ${coresTogether.toFixed(2)} together; both orgs at 0.8× would need ${(1.6 * coresAlone).toFixed(2)}`,
  });
  rows.push({
    section: 'Check-ins',
    name: 'two orgs at once: lost or duplicated',
    value: lost + extra,
    unit: '',
    baseline: { name: 'acknowledged', value: total },
    budget: '= 0, all acknowledged',
    pass: lost + extra === 0 && total === perOrg * orgs.length,
    note: `${lost} lost, ${extra} extra`,
  });
  return rows;
}
