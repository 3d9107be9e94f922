import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

const missingId = '6f1c1f52-1d5c-4a8e-9b1a-2f0c3c8d9e01';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] key results API`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    let teammateId: string;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
      teammateId = (await app.request('GET', '/api/v1/me', { token: as.teammate })).body.user.id;
    });
    after(() => app.close());

    it('when key results are edited and deleted, then progress follows and stale versions get 409', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'KR edits',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Revenue',
        kind: 'increase',
        start: 0,
        target: 100,
        current: 50,
      });
      const other = await createKeyResult(app, as.writer, goal.id, {
        title: 'Done?',
        kind: 'boolean',
        target: 1,
      });
      const edited = await app.request('PATCH', `/api/v1/key-results/${kr.id}`, {
        token: as.writer,
        body: { target: 200 },
        headers: { 'if-match': '1' },
      });
      assert.equal(edited.status, 200, edited.text);
      assert.equal(edited.body.progress, 0.25);
      assert.equal(edited.body.version, 2);
      assert.equal(
        (
          await app.request('PATCH', `/api/v1/key-results/${kr.id}`, {
            token: as.writer,
            body: { target: 300 },
            headers: { 'if-match': '1' },
          })
        ).status,
        409,
      );
      assert.equal(
        (
          await app.request('PATCH', `/api/v1/key-results/${kr.id}`, {
            token: as.stranger,
            body: { target: 300 },
            headers: { 'if-match': '2' },
          })
        ).status,
        403,
      );
      assert.equal(
        (
          await app.request('PATCH', `/api/v1/key-results/${kr.id}`, {
            token: as.writer,
            body: { target: 1e20 },
            headers: { 'if-match': '2' },
          })
        ).status,
        400,
      );
      assert.equal(
        (
          await app.request('PATCH', `/api/v1/key-results/${kr.id}`, {
            token: as.writer,
            body: { current: 5 },
            headers: { 'if-match': '2' },
          })
        ).status,
        400,
        'current changes only by check-in',
      );
      let card = (await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader })).body;
      assert.equal(card.progress, 0.125);
      assert.equal(
        (
          await app.request('DELETE', `/api/v1/key-results/${other.id}`, {
            token: as.writer,
            headers: { 'if-match': '1' },
          })
        ).status,
        204,
      );
      card = (await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader })).body;
      assert.equal(card.progress, 0.25);
      assert.equal(card.keyResults.length, 1);
      assert.equal(
        (
          await app.request('DELETE', `/api/v1/key-results/${other.id}`, {
            token: as.writer,
            headers: { 'if-match': '2' },
          })
        ).status,
        404,
      );
      for (const body of [
        { title: 'x', kind: 'sideways', target: 1 },
        { title: 'x', kind: 'increase', target: '10' },
        { title: 'x', kind: 'increase', target: 1e300 },
        { title: 'x', kind: 'increase', target: 1, weight: -1 },
      ]) {
        assert.equal(
          (
            await app.request('POST', `/api/v1/goals/${goal.id}/key-results`, {
              token: as.writer,
              body,
            })
          ).status,
          400,
          JSON.stringify(body),
        );
      }
    });

    it('when a key result is owned by someone other than the goal owner, then that owner may edit it and check in, but not edit the goal', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Writer goal',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Delegated',
        kind: 'stay_above',
        target: 90,
        ownerId: teammateId,
      });
      assert.equal(kr.owner.id, teammateId);
      assert.equal(kr.progress, 0);
      const edited = await app.request('PATCH', `/api/v1/key-results/${kr.id}`, {
        token: as.teammate,
        body: { target: 80, unit: '%' },
        headers: { 'if-match': '"1"' },
      });
      assert.equal(edited.status, 200, edited.text);
      assert.equal(edited.body.unit, '%');
      const checkIn = await app.request('POST', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: as.teammate,
        body: { value: 85 },
      });
      assert.equal(checkIn.status, 201);
      assert.equal(checkIn.body.keyResult.progress, 1);
      assert.equal(checkIn.body.goal.progress, 1);
      const goalEdit = await app.request('PATCH', `/api/v1/goals/${goal.id}`, {
        token: as.teammate,
        body: { title: 'Taken' },
        headers: { 'if-match': '1' },
      });
      assert.equal(goalEdit.status, 403);
    });

    it('when a key result names an owner or goal that does not exist in the org, then 404', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Refs',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const badOwner = await app.request('POST', `/api/v1/goals/${goal.id}/key-results`, {
        token: as.writer,
        body: { title: 'k', kind: 'boolean', target: 1, ownerId: missingId },
      });
      assert.equal(badOwner.status, 404);
      const badGoal = await app.request('POST', `/api/v1/goals/${missingId}/key-results`, {
        token: as.writer,
        body: { title: 'k', kind: 'boolean', target: 1 },
      });
      assert.equal(badGoal.status, 404);
      assert.equal(
        (
          await app.request('PATCH', `/api/v1/key-results/${missingId}`, {
            token: as.writer,
            body: { title: 'x' },
            headers: { 'if-match': '1' },
          })
        ).status,
        404,
      );
      assert.equal(
        (
          await app.request('PATCH', '/api/v1/key-results/42', {
            token: as.writer,
            body: { title: 'x' },
            headers: { 'if-match': '1' },
          })
        ).status,
        400,
      );
    });
  });
}
