/**
 * Three real `okr serve` processes on one MariaDB database and one private Redis, as a deploy
 * behind a load balancer runs them. SQLite cannot be shared by processes this way, so the suite
 * runs where TEST_MYSQL_URL names a MariaDB server (CI always sets it) and not otherwise.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { dialects, type TestDatabase } from '../support/harness.js';
import {
  runOkr,
  seedOrg,
  startInstances,
  stopInstances,
  type Instance,
  type SeededOrg,
} from '../support/instances.js';
import { createPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

const RATE_LIMIT = 60;

interface Chain {
  parentId: string;
  childId: string;
  keyResultId: string;
  /** The value of its last check-in. */
  value: number;
}

for (const spec of dialects().filter((d) => d.name === 'mariadb')) {
  describe('[mariadb, 3 instances, private redis] many instances share one truth', () => {
    let database: TestDatabase;
    let redis: PrivateRedis;
    let org: SeededOrg;
    let instances: Instance[] = [];
    let chain: Chain;
    let users = 0;
    /** A user no request has used yet, so per-user limits never interfere between steps. */
    const freshToken = () => org.token(`user-${(users += 1)}`);
    const options = () => ({ databaseUrl: database.url, redisUrl: redis.url });

    before(async () => {
      database = await spec.create();
      redis = await createPrivateRedis();
      await redis.start();
      org = await seedOrg(database.url, 2);
      instances = await startInstances(3, {
        ...options(),
        env: { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), AUTH_FAILURES_PER_MINUTE: '10000' },
      });
      chain = await createChain();
    });

    /** A company goal whose progress comes from a team goal with one key result. */
    async function createChain(): Promise<Chain> {
      const writer = await org.token('writer');
      const [a] = instances;
      const parent = await a!.request('POST', '/api/v1/goals', {
        token: writer,
        body: {
          title: 'Company',
          level: 'company',
          timeframeId: org.timeframeId,
          progressSource: 'aligned_goals',
        },
      });
      assert.equal(parent.status, 201, parent.text);
      const child = await a!.request('POST', '/api/v1/goals', {
        token: writer,
        body: {
          title: 'Team',
          level: 'team',
          timeframeId: org.timeframeId,
          parentId: parent.body.id,
        },
      });
      assert.equal(child.status, 201, child.text);
      const kr = await a!.request('POST', `/api/v1/goals/${child.body.id}/key-results`, {
        token: writer,
        body: { title: 'Deals', kind: 'increase', start: 0, target: 1000 },
      });
      assert.equal(kr.status, 201, kr.text);
      return {
        parentId: parent.body.id,
        childId: child.body.id,
        keyResultId: kr.body.id,
        value: 0,
      };
    }

    after(async () => {
      await stopInstances(instances);
      await redis?.destroy();
      await database?.drop();
    });

    /**
     * A check-in on `on` (by a user of its own, so no limit is reached), then the card, the
     * list and the tree of both goals read on the others: the stale reads among them (each
     * showing other progress than the check-in answered). Calls on one chain never overlap.
     */
    async function checkInThenRead(on: number, readers: number[], chain: Chain): Promise<string[]> {
      chain.value += 1;
      const checker = await org.token(`checker-${(users += 1)}`, {
        claims: { scope: 'okr:admin' },
      });
      const answer = await instances[on]!.request(
        'POST',
        `/api/v1/key-results/${chain.keyResultId}/check-ins`,
        { token: checker, body: { value: chain.value } },
      );
      assert.equal(answer.status, 201, answer.text);
      const expected = new Map<string, number>(
        answer.body.progress.map((p: { id: string; progress: number }) => [p.id, p.progress]),
      );
      assert.ok(expected.has(chain.childId) && expected.has(chain.parentId), answer.text);
      const stale: string[] = [];
      const token = await freshToken();
      for (const r of readers) {
        const instance = instances[r]!;
        const [parentCard, childCard, list, tree] = await Promise.all([
          instance.request('GET', `/api/v1/goals/${chain.parentId}`, { token }),
          instance.request('GET', `/api/v1/goals/${chain.childId}`, { token }),
          instance.request('GET', `/api/v1/goals?timeframe=${org.timeframeId}`, { token }),
          instance.request('GET', '/api/v1/alignment', { token }),
        ]);
        for (const read of [parentCard, childCard, list, tree])
          assert.equal(read.status, 200, read.text);
        const shown: Array<[string, string, number | undefined]> = [
          ['parent card', chain.parentId, parentCard.body.progress],
          ['child card', chain.childId, childCard.body.progress],
        ];
        for (const [what, items] of [
          ['list', list.body.items],
          ['tree', tree.body.nodes],
        ] as const) {
          for (const id of [chain.parentId, chain.childId]) {
            const item = (items as Array<{ id: string; progress: number }>).find(
              (i) => i.id === id,
            );
            shown.push([
              `${what} ${id === chain.parentId ? 'parent' : 'child'}`,
              id,
              item?.progress,
            ]);
          }
        }
        for (const [what, id, progress] of shown)
          if (progress !== expected.get(id))
            stale.push(`${instance.name} ${what}: ${progress} ≠ ${expected.get(id)}`);
      }
      return stale;
    }

    /** One user alternating across the instances until refused: how many were allowed. */
    async function allowedAcrossInstances(): Promise<number> {
      const token = await freshToken();
      let allowed = 0;
      for (let i = 0; i < RATE_LIMIT * 3; i += 1) {
        const answer = await instances[i % 3]!.request('GET', '/api/v1/me', { token });
        if (answer.status === 200) allowed += 1;
        else {
          assert.equal(answer.status, 429, answer.text);
          assert.equal(answer.body.error.code, 'rate_limited');
          assert.ok(Number(answer.headers.get('retry-after')) >= 1);
        }
      }
      return allowed;
    }

    it('when a check-in is answered by A, then cards, lists and trees on B and C all show it at once', async () => {
      const stale: string[] = [];
      for (let round = 0; round < 20; round += 1) {
        // Each round's reads warm B's and C's caches for the next: a stale read would have
        // something to serve.
        stale.push(...(await checkInThenRead(0, [1, 2], chain)));
      }
      assert.deepEqual(stale, []);
    });

    it('when one user alternates across the three instances, then the limit is the configured one', async () => {
      const allowed = await allowedAcrossInstances();
      assert.ok(
        allowed >= RATE_LIMIT * 0.9 && allowed <= RATE_LIMIT * 1.1,
        `${allowed} allowed of a limit of ${RATE_LIMIT}`,
      );
    });

    it('when Redis stops and starts under load, then nothing answers 5xx and limits and freshness are right after', async () => {
      const chains = [chain, await createChain(), await createChain()];
      const stale: string[] = [];
      let running = true;
      let rounds = 0;
      // Each worker checks in on a chain of its own across the instances and reads it back on
      // the others; every answer must be 2xx (the helpers assert it), during the outage too.
      const workers = chains.map(async (own) => {
        while (running) {
          const on = (rounds += 1) % 3;
          stale.push(...(await checkInThenRead(on, [(on + 1) % 3, (on + 2) % 3], own)));
        }
      });
      const redisOf = async () =>
        Promise.all(
          instances.map(async (instance) => {
            const ready = await instance.request('GET', '/readyz');
            assert.equal(ready.status, 200, ready.text);
            assert.equal(ready.body.status, 'ready');
            return ready.body.redis as string;
          }),
        );
      const until = async (state: string) => {
        for (let i = 0; i < 200; i += 1) {
          if ((await redisOf()).every((s) => s === state)) return;
          await sleep(50);
        }
        assert.fail(`instances did not all report redis ${state}: ${await redisOf()}`);
      };
      try {
        assert.deepEqual(await redisOf(), ['ok', 'ok', 'ok']);
        await sleep(1_000);
        const before = rounds;
        await redis.stop();
        await until('degraded');
        await sleep(1_500);
        const during = rounds;
        await redis.start();
        await until('ok');
        await sleep(1_000);
        assert.ok(during > before, `load went on while Redis was down (${during - before} rounds)`);
      } finally {
        running = false;
        await Promise.all(workers);
      }
      assert.deepEqual(stale, [], `${rounds} rounds`);

      const afterwards: string[] = [];
      for (let round = 0; round < 5; round += 1)
        afterwards.push(
          ...(await checkInThenRead(round % 3, [(round + 1) % 3, (round + 2) % 3], chain)),
        );
      assert.deepEqual(afterwards, [], 'fresh after recovery');
      const allowed = await allowedAcrossInstances();
      assert.ok(
        allowed >= RATE_LIMIT * 0.9 && allowed <= RATE_LIMIT * 1.1,
        `after recovery, ${allowed} allowed of a limit of ${RATE_LIMIT}`,
      );
    });

    it('when a key is retired with the CLI, then every instance refuses it within 1 s', async () => {
      const doomed = org.kids[1]!;
      const token = await org.token(`user-${(users += 1)}`, { kid: doomed });
      // Every instance has the key in its lookups and the token verified: 5 s to hide in.
      for (const instance of instances)
        assert.equal((await instance.request('GET', '/api/v1/me', { token })).status, 200);
      const retired = runOkr(['key', 'retire', '--kid', doomed], options());
      assert.equal(retired.status, 0, retired.stderr);
      assert.doesNotMatch(retired.stderr, /warning/);
      const retiredAt = Date.now();
      const refusedAfter = await Promise.all(
        instances.map(async (instance) => {
          for (;;) {
            const answer = await instance.request('GET', '/api/v1/me', { token });
            if (answer.status === 401) return Date.now() - retiredAt;
            assert.equal(answer.status, 200, answer.text);
            if (Date.now() - retiredAt > 5_000) return Infinity;
            await sleep(20);
          }
        }),
      );
      assert.ok(
        refusedAfter.every((ms) => ms <= 1_000),
        `refused after ${refusedAfter.join(', ')} ms`,
      );
      const other = await freshToken();
      for (const instance of instances)
        assert.equal((await instance.request('GET', '/api/v1/me', { token: other })).status, 200);
    });

    it('when every instance gets SIGTERM, then each shuts down cleanly, Redis connections and all', async () => {
      assert.deepEqual(await stopInstances(instances), [0, 0, 0]);
    });
  });
}
