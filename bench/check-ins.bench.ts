/**
 * Check-ins on MariaDB through the BFF: concurrent posts on different key results and on one
 * key result four goals deep (each check-in rolls up through every ancestor), next to plain
 * INSERTs of check-in rows with the same concurrency. Afterwards every acknowledged check-in
 * must be in the database exactly once and each key result's version must have moved by as many.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createDatabase, type Database } from '../bff/src/lib/db.js';
import type { Row } from './report.js';
import type { BenchServer } from './server-process.js';

const WORKERS = 10;
const PER_SCENARIO = Number(process.env.BENCH_CHECKINS ?? '120');
const MIN_ANCESTORS = 4;

interface KeyResultRow {
  id: string;
  goal_id: string;
  owner_id: string;
  version: number;
}

/** Runs `total` jobs on `WORKERS` concurrent loops; answers jobs per second. */
async function concurrently(total: number, job: (index: number) => Promise<void>) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
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

export async function benchCheckIns(server: BenchServer, databaseUrl: string): Promise<Row[]> {
  const db = createDatabase(databaseUrl);
  try {
    const candidates = await deepKeyResults(db, server.orgId);
    if (candidates.length < WORKERS + 2) {
      throw new Error(`only ${candidates.length} key results sit ${MIN_ANCESTORS} goals deep`);
    }
    const [insertTarget, single, ...rest] = candidates as [
      KeyResultRow,
      KeyResultRow,
      ...KeyResultRow[],
    ];
    const spread = rest.slice(0, WORKERS);

    const insertRate = await concurrently(PER_SCENARIO, async (i) => {
      await db.execute(
        `INSERT INTO check_ins (id, org_id, key_result_id, author_id, value, status, comment,
           idempotency_key, kr_version, created_at)
         VALUES (:id, :orgId, :kr, :author, :value, 'on_track', NULL, NULL, :version, :at)`,
        {
          id: randomUUID(),
          orgId: server.orgId,
          kr: insertTarget.id,
          author: insertTarget.owner_id,
          value: i,
          version: 1_000_000 + i,
          at: Date.now(),
        },
      );
    });

    const rows: Row[] = [
      {
        section: 'Check-ins',
        name: 'plain INSERT baseline',
        value: insertRate,
        unit: '/s',
        note: `${WORKERS} concurrent`,
      },
    ];
    const scenarios: Array<[string, (i: number) => KeyResultRow]> = [
      [`${spread.length} different key results`, (i) => spread[i % spread.length] as KeyResultRow],
      ['one key result, 4-level roll-up', () => single],
    ];
    for (const [name, target] of scenarios) {
      const ids = [...new Set(Array.from({ length: PER_SCENARIO }, (_, i) => target(i).id))];
      const before = await storedState(db, ids);
      const acknowledged = new Map<string, number>();
      let refused = 0;
      const rate = await concurrently(PER_SCENARIO, async (i) => {
        const kr = target(i);
        const response = await fetch(`${server.baseUrl}/api/v1/key-results/${kr.id}/check-ins`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${server.token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({ value: i % 100, comment: `bench ${i}` }),
        });
        await response.arrayBuffer();
        if (response.status === 201) acknowledged.set(kr.id, (acknowledged.get(kr.id) ?? 0) + 1);
        else refused += 1;
      });
      const after = await storedState(db, ids);
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
        // Stored once: rows, distinct idempotency keys and version steps all equal the acks.
        lost += Math.max(0, acked - Math.min(stored, versions, keys));
        extra += Math.max(0, Math.max(stored, versions, keys) - acked);
      }
      const ackedTotal = [...acknowledged.values()].reduce((a, b) => a + b, 0);
      rows.push({
        section: 'Check-ins',
        name: name,
        value: rate,
        unit: '/s',
        baseline: { name: 'INSERT', value: insertRate },
        ratio: rate / insertRate,
        note: `${ackedTotal} acknowledged, ${refused} refused`,
      });
      rows.push({
        section: 'Check-ins',
        name: `${name}: lost or duplicated`,
        value: lost + extra,
        unit: '',
        baseline: { name: 'acknowledged', value: ackedTotal },
        budget: '= 0, all acknowledged',
        pass: lost + extra === 0 && ackedTotal === PER_SCENARIO,
        note: `${lost} lost, ${extra} extra`,
      });
    }
    return rows;
  } finally {
    await db.close();
  }
}
