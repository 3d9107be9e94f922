/**
 * `Database.inOrder` against a real database: statements run in the order given and each task
 * gets its own result; on MariaDB they go out as one query (counted on the transaction's own
 * connection); a failure anywhere leaves nothing behind; and a batch that carries the COMMIT
 * commits only when every statement of it ran.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDatabase, isUniqueViolation, type Database, type Tx } from '../../src/lib/db.js';
import { dialects, type TestDatabase } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] statement batches`, () => {
    let database: TestDatabase;
    let db: Database;
    let sqlLog: string[] = [];

    before(async () => {
      database = await dialect.create();
      db = createDatabase(database.url);
      await db.execute('CREATE TABLE batch_probe (id VARCHAR(40) PRIMARY KEY, n INT NOT NULL)');
      (db.sequelize as unknown as { options: { logging?: unknown } }).options.logging = (
        line: string,
      ) => sqlLog.push(line.replace(/^Executing \([^)]*\): /, ''));
    });
    after(async () => {
      await db.close();
      await database.drop();
    });

    /** Counts the queries a transaction's connection is sent (MariaDB; SQLite has no such). */
    function queriesSentOn(tx: Tx): { count: number } {
      const sent = { count: 0 };
      const connection = (tx as unknown as { connection: { query?: (...a: unknown[]) => unknown } })
        .connection;
      const query = connection.query;
      if (dialect.name === 'mariadb' && query) {
        connection.query = (...args: unknown[]) => {
          sent.count += 1;
          return query.apply(connection, args);
        };
      }
      return sent;
    }

    const stored = async (prefix: string) =>
      (
        await db.select<{ id: string; n: number }>(
          'SELECT id, n FROM batch_probe WHERE id LIKE :prefix ORDER BY id',
          { prefix: `${prefix}%` },
        )
      ).map((row) => [row.id, Number(row.n)]);

    it('when statements are batched, then they run in order, each task gets its own result, and MariaDB is sent one query', async () => {
      let queries = 0;
      const [, seen, , after] = await db.transaction(async (tx) => {
        const sent = queriesSentOn(tx);
        const results = await db.inOrder([
          () => db.execute("INSERT INTO batch_probe VALUES ('order-a', 1)", {}, tx),
          () =>
            db.select<{ n: number }>(
              'SELECT n FROM batch_probe WHERE id = :id',
              {
                id: 'order-a',
              },
              tx,
            ),
          // A nested batch joins the one being started, in its place.
          () =>
            db.inOrder([
              () => db.execute("UPDATE batch_probe SET n = n + 1 WHERE id = 'order-a'", {}, tx),
              () => db.execute("INSERT INTO batch_probe VALUES ('order-b', :n)", { n: 7 }, tx),
            ]),
          () =>
            db.select<{ id: string; n: number }>(
              "SELECT id, n FROM batch_probe WHERE id LIKE 'order-%' ORDER BY id",
              {},
              tx,
            ),
        ] as const);
        queries = sent.count;
        return results;
      });
      assert.deepEqual(
        seen.map((row) => Number(row.n)),
        [1],
        'the read saw the insert before it',
      );
      assert.deepEqual(
        after.map((row) => [row.id, Number(row.n)]),
        [
          ['order-a', 2],
          ['order-b', 7],
        ],
      );
      if (dialect.name === 'mariadb') {
        assert.equal(queries, 1, 'START TRANSACTION and five statements, one query');
      }
      assert.deepEqual(await stored('order-'), [
        ['order-a', 2],
        ['order-b', 7],
      ]);
    });

    it('when a statement in the middle of a batch is refused, then its error is the database error and nothing of the transaction is kept', async () => {
      await db.execute("INSERT INTO batch_probe VALUES ('dup-taken', 1)");
      const failure = await db
        .transaction((tx) =>
          db.inOrder([
            () => db.execute("INSERT INTO batch_probe VALUES ('dup-new', 1)", {}, tx),
            () => db.execute("INSERT INTO batch_probe VALUES ('dup-taken', 2)", {}, tx),
            () => db.execute("INSERT INTO batch_probe VALUES ('dup-after', 3)", {}, tx),
          ]),
        )
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      assert.ok(isUniqueViolation(failure), String(failure));
      assert.deepEqual(await stored('dup-'), [['dup-taken', 1]]);
    });

    it('when a transaction sends a statement alone, then its START TRANSACTION goes with the first one', async () => {
      sqlLog = [];
      let queries = 0;
      await db.transaction(async (tx) => {
        const sent = queriesSentOn(tx);
        await db.execute("INSERT INTO batch_probe VALUES ('alone-a', 1)", {}, tx);
        await db.execute("INSERT INTO batch_probe VALUES ('alone-b', 2)", {}, tx);
        queries = sent.count;
      });
      const begins = sqlLog.filter((sql) => /^(START|BEGIN)/i.test(sql.trim()));
      assert.equal(begins.length, 1, sqlLog.join('\n'));
      assert.ok(/^(START|BEGIN)/i.test(sqlLog[0]?.trim() ?? ''), 'the transaction starts first');
      if (dialect.name === 'mariadb') assert.equal(queries, 2, 'the first insert took the START');
      assert.deepEqual(await stored('alone-'), [
        ['alone-a', 1],
        ['alone-b', 2],
      ]);
    });

    it('when a batch carries the COMMIT, then its writes are committed by it, with no COMMIT of its own after', async () => {
      sqlLog = [];
      let visibleBeforeReturn: unknown[] = [];
      await db.transaction(async (tx) => {
        await db.inOrder(
          [
            () => db.execute("INSERT INTO batch_probe VALUES ('commit-a', 1)", {}, tx),
            () => db.execute("INSERT INTO batch_probe VALUES ('commit-b', 2)", {}, tx),
          ],
          { commit: tx },
        );
        // Outside the transaction: MariaDB shows the rows only if the batch committed them.
        if (dialect.name === 'mariadb') visibleBeforeReturn = await stored('commit-');
      });
      assert.deepEqual(await stored('commit-'), [
        ['commit-a', 1],
        ['commit-b', 2],
      ]);
      assert.equal(sqlLog.filter((sql) => /^COMMIT\b/i.test(sql.trim())).length, 1);
      if (dialect.name === 'mariadb') assert.equal(visibleBeforeReturn.length, 2);
    });

    it('when a task of a committing batch fails before its statement is sent, then nothing is committed and its error is the one thrown', async () => {
      const failure = await db
        .transaction((tx) =>
          db.inOrder(
            [
              () => db.execute("INSERT INTO batch_probe VALUES ('early-a', 1)", {}, tx),
              async () => {
                throw new Error('refused before its statement');
              },
              () => db.execute("INSERT INTO batch_probe VALUES ('early-b', 2)", {}, tx),
            ],
            { commit: tx },
          ),
        )
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      assert.equal((failure as Error).message, 'refused before its statement');
      assert.deepEqual(await stored('early-'), []);
    });

    it('when a statement follows a batch that committed, then it is refused rather than run outside the transaction', async () => {
      const failure = await db
        .transaction(async (tx) => {
          await db.inOrder(
            [() => db.execute("INSERT INTO batch_probe VALUES ('late-a', 1)", {}, tx)],
            { commit: tx },
          );
          await db.execute("INSERT INTO batch_probe VALUES ('late-b', 2)", {}, tx);
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      if (dialect.name === 'mariadb') {
        assert.match(String(failure), /commit has been called on this transaction/);
        assert.deepEqual(await stored('late-'), [['late-a', 1]]);
      } else {
        // SQLite commits when the work returns: both rows are the transaction's.
        assert.equal(failure, undefined);
        assert.deepEqual(await stored('late-'), [
          ['late-a', 1],
          ['late-b', 2],
        ]);
      }
    });
  });
}
