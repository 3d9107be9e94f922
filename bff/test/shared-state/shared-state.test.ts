import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createApp } from '../../src/app.js';
import { createDatabase } from '../../src/lib/db.js';
import { createLogger } from '../../src/lib/logger.js';
import { migrate } from '../../src/lib/migrate.js';
import { whenShared } from '../../src/lib/org-changes.js';
import {
  createSharedState,
  type SharedState,
  type SharedStatus,
} from '../../src/lib/shared-state/index.js';
import { dialects, testConfig } from '../support/harness.js';
import { createPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

async function eventually(check: () => boolean | Promise<boolean>, ms = 5_000, what = 'it') {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`${what} did not happen within ${ms} ms`);
}

interface Flavour {
  name: 'in-process' | 'redis';
  /** A new instance's shared state; with Redis, every one made shares one server. */
  make(): Promise<SharedState>;
}

const made: SharedState[] = [];
let redis: PrivateRedis | undefined;
const prefix = `t${randomBytes(3).toString('hex')}:`;

const flavours: Flavour[] = [
  {
    name: 'in-process',
    async make() {
      const shared = createSharedState({ redisUrl: undefined, redisKeyPrefix: prefix }, quiet);
      made.push(shared);
      return shared;
    },
  },
  {
    name: 'redis',
    async make() {
      redis ??= await createPrivateRedis();
      await redis.start();
      const shared = createSharedState({ redisUrl: redis.url, redisKeyPrefix: prefix }, quiet);
      made.push(shared);
      assert.ok(await whenShared(shared, 5_000), 'connects');
      return shared;
    },
  },
];
const quiet = createLogger('silent');

after(async () => {
  for (const shared of made) await shared.close();
  await redis?.destroy();
});

for (const flavour of flavours) {
  describe(`[${flavour.name}] shared state`, () => {
    let shared: SharedState;
    before(async () => {
      shared = await flavour.make();
    });

    it('when an org generation is bumped, then it reads higher and other orgs are untouched', async () => {
      const before = await shared.generation('org-a');
      const other = await shared.generation('org-b');
      assert.equal(typeof before, 'number');
      await shared.bumpGeneration('org-a');
      await shared.bumpGeneration('org-a');
      assert.equal(await shared.generation('org-a'), (before ?? 0) + 2);
      assert.equal(await shared.generation('org-b'), other);
    });

    it('when a key spends its allowance, then the next is refused with a retry time and peeking spends nothing', async () => {
      const limiter = shared.limiter('test-requests', 5);
      assert.deepEqual(await limiter.peek('u1'), {
        allowed: true,
        remaining: 4,
        retryAfterSeconds: 0,
      });
      const remaining: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const answer = await limiter.consume('u1');
        assert.equal(answer.allowed, true, `request ${i + 1}`);
        remaining.push(answer.remaining);
      }
      assert.deepEqual(remaining, [4, 3, 2, 1, 0]);
      const refused = await limiter.consume('u1');
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60);
      assert.equal((await limiter.peek('u1')).allowed, false);
      assert.equal((await limiter.consume('u2')).allowed, true, 'another key has its own');
    });

    it('when an org change is published, then listeners hear which org', async () => {
      const heard: Array<string | null> = [];
      shared.onOrgChange((orgId) => heard.push(orgId));
      await shared.publishOrgChange('org-a');
      await shared.publishOrgChange(null);
      await eventually(() => heard.length >= 2, 2_000, 'hearing both');
      assert.deepEqual(heard, ['org-a', null]);
    });

    if (flavour.name === 'in-process') {
      it('when nothing is shared, then the status says so for good', () => {
        assert.equal(shared.status(), 'in-process');
      });
      return;
    }

    it('when two instances share Redis, then a bump, an allowance and a change are seen by both', async () => {
      const other = await flavour.make();
      const start = await other.generation('org-c');
      await shared.bumpGeneration('org-c');
      assert.equal(await other.generation('org-c'), (start ?? 0) + 1);
      const here = shared.limiter('test-shared', 4);
      const there = other.limiter('test-shared', 4);
      const answers = [];
      for (let i = 0; i < 6; i += 1)
        answers.push((await (i % 2 ? there : here).consume('u')).allowed);
      assert.deepEqual(answers, [true, true, true, true, false, false]);
      const heard: Array<string | null> = [];
      other.onOrgChange((orgId) => heard.push(orgId));
      await shared.publishOrgChange('org-c');
      await eventually(() => heard.includes('org-c'), 1_000, 'the other instance hearing it');
    });

    it('when Redis stops, then the state degrades, nothing throws or waits, and it recovers when Redis is back', async () => {
      const statuses: SharedStatus[] = [];
      shared.onStatusChange((status) => statuses.push(status));
      const limiter = shared.limiter('test-outage', 3);
      await redis?.stop();
      await eventually(() => shared.status() === 'degraded', 5_000, 'degrading');
      assert.deepEqual(statuses, ['degraded']);

      const started = Date.now();
      assert.equal(await shared.generation('org-d'), undefined, 'an unknown generation');
      await shared.bumpGeneration('org-d');
      await shared.publishOrgChange('org-d');
      // The insurance limiter: the same allowance, in this process.
      const answers = [];
      for (let i = 0; i < 4; i += 1) answers.push((await limiter.consume('u')).allowed);
      assert.deepEqual(answers, [true, true, true, false]);
      assert.ok(Date.now() - started < 2_000, 'no call waited for Redis');

      await redis?.start();
      await eventually(() => shared.status() === 'ok', 10_000, 'recovering');
      assert.deepEqual(statuses, ['degraded', 'ok']);
      // The restarted Redis is empty; the bump owed from the outage lands on reconnect (the
      // reconnect and a read may both pay it: an extra bump costs a cache miss, nothing more).
      await eventually(
        async () => ((await shared.generation('org-d')) ?? 0) >= 1,
        // Generations are not trusted for a while after a reconnect (SETTLE_MS).
        5_000,
        'the owed bump',
      );
      const after = shared.limiter('test-after', 2);
      assert.deepEqual(
        [(await after.consume('u')).allowed, (await after.consume('u')).allowed],
        [true, true],
      );
      assert.equal((await after.consume('u')).allowed, false);
    });
  });
}

describe('[redis] the shared state of an app', () => {
  it('when the app made its own and its database closes, then all its Redis connections close too', async () => {
    redis ??= await createPrivateRedis();
    await redis.start();
    const [spec] = dialects();
    const database = await spec!.create();
    const db = createDatabase(database.url);
    const observer = new Redis(redis.url);
    const clients = async () =>
      String(await observer.client('LIST'))
        .split('\n')
        .filter((line) => line.includes('addr=')).length;
    let closed = false;
    try {
      await migrate(db);
      const alone = await clients();
      createApp({ config: testConfig(database.url, { REDIS_URL: redis.url }), db, logger: quiet });
      // Two for the shared state (commands, change listener), two for the event bus (commands,
      // subscriber).
      await eventually(async () => (await clients()) === alone + 4, 5_000, 'four connections');
      await db.close();
      closed = true;
      await eventually(async () => (await clients()) === alone, 5_000, 'all closed');
    } finally {
      // A failure above must not leave the app's connections holding the test process open.
      if (!closed) await db.close();
      observer.disconnect();
      await database.drop();
    }
  });
});
