/**
 * Expired idempotency records are swept outside the request, in LIMITed batches, by a timer
 * that stops with the app's database; a key whose record expired is usable again before that.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCheckInsRepository } from '../../src/components/check-ins/check-ins.repository.js';
import { createIdempotencySweeper } from '../../src/components/check-ins/idempotency-sweeper.js';
import { createDatabase } from '../../src/lib/db.js';
import { createLogger } from '../../src/lib/logger.js';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] idempotency sweeper`, () => {
    let app: TestApp;

    before(async () => {
      app = await startTestApp(dialect);
    });
    after(() => app.close());

    async function orgWithKeyResult(): Promise<{ org: TestOrg; as: Actors; krId: string }> {
      const org = await app.createOrg();
      const as = await actorsOf(org);
      const goal = await createGoal(app, as.writer, {
        title: 'Sweep target',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Things',
        kind: 'increase',
        target: 10,
      });
      return { org, as, krId: kr.id };
    }

    const checkIn = (as: Actors, krId: string, key: string, value = 1) =>
      app.request('POST', `/api/v1/key-results/${krId}/check-ins`, {
        token: as.writer,
        body: { value },
        headers: { 'idempotency-key': key },
      });

    const keysOf = async (orgId: string) =>
      (
        await app.db.select<{ idem_key: string }>(
          'SELECT idem_key FROM idempotency_records WHERE org_id = :orgId ORDER BY idem_key',
          { orgId },
        )
      ).map((row) => row.idem_key);

    const expire = (orgId: string, key: string) =>
      app.db.execute(
        'UPDATE idempotency_records SET expires_at = :past WHERE org_id = :orgId AND idem_key = :key',
        { orgId, key, past: Date.now() - 1 },
      );

    it('when records expire, then a sweep deletes them in batches, keeps fresh ones and leaves another org’s alone', async () => {
      const mine = await orgWithKeyResult();
      const theirs = await orgWithKeyResult();
      for (const key of ['old-1', 'old-2', 'old-3', 'fresh'])
        assert.equal((await checkIn(mine.as, mine.krId, key)).status, 201);
      assert.equal((await checkIn(theirs.as, theirs.krId, 'theirs')).status, 201);
      for (const key of ['old-1', 'old-2', 'old-3']) await expire(mine.org.id, key);

      const sweeper = createIdempotencySweeper({
        checkIns: createCheckInsRepository(app.db),
        logger: createLogger('silent'),
        batchSize: 2,
      });
      // Other tests' records may have expired too; this pass takes at least these three.
      assert.ok((await sweeper.sweepOnce()) >= 3);
      assert.deepEqual(await keysOf(mine.org.id), ['fresh']);
      assert.deepEqual(await keysOf(theirs.org.id), ['theirs']);
      assert.equal(await sweeper.sweepOnce(), 0, 'nothing expired is left');
      const replay = await checkIn(mine.as, mine.krId, 'fresh');
      assert.equal(replay.headers.get('idempotent-replayed'), 'true', 'fresh records still replay');
    });

    it('when a key’s record expired but was not swept yet, then the key stores a new check-in', async () => {
      const { org, as, krId } = await orgWithKeyResult();
      const first = await checkIn(as, krId, 'reused', 1);
      assert.equal(first.status, 201);
      await expire(org.id, 'reused');
      const again = await checkIn(as, krId, 'reused', 2);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.headers.get('idempotent-replayed'), null);
      assert.equal(again.body.keyResult.current, 2);
      const replay = await checkIn(as, krId, 'reused', 2);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(replay.text, again.text, 'the replay sends the very bytes first sent');
    });

    it('when the database it sweeps closes, then the sweeper’s timer stops', async () => {
      const db = createDatabase('sqlite::memory:');
      const sweeper = createIdempotencySweeper({
        checkIns: createCheckInsRepository(db),
        logger: createLogger('silent'),
      });
      sweeper.start();
      db.onClose(() => sweeper.stop());
      assert.equal(sweeper.running, true);
      await db.close();
      assert.equal(sweeper.running, false);
    });
  });
}
