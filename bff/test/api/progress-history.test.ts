/**
 * Progress history (issue 14): every write that moves a goal stores a row per moved goal in
 * its own transaction, and the two history endpoints answer ProgressHistory views.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { keyResultProgress, LIMITS } from '@okr-embed/contract';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { progressHistoryView } from '../../src/lib/views.schema.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] progress history`, () => {
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

    const stored = (goalId: string) =>
      app.db.select<{ progress: number; status: string; org_id: string }>(
        `SELECT progress, status, org_id FROM goal_progress_history WHERE goal_id = :goalId
         ORDER BY recorded_at, id`,
        { goalId },
      );
    const checkIn = (krId: string, body: Record<string, unknown>) =>
      app.request('POST', `/api/v1/key-results/${krId}/check-ins`, { token: as.writer, body });

    it('when check-ins move a goal and its parent, then each moved goal gets one row per move, and a write that moves nothing adds none', async () => {
      const parent = await createGoal(app, as.writer, {
        title: 'History parent',
        level: 'company',
        timeframeId: org.timeframeId,
        progressSource: 'aligned_goals',
      });
      const goal = await createGoal(app, as.writer, {
        title: 'History child',
        level: 'team',
        timeframeId: org.timeframeId,
        parentId: parent.id,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Signups',
        kind: 'increase',
        target: 200,
      });
      assert.deepEqual(await stored(goal.id), [], 'nothing moved yet');
      assert.equal((await checkIn(kr.id, { value: 50, status: 'on_track' })).status, 201);
      assert.equal((await checkIn(kr.id, { value: 50, status: 'on_track' })).status, 201);
      assert.equal((await checkIn(kr.id, { value: 100, status: 'needs_attention' })).status, 201);
      const rows = await stored(goal.id);
      assert.deepEqual(
        rows.map((row) => [Number(row.progress), row.status]),
        [
          [0.25, 'on_track'],
          [0.5, 'needs_attention'],
        ],
        'the repeated value moved nothing and stored nothing',
      );
      assert.ok(rows.every((row) => row.org_id === org.id));
      assert.deepEqual(
        (await stored(parent.id)).map((row) => Number(row.progress)),
        [0.25, 0.5],
      );

      // An edit that moves progress stores it too: a key result's new target.
      const patched = await app.request('PATCH', `/api/v1/key-results/${kr.id}`, {
        token: as.writer,
        body: { target: 100 },
        headers: { 'if-match': `"${kr.version + 3}"` },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(Number((await stored(goal.id)).at(-1)?.progress), 1);

      const history = await app.request('GET', `/api/v1/goals/${goal.id}/history`, {
        token: as.reader,
      });
      assert.equal(history.status, 200, history.text);
      progressHistoryView.parse(history.body);
      assert.deepEqual(history.body.subject, { type: 'goal', id: goal.id, title: 'History child' });
      assert.equal(history.body.timeframe.id, org.timeframeId);
      assert.deepEqual(history.body.initial, { progress: 0 });
      assert.deepEqual(
        history.body.points.map((p: { progress: number }) => p.progress),
        [0.25, 0.5, 1],
      );
      const times = history.body.points.map((p: { at: string }) => Date.parse(p.at));
      assert.deepEqual(
        [...times].sort((a, b) => a - b),
        times,
        'oldest first',
      );
    });

    it('when a failed check-in rolls back, then no history row is left behind', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Rollback',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Deals',
        kind: 'increase',
        target: 10,
      });
      const refused = await app.request('POST', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: as.stranger,
        body: { value: 5 },
      });
      assert.equal(refused.status, 403);
      assert.deepEqual(await stored(goal.id), []);
    });

    it('when a key result has check-ins, then its history has each with value, progress by its kind, status, author and comment, after its start', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Costs',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Cloud bill',
        kind: 'decrease',
        start: 100,
        target: 60,
        unit: 'kEUR',
      });
      await checkIn(kr.id, { value: 90, status: 'on_track', comment: 'Reserved instances' });
      await checkIn(kr.id, { value: 70 });
      const answer = await app.request('GET', `/api/v1/key-results/${kr.id}/history`, {
        token: as.reader,
      });
      assert.equal(answer.status, 200, answer.text);
      progressHistoryView.parse(answer.body);
      assert.deepEqual(answer.body.subject, {
        type: 'key-result',
        id: kr.id,
        title: 'Cloud bill',
        kind: 'decrease',
        start: 100,
        target: 60,
        unit: 'kEUR',
      });
      assert.deepEqual(answer.body.initial, { progress: 0, value: 100 });
      const [first, second] = answer.body.points;
      assert.equal(answer.body.points.length, 2);
      assert.equal(first.value, 90);
      assert.equal(first.progress, 0.25);
      assert.equal(first.status, 'on_track');
      assert.equal(first.comment, 'Reserved instances');
      assert.equal(first.author.name, 'Writer');
      assert.equal(second.value, 70);
      assert.equal(
        second.progress,
        keyResultProgress({ kind: 'decrease', start: 100, target: 60, current: 70 }),
      );
      assert.ok(Date.parse(first.at) <= Date.parse(second.at));
    });

    it('when a history is asked for a missing or foreign id, then 404 like any missing one', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Private',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Private KR',
        kind: 'boolean',
        target: 1,
      });
      const theirs = await other.token({ sub: 'outsider', scope: 'okr:read' });
      for (const path of [
        `/goals/${goal.id}/history`,
        `/key-results/${kr.id}/history`,
        `/goals/${randomUUID()}/history`,
        `/key-results/${randomUUID()}/history`,
      ]) {
        const token = path.includes(goal.id) || path.includes(kr.id) ? theirs : as.reader;
        const answer = await app.request('GET', `/api/v1${path}`, { token });
        assert.equal(answer.status, 404, `${path}: ${answer.text}`);
        assert.equal(answer.body.error.code, 'not_found');
      }
    });

    it('when a key result has more check-ins than the cap, then the newest ones are answered, oldest first', async () => {
      assert.equal(LIMITS.historyPoints, 500);
      const goal = await createGoal(app, as.writer, {
        title: 'Busy',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Ticks',
        kind: 'increase',
        target: 1000,
      });
      // Stored directly: 505 check-ins over HTTP would only test patience.
      const rows = Array.from({ length: LIMITS.historyPoints + 5 }, (_, i) => ({
        id: randomUUID(),
        org_id: org.id,
        key_result_id: kr.id,
        author_id: kr.owner.id,
        value: i,
        status: 'on_track',
        comment: null,
        idempotency_key: null,
        kr_version: i + 2,
        created_at: Date.now() - 100_000 + i,
      }));
      const { bulkInsert } = await import('../../src/lib/bulk-insert.js');
      await app.db.transaction((tx) => bulkInsert(app.db, 'check_ins', rows, tx));
      const answer = await app.request('GET', `/api/v1/key-results/${kr.id}/history`, {
        token: as.reader,
      });
      assert.equal(answer.body.points.length, LIMITS.historyPoints);
      assert.equal(answer.body.points[0].value, 5);
      assert.equal(answer.body.points.at(-1).value, LIMITS.historyPoints + 4);
    });
  });
}
