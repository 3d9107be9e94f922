/** The goals API past single cards (goals.test.ts): alignment cycles, deletion and listing. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

const missingId = '6f1c1f52-1d5c-4a8e-9b1a-2f0c3c8d9e01';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] goals API: alignment, deletion and lists`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
    });
    after(() => app.close());

    it('when a goal would become its own ancestor, then 409 and the tree stays as it was', async () => {
      const a = await createGoal(app, as.writer, {
        title: 'A',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      const b = await createGoal(app, as.writer, {
        title: 'B',
        level: 'team',
        timeframeId: org.timeframeId,
        parentId: a.id,
      });
      const c = await createGoal(app, as.writer, {
        title: 'C',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: b.id,
      });
      const cycle = await app.request('PATCH', `/api/v1/goals/${a.id}`, {
        token: as.writer,
        body: { parentId: c.id },
        headers: { 'if-match': '1' },
      });
      assert.equal(cycle.status, 409);
      assert.equal(cycle.body.error.code, 'alignment_cycle');
      const self = await app.request('PATCH', `/api/v1/goals/${a.id}`, {
        token: as.writer,
        body: { parentId: a.id },
        headers: { 'if-match': '1' },
      });
      assert.equal(self.status, 409);
      const card = await app.request('GET', `/api/v1/goals/${a.id}`, { token: as.reader });
      assert.equal(card.body.parentId, null);
      const moved = await app.request('PATCH', `/api/v1/goals/${c.id}`, {
        token: as.writer,
        body: { parentId: a.id },
        headers: { 'if-match': '1' },
      });
      assert.equal(moved.status, 200);
      assert.equal(moved.body.parent.id, a.id);
    });

    it('when a goal with aligned goals is deleted, then 409; a leaf is deleted with If-Match and then 404', async () => {
      const parent = await createGoal(app, as.writer, {
        title: 'Has kids',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      const leaf = await createGoal(app, as.writer, {
        title: 'Leaf',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: parent.id,
      });
      const leafKr = await createKeyResult(app, as.writer, leaf.id, {
        title: 'Goes with the goal',
        kind: 'boolean',
        target: 1,
      });
      assert.equal(
        (
          await app.request('DELETE', `/api/v1/goals/${parent.id}`, {
            token: as.writer,
            headers: { 'if-match': '1' },
          })
        ).status,
        409,
      );
      assert.equal(
        (
          await app.request('DELETE', `/api/v1/goals/${leaf.id}`, {
            token: as.writer,
            headers: { 'if-match': '7' },
          })
        ).status,
        409,
      );
      assert.equal(
        (
          await app.request('DELETE', `/api/v1/goals/${leaf.id}`, {
            token: as.stranger,
            headers: { 'if-match': '1' },
          })
        ).status,
        403,
      );
      assert.equal(
        (await app.request('DELETE', `/api/v1/goals/${leaf.id}`, { token: as.writer })).status,
        428,
      );
      assert.equal(
        (
          await app.request('DELETE', `/api/v1/goals/${leaf.id}`, {
            token: as.writer,
            headers: { 'if-match': '1' },
          })
        ).status,
        204,
      );
      assert.equal(
        (await app.request('GET', `/api/v1/goals/${leaf.id}`, { token: as.reader })).status,
        404,
      );
      const orphan = await app.request('GET', `/api/v1/key-results/${leafKr.id}/check-ins`, {
        token: as.reader,
      });
      assert.equal(orphan.status, 404, 'key results go with their goal');
      assert.equal(
        (
          await app.request('DELETE', `/api/v1/goals/${parent.id}`, {
            token: as.writer,
            headers: { 'if-match': '1' },
          })
        ).status,
        204,
      );
    });

    it('when goals are listed with filters and a small limit, then pages follow the cursor without gaps or repeats', async () => {
      const listOrg = await app.createOrg();
      const token = await listOrg.token({ sub: 'lister', teams: ['ops'] });
      const me = await app.request('GET', '/api/v1/me', { token });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const goal = await createGoal(app, token, {
          title: `Listed ${i}`,
          level: i < 2 ? 'team' : 'personal',
          timeframeId: listOrg.timeframeId,
          teamId: i < 2 ? me.body.teams[0].id : null,
        });
        ids.push(goal.id);
      }
      await createGoal(app, token, {
        title: 'Child 100%_x',
        level: 'personal',
        timeframeId: listOrg.timeframeId,
        parentId: ids[0],
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } =
          await app.request(
            'GET',
            `/api/v1/goals?parent=none&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
            { token },
          );
        seen.push(...page.body.items.map((g) => g.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ids);
      const q = async (query: string) =>
        (await app.request('GET', `/api/v1/goals?${query}`, { token })).body.items.length;
      assert.equal(await q('owner=me'), 6);
      assert.equal(await q('level=team'), 2);
      assert.equal(await q('team=ops'), 2);
      assert.equal(await q(`team=${me.body.teams[0].id}`), 2);
      assert.equal(await q(`parent=${ids[0]}`), 1);
      assert.equal(await q('q=100%25_'), 1, 'LIKE wildcards in q are literal');
      assert.equal(await q('q=listed%203'), 1);
      assert.equal(await q(`timeframe=${listOrg.timeframeId}`), 6);
      assert.equal(await q('timeframe=current'), 6);
      assert.equal(await q('status=accomplished'), 0);
      assert.equal(await q(`owner=${missingId}`), 0);
      assert.equal(
        (await app.request('GET', '/api/v1/goals?limit=5000', { token })).status,
        200,
        'limit is capped, not refused',
      );
    });
  });
}
