/**
 * Check-ins lock the chain their key result's last check-in found (goals.propagation.ts): these
 * change the chain, or what its rows join, between two check-ins, and the second must roll up
 * and answer by the chain as it is now.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] check-ins on a chain that changed`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
    });
    after(() => app.close());

    /** company (both) → team (aligned_goals) → personal (key_results) with one key result. */
    async function chain() {
      const company = await createGoal(app, as.writer, {
        title: 'Company',
        level: 'company',
        timeframeId: org.timeframeId,
        progressSource: 'both',
      });
      const team = await createGoal(app, as.writer, {
        title: 'Team',
        level: 'team',
        timeframeId: org.timeframeId,
        parentId: company.id,
        progressSource: 'aligned_goals',
      });
      const personal = await createGoal(app, as.writer, {
        title: 'Personal',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: team.id,
      });
      const kr = await createKeyResult(app, as.writer, personal.id, {
        title: 'Calls made',
        kind: 'increase',
        start: 0,
        target: 40,
      });
      return { team, personal, kr };
    }

    const checkIn = (krId: string, body: unknown) =>
      app.request('POST', `/api/v1/key-results/${krId}/check-ins`, { token: as.writer, body });
    const card = async (id: string) =>
      (await app.request('GET', `/api/v1/goals/${id}`, { token: as.reader })).body;

    it('when the goal moves under another parent between two check-ins, then the second rolls up through the new chain', async () => {
      const { team, personal, kr } = await chain();
      assert.equal((await checkIn(kr.id, { value: 10 })).status, 201);
      assert.equal((await card(team.id)).progress, 0.25);
      const other = await createGoal(app, as.writer, {
        title: 'Other objective',
        level: 'company',
        timeframeId: org.timeframeId,
        progressSource: 'both',
      });
      const moved = await app.request('PATCH', `/api/v1/goals/${personal.id}`, {
        token: as.writer,
        body: { parentId: other.id },
        headers: { 'if-match': String((await card(personal.id)).version) },
      });
      assert.equal(moved.status, 200, moved.text);
      // The check-in before found the old chain; this one must not roll up through it.
      const answer = await checkIn(kr.id, { value: 20 });
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.body.goal.parent.id, other.id);
      const movedIds = answer.body.progress.map((goal: { id: string }) => goal.id).sort();
      assert.deepEqual(movedIds, [other.id, personal.id].sort());
      assert.equal((await card(other.id)).progress, 0.5);
      assert.equal((await card(team.id)).progress, 0, 'the old parent has no children left');
      // And the one after goes by the new chain again.
      assert.equal((await checkIn(kr.id, { value: 30 })).status, 201);
      assert.equal((await card(other.id)).progress, 0.75);
      assert.equal((await card(team.id)).progress, 0);
    });

    it('when the key result goes with its goal between two check-ins, then the second answers 404 and stores nothing', async () => {
      const { personal, team, kr } = await chain();
      assert.equal((await checkIn(kr.id, { value: 10 })).status, 201);
      const deleted = await app.request('DELETE', `/api/v1/goals/${personal.id}`, {
        token: as.writer,
        headers: { 'if-match': String((await card(personal.id)).version) },
      });
      assert.equal(deleted.status, 204, deleted.text);
      const teamBefore = await card(team.id);
      const answer = await checkIn(kr.id, { value: 20 });
      assert.equal(answer.status, 404, answer.text);
      const [stored] = await app.db.select<{ n: number }>(
        'SELECT COUNT(*) AS n FROM check_ins WHERE key_result_id = :id',
        { id: kr.id },
      );
      assert.equal(Number(stored?.n), 1);
      assert.deepEqual(await card(team.id), teamBefore);
    });

    it('when a timeframe or a title changes without a goal edit between two check-ins, then the second answers with them', async () => {
      const timeframe = await app.request('POST', '/api/v1/timeframes', {
        token: as.admin,
        body: { name: 'Far ahead', startDate: '2090-01-01', endDate: '2090-03-31' },
      });
      assert.equal(timeframe.status, 201, timeframe.text);
      const goal = await createGoal(app, as.writer, {
        title: 'Before',
        level: 'personal',
        timeframeId: timeframe.body.id,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Visits',
        kind: 'increase',
        target: 40,
      });
      // Before its timeframe starts nothing is expected, so any progress is on track.
      const first = await checkIn(kr.id, { value: 4 });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.keyResult.status, 'on_track');
      // As an import or SQL by hand would: no goal's version moves.
      await app.db.execute(
        `UPDATE timeframes SET start_date = '2020-01-01', end_date = '2020-03-31' WHERE id = :id`,
        { id: timeframe.body.id },
      );
      await app.db.execute(`UPDATE goals SET title = 'After' WHERE id = :id`, { id: goal.id });
      const second = await checkIn(kr.id, { value: 8 });
      assert.equal(second.status, 201, second.text);
      // The timeframe is over: 20 % where 100 % was expected.
      assert.equal(second.body.keyResult.status, 'off_track');
      assert.equal(second.body.goal.title, 'After');
      assert.equal(second.body.goal.timeframe.endDate, '2020-03-31');
    });
  });
}
