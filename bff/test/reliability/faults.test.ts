/**
 * Faults under load, against a MariaDB server this test starts itself (never the shared one) and
 * the BFF as a real child process (`okr serve`):
 * 1. the database crashes (SIGKILL) and comes back: 503s meanwhile, /readyz says so, the BFF
 *    recovers by itself within 5 s, and every check-in answered 201 is stored exactly once;
 * 2. the BFF gets SIGTERM: requests in flight finish, nothing fails but with 503 or a refused
 *    connection, and a request the server never answered was never stored.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { Sequelize } from 'sequelize';
import { nodeEnv, nodeFlags } from '../../bin/node-flags.mjs';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createOrgsService } from '../../src/components/orgs/orgs.service.js';
import { createTimeframesRepository } from '../../src/components/timeframes/timeframes.repository.js';
import { createDatabase, type Database } from '../../src/lib/db.js';
import { repoRoot } from '../../src/lib/paths.js';
import { masterKeyHex } from '../support/harness.js';
import { createPrivateMariaDb, freePort, type PrivateMariaDb } from '../support/private-mariadb.js';

const RECOVERY_BUDGET_MS = 5_000;
const WORKERS = 6;

interface Answer {
  status?: number;
  body?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON read freely
  error?: string;
}

/** One request on its own connection; a `gate` holds back the second half of the body. */
function send(
  port: number,
  method: string,
  urlPath: string,
  options: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    gate?: Promise<void>;
  } = {},
): Promise<Answer> {
  return new Promise((resolve) => {
    const payload =
      options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent: false,
        timeout: 30_000,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': payload.length }
            : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => resolve({ status: res.statusCode, error: String(error) }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message }),
    );
    if (!payload) {
      req.end();
    } else if (options.gate) {
      const half = Math.floor(payload.length / 2);
      req.write(payload.subarray(0, half));
      void options.gate.then(() => req.end(payload.subarray(half)));
    } else {
      req.end(payload);
    }
  });
}

interface Outcome extends Answer {
  kind: 'checkIn' | 'card' | 'readyz';
  key?: string;
  start: number;
  end: number;
}

/** Steady, bounded load: WORKERS loops alternating a check-in and a goal card read. */
function startLoad(
  port: number,
  token: string,
  keyResultIds: string[],
  goalIds: string[],
  tag: string,
) {
  const outcomes: Outcome[] = [];
  let running = true;
  const workers = Array.from({ length: WORKERS }, async (_, worker) => {
    for (let n = 0; running; n += 1) {
      const start = Date.now();
      if (n % 2 === 0) {
        const key = `${tag}-${worker}-${n}`;
        const answer = await send(
          port,
          'POST',
          `/api/v1/key-results/${keyResultIds[worker % keyResultIds.length]}/check-ins`,
          {
            token,
            body: { value: n, comment: key },
            headers: { 'idempotency-key': key },
          },
        );
        outcomes.push({ kind: 'checkIn', key, start, end: Date.now(), ...answer });
      } else {
        const answer = await send(
          port,
          'GET',
          `/api/v1/goals/${goalIds[worker % goalIds.length]}`,
          { token },
        );
        outcomes.push({ kind: 'card', start, end: Date.now(), ...answer });
      }
      await sleep(10);
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

function tally(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const label = `${o.kind}:${o.status ?? o.error}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts]
    .sort()
    .map(([label, n]) => `${label}=${n}`)
    .join(' ');
}

describe('[mariadb, private instance] reliability: database outage and SIGTERM under load', () => {
  let mariadb: PrivateMariaDb;
  let bff: ChildProcess | undefined;
  let bffExit: Promise<number | null>;
  let bffLog = '';
  let port: number;
  let token: string;
  let keyResultIds: string[] = [];
  let goalIds: string[] = [];
  const acknowledged = new Map<string, string>(); // idempotency key → check-in id answered 201

  /** Each 201 check-in is in the database exactly once (a fresh pool: the old one saw a crash). */
  async function assertAcknowledgedStoredOnce() {
    const db: Database = createDatabase(mariadb.url('okr'));
    try {
      const rows = await db.select<{ id: string; idempotency_key: string }>(
        'SELECT id, idempotency_key FROM check_ins',
      );
      const byKey = new Map<string, string[]>();
      for (const row of rows)
        byKey.set(row.idempotency_key, [...(byKey.get(row.idempotency_key) ?? []), row.id]);
      for (const [key, id] of acknowledged)
        assert.deepEqual(byKey.get(key), [id], `check-in ${key}`);
      const duplicated = [...byKey].filter(([, ids]) => ids.length > 1);
      assert.deepEqual(duplicated, []);
      return byKey;
    } finally {
      await db.close();
    }
  }

  function record(outcomes: Outcome[]) {
    for (const o of outcomes)
      if (o.kind === 'checkIn' && o.status === 201 && o.key)
        acknowledged.set(o.key, o.body.checkIn.id);
  }

  before(async () => {
    mariadb = await createPrivateMariaDb();
    await mariadb.start();
    const admin = new Sequelize(mariadb.url(''), { dialect: 'mysql', logging: false });
    await admin.query('CREATE DATABASE okr CHARACTER SET utf8mb4');
    await admin.close();

    port = await freePort();
    // The built server with the flags `okr serve` gives it (`npm run test:reliability` builds
    // first); started without the bin's wrapper process so that SIGTERM and SIGKILL reach it.
    bff = spawn(process.execPath, [...nodeFlags, 'bff/dist/cli.js', 'serve'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...nodeEnv,
        DATABASE_URL: mariadb.url('okr'),
        PORT: String(port),
        HOST: '127.0.0.1',
        OKR_MASTER_KEY: masterKeyHex,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '0',
        SHUTDOWN_GRACE_MS: '10000',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = bff;
    bffExit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout?.on('data', (chunk: Buffer) => (bffLog += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (bffLog += chunk.toString()));
    for (let i = 0; (await send(port, 'GET', '/readyz')).status !== 200; i += 1) {
      if (i > 600 || child.exitCode !== null) throw new Error(`the BFF did not start:\n${bffLog}`);
      await sleep(100);
    }

    const db = createDatabase(mariadb.url('okr'));
    const orgs = createOrgsService(createOrgsRepository(db), Buffer.from(masterKeyHex, 'hex'));
    const org = await orgs.createOrg({ slug: 'faults', name: 'Faults' });
    const key = await orgs.addKey('faults', 'HS256');
    const year = new Date().getUTCFullYear();
    const timeframeId = await createTimeframesRepository(db).insertTimeframe({
      orgId: org.id,
      name: 'This year',
      startDate: `${year}-01-01`,
      endDate: `${year}-12-31`,
    });
    await db.close();
    const now = Math.floor(Date.now() / 1000);
    token = await new SignJWT({
      sub: 'loader',
      name: 'Loader',
      scope: 'okr:read okr:checkin okr:write',
    })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(org.issuer)
      .setAudience('okr-embed')
      .setIssuedAt(now)
      .setExpirationTime(now + 1800)
      .sign(Buffer.from('secret' in key ? (key.secret ?? '') : '', 'base64url'));
    for (let i = 0; i < 3; i += 1) {
      const goal = await send(port, 'POST', '/api/v1/goals', {
        token,
        body: { title: `Fault goal ${i}`, level: 'personal', timeframeId },
      });
      assert.equal(goal.status, 201, JSON.stringify(goal));
      const keyResult = await send(port, 'POST', `/api/v1/goals/${goal.body.id}/key-results`, {
        token,
        body: { title: `Fault KR ${i}`, kind: 'increase', target: 1_000 },
      });
      assert.equal(keyResult.status, 201, JSON.stringify(keyResult));
      goalIds.push(goal.body.id);
      keyResultIds.push(keyResult.body.id);
    }
  });

  after(async () => {
    if (bff && bff.exitCode === null && bff.signalCode === null) {
      bff.kill('SIGKILL');
      await bffExit;
    }
    await mariadb?.destroy();
    goalIds = [];
    keyResultIds = [];
  });

  it('when the database crashes under load and comes back, then 503s meanwhile, /readyz 503, recovery within 5 s and every 201 stored once', async (t) => {
    const load = startLoad(port, token, keyResultIds, goalIds, 'outage');
    const probes: Outcome[] = [];
    const probe = async () => {
      const start = Date.now();
      probes.push({
        kind: 'readyz',
        start,
        ...(await send(port, 'GET', '/readyz')),
        end: Date.now(),
      });
    };
    await sleep(1_500);
    const killedAt = Date.now();
    await mariadb.kill();
    while (Date.now() - killedAt < 2_500) {
      await probe();
      await sleep(100);
    }
    const restartedAt = Date.now();
    await mariadb.start();
    const backAt = Date.now();
    const afterBack = () => [...load.outcomes, ...probes].filter((o) => o.start >= backAt);
    // Run until 2 s of the load have gone by after the database came back, probing readiness.
    while (
      Date.now() - backAt < 2_000 ||
      !probes.some((p) => p.start >= backAt && p.status === 200)
    ) {
      if (Date.now() - backAt > 20_000) break;
      await probe();
      await sleep(50);
    }
    await load.stop();
    record(load.outcomes);

    const outage = [...load.outcomes, ...probes].filter(
      (o) => o.start >= killedAt && o.end < restartedAt,
    );
    const later = afterBack().sort((x, y) => x.start - y.start);
    const lastFailure = later.filter((o) => o.status !== 200 && o.status !== 201).at(-1);
    const recoveredAt = lastFailure ? lastFailure.end : backAt;
    const recoveryMs = recoveredAt - backAt;
    const firstWrite = later.find((o) => o.kind === 'checkIn' && o.status === 201);
    const all = [...load.outcomes, ...probes];
    t.diagnostic(
      `outage: ${all.length} requests (${load.outcomes.length} load, ${probes.length} /readyz probes); ` +
        `database down ${restartedAt - killedAt} ms, restart took ${backAt - restartedAt} ms; ` +
        `recovery ${recoveryMs} ms after the database answered (every request since succeeded; ` +
        `first check-in 201 ${firstWrite ? firstWrite.end - backAt : 'never'} ms after); ` +
        `${acknowledged.size} check-ins acknowledged`,
    );
    t.diagnostic(`outage: before ${tally(all.filter((o) => o.end < killedAt))}`);
    t.diagnostic(`outage: during ${tally(outage)}`);
    t.diagnostic(`outage: after  ${tally(later)}`);

    const unexpected = all.filter((o) => ![200, 201, 503].includes(o.status ?? 0));
    assert.deepEqual(
      unexpected,
      [],
      `only 200, 201 and 503, and the BFF never dropped a connection; the BFF logged:\n${bffLog
        .split('\n')
        .filter((line) => line.includes('"level":50'))
        .join('\n')}`,
    );
    assert.ok(
      outage.some((o) => o.kind !== 'readyz' && o.status === 503),
      'the API answered 503',
    );
    const readyDuringOutage = probes.filter((p) => p.start >= killedAt && p.end < restartedAt);
    assert.ok(readyDuringOutage.length > 0);
    assert.ok(
      readyDuringOutage.every((p) => p.status === 503),
      tally(readyDuringOutage),
    );
    assert.ok(
      later.filter((o) => o.start > recoveredAt && o.kind === 'checkIn' && o.status === 201)
        .length > 0,
      'check-ins succeed again after recovery',
    );
    assert.ok(recoveryMs <= RECOVERY_BUDGET_MS, `recovered after ${recoveryMs} ms`);
    await assertAcknowledgedStoredOnce();
  });

  it('when the BFF gets SIGTERM under load, then requests in flight finish, only 503s or refused connections fail, and unanswered check-ins were not stored', async (t) => {
    const load = startLoad(port, token, keyResultIds, goalIds, 'sigterm');
    await sleep(1_000);
    // Requests the server is reading when the signal comes: their bodies finish only afterwards.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = Array.from({ length: 4 }, (_, i) =>
      send(port, 'POST', `/api/v1/key-results/${keyResultIds[i % keyResultIds.length]}/check-ins`, {
        token,
        body: { value: 500 + i, comment: `in flight ${i}` },
        headers: { 'idempotency-key': `inflight-${i}` },
        gate,
      }),
    );
    await sleep(300);
    const termAt = Date.now();
    bff?.kill('SIGTERM');
    await sleep(300);
    release();
    const slowAnswers = await Promise.all(slow);
    const exitCode = await bffExit;
    const stoppedAt = Date.now();
    await sleep(200);
    await load.stop();
    record(load.outcomes);
    slowAnswers.forEach((answer, i) => {
      if (answer.status === 201) acknowledged.set(`inflight-${i}`, answer.body.checkIn.id);
    });

    const crossing = load.outcomes.filter((o) => o.start < termAt && o.end > termAt);
    const refused = load.outcomes.filter((o) => o.error !== undefined);
    t.diagnostic(
      `sigterm: ${load.outcomes.length + slow.length} requests; ${slow.length} held in flight across the signal → ` +
        `${slowAnswers.map((a) => a.status ?? a.error).join(',')}; ${crossing.length} load requests crossed it; ` +
        `shutdown took ${stoppedAt - termAt} ms, exit code ${exitCode}`,
    );
    t.diagnostic(`sigterm: ${tally(load.outcomes)}`);

    assert.equal(exitCode, 0, bffLog);
    assert.deepEqual(
      slowAnswers.map((a) => a.status),
      [201, 201, 201, 201],
      JSON.stringify(slowAnswers),
    );
    const badStatus = load.outcomes.filter(
      (o) => o.status !== undefined && ![200, 201, 503].includes(o.status),
    );
    assert.deepEqual(badStatus, []);
    const byKey = await assertAcknowledgedStoredOnce();
    for (const o of refused) {
      assert.match(o.error ?? '', /^(ECONNREFUSED|ECONNRESET|EPIPE)$/, JSON.stringify(o));
      assert.ok(o.end >= termAt, `a connection failed before the signal: ${JSON.stringify(o)}`);
      if (o.kind === 'checkIn')
        assert.equal(byKey.get(o.key ?? ''), undefined, `unanswered check-in ${o.key} was stored`);
    }
    assert.ok(refused.length > 0, 'the load ran on past the shutdown');
  });
});
