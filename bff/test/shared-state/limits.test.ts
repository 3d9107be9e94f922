/**
 * Two apps over one private Redis stand for two instances: failures spent on one are spent on
 * the other. (Each app has a database of its own, so their users differ: three real processes
 * on one MariaDB share the request limit in test/multi-instance.)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { createPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

const budget = 4;
const [sqlite] = dialects();

describe('[sqlite, private redis] limits shared by two apps', () => {
  let redis: PrivateRedis;
  let first: TestApp;
  let second: TestApp;
  let org: TestOrg;
  let secondOrg: TestOrg;

  before(async () => {
    redis = await createPrivateRedis();
    await redis.start();
    const config = {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `lim${randomBytes(3).toString('hex')}:`,
      AUTH_FAILURES_PER_MINUTE: String(budget),
      RATE_LIMIT_PER_MINUTE: String(budget),
    };
    first = await startTestApp(sqlite!, { config });
    second = await startTestApp(sqlite!, { config });
    org = await first.createOrg();
    secondOrg = await second.createOrg();
    for (const app of [first, second]) {
      for (let i = 0; (await app.request('GET', '/readyz')).body.redis !== 'ok'; i += 1) {
        assert.ok(i < 100, 'redis connected');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });
  after(async () => {
    await first?.close();
    await second?.close();
    await redis?.destroy();
  });

  it('when a user spends the request limit held in Redis, then the answers have the usual shape', async () => {
    // Before the failures below: a spent address would refuse this token's first lookup.
    const token = await org.token({ sub: 'busy' });
    const statuses: number[] = [];
    const remaining: Array<string | null> = [];
    for (let i = 0; i < budget + 2; i += 1) {
      const answer = await first.request('GET', '/api/v1/me', { token });
      statuses.push(answer.status);
      remaining.push(answer.headers.get('ratelimit-remaining'));
      if (answer.status === 429) {
        assert.equal(answer.body.error.code, 'rate_limited');
        assert.ok(Number(answer.headers.get('retry-after')) >= 1);
      }
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    assert.deepEqual(remaining.slice(0, budget), ['3', '2', '1', '0']);
  });

  it('when an address fails on one app, then the other counts those failures too', async () => {
    const unknownKid = () => org.token({}, { kid: `flood-${randomBytes(4).toString('hex')}` });
    for (let i = 0; i < budget; i += 1) {
      const app = i % 2 ? second : first;
      assert.equal(
        (await app.request('GET', '/api/v1/me', { token: await unknownKid() })).status,
        401,
      );
    }
    for (const app of [first, second]) {
      const limited = await app.request('GET', '/api/v1/me', { token: await unknownKid() });
      assert.equal(limited.status, 429, limited.text);
      assert.equal(limited.body.error.code, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    }
    const valid = await secondOrg.token({ sub: 'behind-the-same-nat' });
    assert.equal(
      (await second.request('GET', '/api/v1/me', { token: valid })).status,
      429,
      'a token whose key this app has not looked up yet waits with the flood',
    );
  });
});
