/**
 * Authoring (issue 14): a goal created with its key results in one transaction, key results in
 * a stored order that every answer keeps, and reordering under the goal's version (the
 * carry-over is in copy.test.ts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '@okr-embed/contract';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { goalView } from '../../src/lib/views.schema.js';

const fiveKeyResults = [
  { title: 'Calls', kind: 'increase', start: 10, target: 110, unit: 'calls' },
  { title: 'Churn', kind: 'decrease', start: 8, target: 2, unit: '%', weight: 2 },
  { title: 'Uptime', kind: 'stay_above', target: 99.5 },
  { title: 'Launch', kind: 'boolean', target: 1 },
  { title: 'Migration', kind: 'initiative', target: 1, weight: 0.5 },
];

for (const dialect of dialects()) {
  describe(`[${dialect.name}] authoring: create with key results, order`, () => {
    let app: TestApp;
    let org: TestOrg;
    let other: TestOrg;
    let as: Actors;
    let log: string[] | undefined;

    before(async () => {
      app = await startTestApp(dialect);
      (app.db.sequelize as unknown as { options: { logging?: unknown } }).options.logging = (
        line: string,
      ) => log?.push(line.replace(/^Executing \([^)]*\): /, ''));
      org = await app.createOrg();
      other = await app.createOrg();
      as = await actorsOf(org);
    });
    after(() => app.close());

    const count = async (sql: string, params: Record<string, unknown>) => {
      const [row] = await app.db.select<{ n: number }>(sql, params);
      return Number(row?.n);
    };
    const post = (path: string, token: string, body: unknown) =>
      app.request('POST', `/api/v1${path}`, { token, body });

    it('when a goal is created with five key results, then one answer carries them in order, fields as sent, in at most 10 statements', async (t) => {
      // Warm the caller up, so the request counted is the goal alone.
      await app.request('GET', '/api/v1/me', { token: as.writer });
      log = [];
      const answer = await post('/goals', as.writer, {
        title: 'Planned in place',
        level: 'team',
        timeframeId: org.timeframeId,
        keyResults: fiveKeyResults,
      });
      const statements = log;
      log = undefined;
      assert.equal(answer.status, 201, answer.text);
      t.diagnostic(`${statements.length} statements`);
      assert.ok(statements.length <= 10, `${statements.length}:\n${statements.join('\n')}`);
      assert.equal(
        statements.filter((sql) => /^\s*INSERT INTO key_results/i.test(sql)).length,
        1,
        'one INSERT for all key results',
      );
      goalView.parse(answer.body);
      const krs = answer.body.keyResults;
      assert.deepEqual(
        krs.map((kr: { title: string }) => kr.title),
        fiveKeyResults.map((kr) => kr.title),
      );
      assert.equal(krs[0].start, 10);
      assert.equal(krs[0].current, 10, 'a new key result starts at its start');
      assert.equal(krs[0].unit, 'calls');
      assert.equal(krs[1].weight, 2);
      assert.equal(krs[2].target, 99.5);
      assert.equal(krs[2].progress, 0, 'stay above 99.5 at 0 is not met');
      assert.equal(answer.body.keyResultCount, 5);
      assert.equal(answer.body.progress, 0);
      assert.equal(answer.body.status, 'not_started');
      const again = await app.request('GET', `/api/v1/goals/${answer.body.id}`, {
        token: as.writer,
      });
      assert.deepEqual(
        again.body.keyResults.map((kr: { id: string }) => kr.id),
        krs.map((kr: { id: string }) => kr.id),
      );
    });

    it('when the goal is aligned under a parent, then the parent’s chain is locked and rolled up too, still in at most 10 statements', async (t) => {
      const parent = await createGoal(app, as.writer, {
        title: 'Counted parent',
        level: 'company',
        timeframeId: org.timeframeId,
      });
      log = [];
      const answer = await post('/goals', as.writer, {
        title: 'Counted child',
        level: 'team',
        timeframeId: org.timeframeId,
        parentId: parent.id,
        keyResults: fiveKeyResults,
      });
      const statements = log;
      log = undefined;
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.body.parent.id, parent.id);
      t.diagnostic(`${statements.length} statements`);
      // The chain's lock is MySQL's alone; SQLite's transaction is exclusive from its start.
      const bound = dialect.name === 'mariadb' ? 10 : 9;
      assert.ok(statements.length <= bound, `${statements.length}:\n${statements.join('\n')}`);
    });

    it('when the goal moves its parent, then the parent is written and remembered, still in at most 10 statements, and the answer is what GET answers', async (t) => {
      const parent = await createGoal(app, as.writer, {
        title: 'Moving parent',
        level: 'company',
        timeframeId: org.timeframeId,
        progressSource: 'both',
      });
      const kr = await createKeyResult(app, as.writer, parent.id, {
        title: 'Half way',
        kind: 'increase',
        start: 0,
        target: 10,
      });
      const half = await post(`/key-results/${kr.id}/check-ins`, as.writer, { value: 5 });
      assert.equal(half.status, 201, half.text);
      log = [];
      const answer = await post('/goals', as.writer, {
        title: 'Pulls the parent down',
        level: 'team',
        timeframeId: org.timeframeId,
        parentId: parent.id,
        keyResults: fiveKeyResults,
      });
      const statements = log;
      log = undefined;
      assert.equal(answer.status, 201, answer.text);
      t.diagnostic(`${statements.length} statements`);
      assert.ok(statements.length <= 10, `${statements.length}:\n${statements.join('\n')}`);
      assert.ok(statements.some((sql) => /^\s*UPDATE goals SET progress/i.test(sql)));
      assert.ok(statements.some((sql) => /^\s*INSERT INTO goal_progress_history/i.test(sql)));
      assert.ok(answer.body.parent.progress < half.body.goal.progress, 'the parent moved down');
      const read = await app.request('GET', `/api/v1/goals/${answer.body.id}`, {
        token: as.writer,
      });
      assert.equal(read.status, 200);
      assert.deepEqual(answer.body, read.body);
    });

    it('when one key result of the request is bad, then 400 names its field and neither the goal nor any key result is stored', async () => {
      const title = `Atomic ${randomUUID()}`;
      const keyResults = [
        ...fiveKeyResults.slice(0, 2),
        { title: 'Broken', kind: 'increase', target: 'many' },
      ];
      const answer = await post('/goals', as.writer, {
        title,
        level: 'team',
        timeframeId: org.timeframeId,
        keyResults,
      });
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.body.error.code, 'validation_failed');
      assert.ok(
        answer.body.error.details.some(
          (d: { field: string }) => d.field === 'body.keyResults.2.target',
        ),
        answer.text,
      );
      assert.equal(
        await count('SELECT COUNT(*) AS n FROM goals WHERE title = :title', { title }),
        0,
      );
      assert.equal(
        await count("SELECT COUNT(*) AS n FROM key_results WHERE title = 'Broken'", {}),
        0,
      );
    });

    it('when a key result names an owner of another org, then 404 and nothing is stored', async () => {
      const title = `Foreign owner ${randomUUID()}`;
      const stranger = await other.token({ sub: 'elsewhere', name: 'Elsewhere' });
      const elsewhere = (await app.request('GET', '/api/v1/me', { token: stranger })).body.user.id;
      const answer = await post('/goals', as.writer, {
        title,
        level: 'team',
        timeframeId: org.timeframeId,
        keyResults: [{ title: 'Theirs', kind: 'increase', target: 3, ownerId: elsewhere }],
      });
      assert.equal(answer.status, 404, answer.text);
      assert.equal(
        await count('SELECT COUNT(*) AS n FROM goals WHERE title = :title', { title }),
        0,
      );
    });

    it('when more key results are sent than the limit, then 400 at body.keyResults', async () => {
      const answer = await post('/goals', as.writer, {
        title: 'Too many',
        level: 'team',
        timeframeId: org.timeframeId,
        keyResults: Array.from({ length: LIMITS.keyResultsPerGoal + 1 }, (_, i) => ({
          title: `KR ${i}`,
          kind: 'boolean',
          target: 1,
        })),
      });
      assert.equal(answer.status, 400);
      assert.ok(
        answer.body.error.details.some((d: { field: string }) => d.field === 'body.keyResults'),
      );
    });

    it('when a met key result comes with the goal, then the goal starts at its progress and its parent rolls it up', async () => {
      const parent = await createGoal(app, as.writer, {
        title: 'Parent rolls up',
        level: 'company',
        timeframeId: org.timeframeId,
        progressSource: 'aligned_goals',
      });
      const answer = await post('/goals', as.writer, {
        title: 'Born met',
        level: 'team',
        timeframeId: org.timeframeId,
        parentId: parent.id,
        keyResults: [{ title: 'Below ten', kind: 'stay_below', start: 0, target: 10 }],
      });
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.body.progress, 1);
      assert.equal(answer.body.parent.id, parent.id);
      const card = await app.request('GET', `/api/v1/goals/${parent.id}`, { token: as.writer });
      assert.equal(card.body.progress, 1);
    });

    async function goalWithThree() {
      const goal = await createGoal(app, as.writer, {
        title: 'Ordered',
        level: 'team',
        timeframeId: org.timeframeId,
        keyResults: [
          { title: 'First', kind: 'increase', target: 10 },
          { title: 'Second', kind: 'increase', target: 10 },
        ],
      });
      const third = await createKeyResult(app, as.writer, goal.id, {
        title: 'Third',
        kind: 'increase',
        target: 10,
      });
      const card = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.writer });
      return {
        goal: card.body,
        ids: card.body.keyResults.map((kr: { id: string }) => kr.id),
        third,
      };
    }

    const reorder = (goalId: string, version: number | undefined, keyResultIds: string[]) =>
      app.request('PUT', `/api/v1/goals/${goalId}/key-results/order`, {
        token: as.writer,
        body: { keyResultIds },
        headers: version === undefined ? {} : { 'if-match': `"${version}"` },
      });

    it('when a key result is added, then it goes last; when reordered, then the card, a check-in answer and the export follow', async () => {
      const { goal, ids, third } = await goalWithThree();
      assert.equal(ids[2], third.id, 'a new key result goes last');
      const [first, second] = ids;
      const answer = await reorder(goal.id, goal.version, [third.id, first, second]);
      assert.equal(answer.status, 200, answer.text);
      goalView.parse(answer.body);
      const order = (view: { keyResults: Array<{ title: string }> }) =>
        view.keyResults.map((kr) => kr.title);
      assert.deepEqual(order(answer.body), ['Third', 'First', 'Second']);
      assert.equal(answer.body.version, goal.version + 1, 'a reorder is an edit of the goal');
      const card = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.writer });
      assert.deepEqual(order(card.body), ['Third', 'First', 'Second']);
      const checkIn = await post(`/key-results/${first}/check-ins`, as.writer, { value: 4 });
      assert.equal(checkIn.status, 201, checkIn.text);
      assert.deepEqual(order(checkIn.body.goal), ['Third', 'First', 'Second']);
      const list = await app.request('GET', `/api/v1/goals?q=Ordered`, { token: as.writer });
      const row = list.body.items.find((item: { id: string }) => item.id === goal.id);
      assert.equal(row.keyResultCount, 3);
      const fourth = await createKeyResult(app, as.writer, goal.id, {
        title: 'Fourth',
        kind: 'increase',
        target: 10,
      });
      const after = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.writer });
      assert.deepEqual(order(after.body), ['Third', 'First', 'Second', 'Fourth']);
      assert.equal(after.body.keyResults[3].id, fourth.id);
    });

    it('when key results are reordered, then the JSON export lists them in that order and an import into an empty org keeps it', async () => {
      const { goal, ids } = await goalWithThree();
      const [first, second, third] = ids as [string, string, string];
      assert.equal((await reorder(goal.id, goal.version, [second, third, first])).status, 200);
      const { createOrgExportService } =
        await import('../../src/components/org-export/org-export.service.js');
      const { createOrgExportRepository } =
        await import('../../src/components/org-export/org-export.repository.js');
      const exporter = createOrgExportService(createOrgExportRepository(app.db));
      const orgRecord = (id: string, slug: string) =>
        ({ id, slug, name: slug, issuer: '', settings: { initiativesCount: false } }) as never;
      const doc = await exporter.exportJson(orgRecord(org.id, org.slug));
      const exported = doc.goals.filter((g) => g.title === 'Ordered').at(-1);
      assert.deepEqual(
        exported?.keyResults.map((kr) => kr.title),
        ['Second', 'Third', 'First'],
      );
      const empty = await app.createOrg();
      await app.db.execute('DELETE FROM timeframes WHERE org_id = :orgId', { orgId: empty.id });
      await exporter.importJson(orgRecord(empty.id, empty.slug), doc);
      const [row] = await app.db.select<{ id: string }>(
        `SELECT g.id FROM goals g WHERE g.org_id = :orgId AND g.title = 'Ordered'
         ORDER BY g.created_at DESC LIMIT 1`,
        { orgId: empty.id },
      );
      const theirs = await empty.token({ sub: 'reader', scope: 'okr:read' });
      const card = await app.request('GET', `/api/v1/goals/${row?.id}`, { token: theirs });
      assert.deepEqual(
        card.body.keyResults.map((kr: { title: string }) => kr.title),
        ['Second', 'Third', 'First'],
      );
    });

    it('when the order leaves one out, repeats one or names another goal’s, then 400; stale version 409; no If-Match 428', async () => {
      const { goal, ids } = await goalWithThree();
      const elsewhere = await goalWithThree();
      const [a, b, c] = ids as [string, string, string];
      for (const bad of [
        [a, b],
        [a, b, c, c],
        [a, b, elsewhere.ids[0]],
        [a, b, c, randomUUID()],
      ]) {
        const answer = await reorder(goal.id, goal.version, bad);
        assert.equal(answer.status, 400, `${bad.length}: ${answer.text}`);
        assert.equal(answer.body.error.code, 'validation_failed');
      }
      const stale = await reorder(goal.id, goal.version + 5, [c, b, a]);
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'version_conflict');
      assert.equal((await reorder(goal.id, undefined, [c, b, a])).status, 428);
      const card = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.writer });
      assert.deepEqual(
        card.body.keyResults.map((kr: { id: string }) => kr.id),
        ids,
        'refused reorders change nothing',
      );
      const theirs = await app.request('PUT', `/api/v1/goals/${goal.id}/key-results/order`, {
        token: as.stranger,
        body: { keyResultIds: [c, b, a] },
        headers: { 'if-match': `"${goal.version}"` },
      });
      assert.equal(theirs.status, 403);
    });
  });
}
