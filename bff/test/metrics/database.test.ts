import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDatabase, type Database } from '../../src/lib/db.js';
import { createMetrics } from '../../src/lib/metrics.js';
import { dialects, type TestDatabase } from '../support/harness.js';
import { parseSamples, valueOf } from './prom-text.js';

for (const spec of dialects()) {
  describe(`[${spec.name}] database metrics`, () => {
    let database: TestDatabase;
    let db: Database;
    const metrics = createMetrics();
    const dialect = spec.name === 'sqlite' ? 'sqlite' : 'mysql';
    const scrape = async () => parseSamples(await metrics.registry.metrics());

    before(async () => {
      database = await spec.create();
      db = createDatabase(database.url);
      metrics.watchDatabase(db);
      await db.execute('CREATE TABLE metric_probe (id INTEGER PRIMARY KEY, n INTEGER)');
    });
    after(async () => {
      await db?.close();
      await database?.drop();
    });

    it('when statements run, then each is counted under its kind', async () => {
      await db.execute('INSERT INTO metric_probe (id, n) VALUES (1, 1)');
      await db.execute('UPDATE metric_probe SET n = 2 WHERE id = 1');
      await db.select('SELECT n FROM metric_probe');
      await db.select('WITH RECURSIVE r(x) AS (SELECT 1) SELECT x FROM r');
      await db.execute('DELETE FROM metric_probe WHERE id = 1');
      const samples = await scrape();
      const count = (statement: string) =>
        valueOf(samples, 'db_statement_duration_seconds_count', { dialect, statement });
      assert.deepEqual(
        ['select', 'insert', 'update', 'delete', 'other'].map(count),
        [2, 1, 1, 1, 1],
      );
    });

    it('when transactions hold the pool or the write lock, then the gauges show who waits', async () => {
      // MySQL: one more transaction than the pool has connections; SQLite: two writers.
      const holders = spec.name === 'sqlite' ? 2 : 11;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      const running = Array.from({ length: holders }, () =>
        db.transaction(async (tx) => {
          started += 1;
          await db.select('SELECT 1 AS one', {}, tx);
          await held;
        }),
      );
      const deadline = Date.now() + 5_000;
      while (started < holders - 1 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const samples = await scrape();
      assert.equal(valueOf(samples, 'db_pool_in_use', { dialect }), holders - 1);
      assert.equal(valueOf(samples, 'db_pool_waiting', { dialect }), 1);
      release();
      await Promise.all(running);
      const after = await scrape();
      assert.equal(valueOf(after, 'db_pool_in_use', { dialect }), 0);
      assert.equal(valueOf(after, 'db_pool_waiting', { dialect }), 0);
    });

    it('when statements are batched with inOrder, then the batch is not counted twice', async () => {
      const before = valueOf(await scrape(), 'db_statement_duration_seconds_sum', { dialect });
      const sleep =
        spec.name === 'sqlite'
          ? 'WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 300000) SELECT COUNT(*) AS n FROM r'
          : 'SELECT SLEEP(0.1) AS slept';
      const started = performance.now();
      await db.transaction((tx) =>
        db.inOrder([
          () => db.select(sleep, {}, tx),
          () => db.select(sleep, {}, tx),
          () => db.select(sleep, {}, tx),
        ]),
      );
      const wall = (performance.now() - started) / 1000;
      const counted =
        valueOf(await scrape(), 'db_statement_duration_seconds_sum', { dialect }) - before;
      // Timed from when each was queued, the three would add up to about twice the wall time.
      assert.ok(counted <= wall, `statements ${counted} s within a batch of ${wall} s`);
      assert.ok(counted >= wall / 2, `statements ${counted} s are most of the ${wall} s batch`);
    });
  });
}
