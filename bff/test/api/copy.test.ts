/**
 * Carry-over (issue 14): a goal, its key results and optionally its aligned goals copied into
 * another timeframe, progress reset, in one transaction.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { goalView } from '../../src/lib/views.schema.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] carry-over: copying a goal to another timeframe`, () => {
    let app: TestApp;
    let org: TestOrg;
    let other: TestOrg;
    let as: Actors;

    before(async () => {
      app = await startTestApp(dialect);
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

    it('when a goal with aligned children is copied with includeChildren, then each copy is reset, in the target timeframe, aligned under its parent’s copy, key results in order', async () => {
      const next = await app.request('POST', '/api/v1/timeframes', {
        token: as.admin,
        body: { name: 'Next quarter', startDate: '2040-01-01', endDate: '2040-03-31' },
      });
      assert.equal(next.status, 201, next.text);
      const company = await createGoal(app, as.writer, {
        title: 'Company',
        level: 'company',
        timeframeId: org.timeframeId,
        progressSource: 'both',
      });
      const root = await createGoal(app, as.writer, {
        title: 'Carry me',
        level: 'team',
        timeframeId: org.timeframeId,
        parentId: company.id,
        progressSource: 'both',
        keyResults: [
          { title: 'R1', kind: 'increase', start: 5, target: 50 },
          { title: 'R2', kind: 'decrease', start: 9, target: 3 },
        ],
      });
      const child = await createGoal(app, as.writer, {
        title: 'Carry my child',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: root.id,
        keyResults: [{ title: 'C1', kind: 'increase', target: 10 }],
      });
      const grandchild = await createGoal(app, as.writer, {
        title: 'Carry my grandchild',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: child.id,
      });
      const archived = await createGoal(app, as.writer, {
        title: 'Left behind',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: root.id,
      });
      await app.request('PATCH', `/api/v1/goals/${archived.id}`, {
        token: as.writer,
        body: { archived: true },
        headers: { 'if-match': `"${archived.version}"` },
      });
      const r1 = root.keyResults[0].id;
      assert.equal(
        (await post(`/key-results/${r1}/check-ins`, as.writer, { value: 30 })).status,
        201,
      );
      const checkInsBefore = await count('SELECT COUNT(*) AS n FROM check_ins', {});

      const answer = await post(`/goals/${root.id}/copy`, as.writer, {
        timeframeId: next.body.id,
        includeChildren: true,
      });
      assert.equal(answer.status, 201, answer.text);
      const { goal, copies } = answer.body;
      goalView.parse(goal);
      assert.deepEqual(
        copies.map((c: { sourceId: string }) => c.sourceId),
        [root.id, child.id, grandchild.id],
        'live, unarchived children, recursively',
      );
      assert.equal(copies[0].id, goal.id);
      assert.equal(goal.timeframe.id, next.body.id);
      assert.equal(goal.parent.id, company.id, 'the root copy stays aligned where it was');
      assert.equal(goal.progress, 0);
      assert.equal(goal.status, 'not_started');
      assert.equal(goal.lastCheckIn, null);
      assert.deepEqual(
        goal.keyResults.map((kr: { title: string; current: number; status: string }) => [
          kr.title,
          kr.current,
          kr.status,
        ]),
        [
          ['R1', 5, 'not_started'],
          ['R2', 9, 'not_started'],
        ],
      );
      assert.notEqual(goal.keyResults[0].id, r1);
      assert.equal(await count('SELECT COUNT(*) AS n FROM check_ins', {}), checkInsBefore);
      const childCopy = await app.request('GET', `/api/v1/goals/${copies[1].id}`, {
        token: as.writer,
      });
      assert.equal(
        childCopy.body.parent.id,
        goal.id,
        'a child copy aligns under its parent’s copy',
      );
      assert.equal(childCopy.body.keyResults[0].title, 'C1');
      const grandCopy = await app.request('GET', `/api/v1/goals/${copies[2].id}`, {
        token: as.writer,
      });
      assert.equal(grandCopy.body.parent.id, copies[1].id);
      const original = await app.request('GET', `/api/v1/goals/${root.id}`, { token: as.writer });
      assert.equal(original.body.timeframe.id, org.timeframeId, 'the original stays');
      assert.equal(original.body.keyResults[0].current, 30);
      const parent = await app.request('GET', `/api/v1/goals/${company.id}`, { token: as.writer });
      assert.deepEqual(
        parent.body.children.map((c: { id: string }) => c.id).sort(),
        [root.id, goal.id].sort(),
        'the company goal rolls the copy up too',
      );

      const alone = await post(`/goals/${root.id}/copy`, as.writer, { timeframeId: next.body.id });
      assert.equal(alone.status, 201, alone.text);
      assert.equal(alone.body.copies.length, 1, 'without includeChildren, the goal alone');
      assert.equal(alone.body.goal.childCount, 0);
    });

    it('when a copy names a foreign or missing timeframe or goal, or the caller may not edit it, then 404 or 403 and nothing is made', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Stay put',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const goalsBefore = await count('SELECT COUNT(*) AS n FROM goals', {});
      const cases: Array<[string, string, unknown, number]> = [
        [goal.id, as.writer, { timeframeId: other.timeframeId }, 404],
        [goal.id, as.writer, { timeframeId: randomUUID() }, 404],
        [randomUUID(), as.writer, { timeframeId: org.timeframeId }, 404],
        [goal.id, as.stranger, { timeframeId: org.timeframeId }, 403],
        [goal.id, as.reader, { timeframeId: org.timeframeId }, 403],
        [
          goal.id,
          await other.token({ sub: 'writer', scope: 'okr:read okr:write' }),
          { timeframeId: other.timeframeId },
          404,
        ],
        [goal.id, as.writer, { timeframeId: org.timeframeId, extra: 1 }, 400],
      ];
      for (const [id, token, body, status] of cases) {
        const answer = await post(`/goals/${id}/copy`, token, body);
        assert.equal(answer.status, status, answer.text);
        assert.equal(typeof answer.body.error.code, 'string');
      }
      assert.equal(await count('SELECT COUNT(*) AS n FROM goals', {}), goalsBefore);
    });
  });
}
