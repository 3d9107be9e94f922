/**
 * What one check-in asks the database, counted through Sequelize's logging hook (the bench
 * counts the same way), so transaction control statements count too. The budget is 12
 * statements whatever the depth of the goal chain the check-in rolls up through.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] check-in statements`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    let log: string[] | undefined;
    let queries: { count: number } | undefined;

    before(async () => {
      app = await startTestApp(dialect);
      // Sequelize logs `Executing (connection): SQL`; the SQL is what counts.
      (app.db.sequelize as unknown as { options: { logging?: unknown } }).options.logging = (
        line: string,
      ) => log?.push(line.replace(/^Executing \([^)]*\): /, ''));
      // Every query a pooled MariaDB connection is sent, counted: one may carry several statements.
      if (dialect.name === 'mariadb') countQueries();
      org = await app.createOrg();
      as = await actorsOf(org);
    });
    after(() => app.close());

    function countQueries() {
      const manager = app.db.sequelize.connectionManager as unknown as {
        getConnection(...args: unknown[]): Promise<{ query(...args: unknown[]): unknown }>;
      };
      const getConnection = manager.getConnection.bind(manager);
      const counted = new WeakSet<object>();
      manager.getConnection = async (...args: unknown[]) => {
        const connection = await getConnection(...args);
        if (!counted.has(connection)) {
          counted.add(connection);
          const query = connection.query.bind(connection);
          connection.query = (...queryArgs: unknown[]) => {
            if (queries) queries.count += 1;
            return query(...queryArgs);
          };
        }
        return connection;
      };
    }

    /** A key result on a goal with `ancestors` goals above it, each rolling up its children. */
    async function keyResultUnder(ancestors: number) {
      let parentId: string | undefined;
      for (let level = 0; level < ancestors; level++) {
        const goal = await createGoal(app, as.writer, {
          title: `Level ${level}`,
          level: 'team',
          timeframeId: org.timeframeId,
          parentId,
          progressSource: 'both',
        });
        parentId = goal.id;
      }
      const goal = await createGoal(app, as.writer, {
        title: 'Leaf',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId,
      });
      return createKeyResult(app, as.writer, goal.id, {
        title: 'Calls',
        kind: 'increase',
        target: 100,
      });
    }

    /** The statements of one check-in with an Idempotency-Key, after a first one warmed up. */
    async function statementsOfCheckIn(krId: string) {
      const post = (value: number) =>
        app.request('POST', `/api/v1/key-results/${krId}/check-ins`, {
          token: as.writer,
          body: { value },
          headers: { 'idempotency-key': `count-${krId}-${value}` },
        });
      assert.equal((await post(1)).status, 201);
      log = [];
      queries = { count: 0 };
      const answer = await post(2);
      const statements = log;
      const sent = queries.count;
      log = undefined;
      queries = undefined;
      assert.equal(answer.status, 201, answer.text);
      return { answer, statements, queries: sent };
    }

    it('when a check-in rolls up through four ancestors, then the request sends at most 12 statements, one transaction of them', async () => {
      const kr = await keyResultUnder(4);
      const { answer, statements, queries: sent } = await statementsOfCheckIn(kr.id);
      assert.ok(statements.length <= 12, `${statements.length}:\n${statements.join('\n')}`);
      const begins = statements.filter((sql) => /\b(START|BEGIN)\b.*TRANSACTION/i.test(sql));
      const commits = statements.filter((sql) => /\bCOMMIT\b/i.test(sql));
      assert.equal(begins.length, 1);
      assert.equal(commits.length, 1);
      assert.ok(
        !statements.some((sql) => /SET SESSION TRANSACTION/i.test(sql)),
        'the isolation level is the connection’s, not set per transaction',
      );
      assert.ok(
        !statements.some((sql) => /DELETE FROM idempotency_records/i.test(sql)),
        'no sweep inside the check-in',
      );
      const goalLocks = statements.filter((sql) => /FROM goals[\s\S]*FOR UPDATE/i.test(sql));
      assert.equal(goalLocks.length, dialect.name === 'mariadb' ? 1 : 0, 'one lock for the chain');
      assert.equal(
        statements.filter((sql) => /^\s*UPDATE goals/i.test(sql)).length,
        1,
        'all progress in one write',
      );
      assert.ok(
        !statements.some((sql) => /WITH RECURSIVE/i.test(sql)),
        'the chain found by the check-in before is locked without finding it again',
      );
      if (dialect.name === 'mariadb') {
        // Two batches: the first carries START TRANSACTION, the last the COMMIT (db-batch.ts).
        assert.equal(sent, 2, `${sent} queries sent for ${statements.length} statements`);
        // Sent together, run in order: the roll-up's reads come after the chain's lock.
        const lockAt = statements.findIndex((sql) => /FROM goals[\s\S]*FOR UPDATE/i.test(sql));
        const childrenAt = statements.findIndex((sql) =>
          /WHERE org_id = \S+ AND parent_id IN/.test(sql),
        );
        assert.ok(lockAt > 0 && childrenAt > lockAt, statements.join('\n'));
      }
      assert.equal(answer.body.keyResult.current, 2);
      assert.equal(answer.body.goal.progress, 0.02);
    });

    it('when a chain is new to the process or has moved, then the check-in finds it in one recursive statement, and the next does not', async () => {
      const kr = await keyResultUnder(2);
      const post = async (value: number) => {
        log = [];
        queries = { count: 0 };
        const answer = await app.request('POST', `/api/v1/key-results/${kr.id}/check-ins`, {
          token: as.writer,
          body: { value },
        });
        assert.equal(answer.status, 201, answer.text);
        const seen = { statements: log, queries: queries.count };
        log = undefined;
        queries = undefined;
        return seen;
      };
      const finds = (statements: string[]) =>
        statements.filter((sql) => /WITH RECURSIVE/i.test(sql)).length;
      const first = await post(1);
      assert.equal(finds(first.statements), 1);
      assert.ok(first.statements.length <= 12, first.statements.join('\n'));
      if (dialect.name === 'mariadb') assert.equal(first.queries, 3);
      assert.equal(finds((await post(2)).statements), 0);

      const leaf = (await app.request('GET', `/api/v1/goals/${kr.goalId}`, { token: as.writer }))
        .body;
      const newParent = await createGoal(app, as.writer, {
        title: 'New parent',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      const moved = await app.request('PATCH', `/api/v1/goals/${leaf.id}`, {
        token: as.writer,
        body: { parentId: newParent.id },
        headers: { 'if-match': String(leaf.version) },
      });
      assert.equal(moved.status, 200, moved.text);
      // The remembered chain is locked, found wrong, rolled back and found afresh.
      const afterMove = await post(3);
      assert.equal(finds(afterMove.statements), 1, afterMove.statements.join('\n'));
      assert.equal(finds((await post(4)).statements), 0);
    });

    it('when 20 check-ins on one key result arrive at once, then they share transactions and fewer statements', async () => {
      const kr = await keyResultUnder(4);
      log = [];
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          app.request('POST', `/api/v1/key-results/${kr.id}/check-ins`, {
            token: as.writer,
            body: { value: i + 1 },
            headers: { 'idempotency-key': `burst-${kr.id}-${i}` },
          }),
        ),
      );
      const statements = log;
      log = undefined;
      for (const answer of answers) assert.equal(answer.status, 201, answer.text);
      const inserts = statements.filter((sql) => /^\s*INSERT INTO check_ins/i.test(sql));
      assert.ok(
        inserts.length < 20,
        `${inserts.length} transactions for 20 check-ins: those that waited went together`,
      );
      assert.ok(statements.length <= 12 * 20, `${statements.length} statements for 20 check-ins`);
      assert.deepEqual(
        answers.map((answer) => answer.body.keyResult.version).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
    });

    it('when 20 check-ins on four key results under one objective arrive at once, then they share transactions too', async () => {
      const top = await createGoal(app, as.writer, {
        title: 'Shared objective',
        level: 'company',
        timeframeId: org.timeframeId,
        progressSource: 'both',
      });
      const krs: Array<{ id: string }> = [];
      for (let n = 0; n < 4; n++) {
        const goal = await createGoal(app, as.writer, {
          title: `Branch ${n}`,
          level: 'personal',
          timeframeId: org.timeframeId,
          parentId: top.id,
        });
        krs.push(
          await createKeyResult(app, as.writer, goal.id, {
            title: 'Calls',
            kind: 'increase',
            target: 100,
          }),
        );
      }
      log = [];
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          app.request('POST', `/api/v1/key-results/${krs[i % 4]?.id}/check-ins`, {
            token: as.writer,
            body: { value: i + 1 },
            headers: { 'idempotency-key': `spread-${top.id}-${i}` },
          }),
        ),
      );
      const statements = log;
      log = undefined;
      for (const answer of answers) assert.equal(answer.status, 201, answer.text);
      const inserts = statements.filter((sql) => /^\s*INSERT INTO check_ins/i.test(sql));
      assert.ok(inserts.length < 20, `${inserts.length} transactions for 20 check-ins`);
      // One org's check-ins go together whatever their key result: some insert holds several.
      const mixed = inserts.filter((sql) => krs.filter((kr) => sql.includes(kr.id)).length > 1);
      assert.ok(mixed.length > 0, inserts.join('\n'));
      for (const [n, kr] of krs.entries()) {
        assert.deepEqual(
          answers
            .filter((_, i) => i % 4 === n)
            .map((answer) => answer.body.keyResult.version)
            .sort((a, b) => a - b),
          [2, 3, 4, 5, 6],
          `key result ${kr.id}: one version step per check-in`,
        );
      }
    });

    it('when the chain is deeper or shallower, then a check-in sends the same number of statements', async () => {
      const shallow = await statementsOfCheckIn((await keyResultUnder(1)).id);
      const deep = await statementsOfCheckIn((await keyResultUnder(7)).id);
      assert.equal(deep.statements.length, shallow.statements.length);
    });
  });
}
