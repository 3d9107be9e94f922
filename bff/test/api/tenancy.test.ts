import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] tenancy`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
      await app.request('GET', '/api/v1/me', { token: as.teammate });
    });
    after(() => app.close());

    it("when another tenant uses this org's ids on any route, then every answer is 404", async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Private',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Secret KR',
        kind: 'increase',
        target: 10,
      });
      const foreign = await app.createOrg();
      const token = await foreign.token({
        sub: 'intruder',
        scope: 'okr:read okr:write okr:checkin okr:admin',
      });
      const attempts: Array<[string, string, Record<string, unknown>?, Record<string, string>?]> = [
        ['GET', `/api/v1/goals/${goal.id}`],
        ['PATCH', `/api/v1/goals/${goal.id}`, { title: 'pwned' }, { 'if-match': '1' }],
        ['DELETE', `/api/v1/goals/${goal.id}`, undefined, { 'if-match': '1' }],
        [
          'POST',
          `/api/v1/goals/${goal.id}/key-results`,
          { title: 'k', kind: 'boolean', target: 1 },
        ],
        ['PATCH', `/api/v1/key-results/${kr.id}`, { title: 'pwned' }, { 'if-match': '1' }],
        ['DELETE', `/api/v1/key-results/${kr.id}`, undefined, { 'if-match': '1' }],
        ['GET', `/api/v1/key-results/${kr.id}/check-ins`],
        ['POST', `/api/v1/key-results/${kr.id}/check-ins`, { value: 5 }],
        ['GET', `/api/v1/alignment?root=${goal.id}`],
        ['POST', '/api/v1/goals', { title: 'x', level: 'personal', timeframeId: org.timeframeId }],
        [
          'POST',
          '/api/v1/goals',
          { title: 'x', level: 'personal', timeframeId: foreign.timeframeId, parentId: goal.id },
        ],
        ['GET', `/api/v1/alignment?timeframe=${org.timeframeId}`],
      ];
      for (const [method, path, body, headers] of attempts) {
        const answer = await app.request(method, path, { token, body, headers });
        assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
        assert.ok(!answer.text.includes('Private') && !answer.text.includes('Secret KR'));
      }
      const writerId = (await app.request('GET', '/api/v1/me', { token: as.writer })).body.user.id;
      for (const query of [
        'limit=100',
        `parent=${goal.id}`,
        `owner=${writerId}`,
        `timeframe=${org.timeframeId}`,
      ]) {
        const list = await app.request('GET', `/api/v1/goals?${query}`, { token });
        assert.equal(list.status, 200);
        assert.deepEqual(list.body.items, [], query);
      }
      const timeframes = await app.request('GET', '/api/v1/timeframes', { token });
      assert.ok(!timeframes.body.items.some((t: { id: string }) => t.id === org.timeframeId));
      const card = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader });
      assert.equal(card.body.title, 'Private');
      assert.equal(card.body.version, 1);
    });
  });
}
