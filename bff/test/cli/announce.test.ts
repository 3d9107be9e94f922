import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { dialects, masterKeyHex, type TestDatabase } from '../support/harness.js';
import { freePort } from '../support/private-mariadb.js';
import { createPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { okr, okrJson, okrOk } from './run-cli.js';

const [sqlite] = dialects();

describe('[sqlite, private redis] operator CLI: changes announced to running instances', () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let listener: Redis;
  let reader: Redis;
  const prefix = `cli${randomBytes(3).toString('hex')}:`;
  const heard: Array<string | null> = [];
  let env: Record<string, string>;

  before(async () => {
    database = await sqlite!.create();
    redis = await createPrivateRedis();
    await redis.start();
    listener = new Redis(redis.url);
    reader = new Redis(redis.url);
    listener.on('message', (_channel: string, message: string) =>
      heard.push((JSON.parse(message) as { orgId: string | null }).orgId),
    );
    await listener.subscribe(`${prefix}org-changes`);
    env = {
      DATABASE_URL: database.url,
      OKR_MASTER_KEY: masterKeyHex,
      OKR_DATA_DIR: '/nonexistent-okr-data',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
    };
  });
  /** Published before each command exits; delivery to a subscriber takes a moment more. */
  async function heardAtLeast(n: number) {
    for (let i = 0; i < 100 && heard.length < n; i += 1) await sleep(20);
  }

  after(async () => {
    listener?.disconnect();
    reader?.disconnect();
    await redis?.destroy();
    await database?.drop();
  });

  it('when an org is updated and a key retired, then each change is published and the org views move on', async () => {
    const org = await okrJson<{ id: string }>(
      ['org', 'create', '--slug', 'told', '--name', 'T'],
      env,
    );
    const key = await okrJson<{ kid: string }>(
      ['key', 'add', '--org', 'told', '--alg', 'HS256'],
      env,
    );
    await heardAtLeast(2);
    assert.deepEqual(heard, [org.id, org.id], 'creating the org and adding its key');
    const before = Number((await reader.get(`${prefix}generation:${org.id}`)) ?? 0);
    heard.length = 0;
    const updated = await okrOk(['org', 'update', 'told', '--name', 'Told'], env);
    assert.doesNotMatch(updated.stderr, /warning/);
    assert.equal(Number(await reader.get(`${prefix}generation:${org.id}`)), before + 1);
    const retired = await okrOk(['key', 'retire', '--kid', key.kid], env);
    assert.doesNotMatch(retired.stderr, /warning/);
    await heardAtLeast(2);
    assert.deepEqual(heard, [org.id, null], 'a kid names no org: every instance forgets all');
  });

  it('when Redis does not answer, then the command still succeeds and warns that instances see it within 5 s', async () => {
    await okrOk(['org', 'create', '--slug', 'unheard', '--name', 'U'], env);
    const run = await okr(['org', 'update', 'unheard', '--name', 'Still unheard'], {
      ...env,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /warning: Redis does not answer; running instances see this change within 5 s/,
    );
    const shown = await okrJson<{ name: string }>(['org', 'show', 'unheard'], env);
    assert.equal(shown.name, 'Still unheard');
  });
});
