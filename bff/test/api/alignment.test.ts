import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

const missingId = '6f1c1f52-1d5c-4a8e-9b1a-2f0c3c8d9e01';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] alignment and timeframes API`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
    });
    after(() => app.close());

    it('when alignment is asked for, then one flat list in tree order with depth, and depth limits it', async () => {
      const tOrg = await app.createOrg();
      const token = await tOrg.token({ sub: 'aligner' });
      const root = await createGoal(app, token, {
        title: 'Root',
        level: 'company',
        timeframeId: tOrg.timeframeId,
      });
      const a = await createGoal(app, token, {
        title: 'A',
        level: 'team',
        timeframeId: tOrg.timeframeId,
        parentId: root.id,
      });
      const b = await createGoal(app, token, {
        title: 'B',
        level: 'team',
        timeframeId: tOrg.timeframeId,
        parentId: root.id,
      });
      const a1 = await createGoal(app, token, {
        title: 'A1',
        level: 'personal',
        timeframeId: tOrg.timeframeId,
        parentId: a.id,
      });
      const a1x = await createGoal(app, token, {
        title: 'A1x',
        level: 'personal',
        timeframeId: tOrg.timeframeId,
        parentId: a1.id,
      });
      const full = await app.request('GET', `/api/v1/alignment?timeframe=${tOrg.timeframeId}`, {
        token,
      });
      assert.equal(full.status, 200, full.text);
      assert.deepEqual(
        full.body.nodes.map((n: { id: string }) => n.id),
        [root.id, a.id, a1.id, a1x.id, b.id],
      );
      assert.deepEqual(
        full.body.nodes.map((n: { depth: number }) => n.depth),
        [0, 1, 2, 3, 1],
      );
      assert.equal(full.body.nodes[0].childCount, 2);
      assert.equal(full.body.nodes[1].parentId, root.id);
      const shallow = await app.request('GET', `/api/v1/alignment?timeframe=current&depth=1`, {
        token,
      });
      assert.deepEqual(
        shallow.body.nodes.map((n: { id: string }) => n.id),
        [root.id, a.id, b.id],
      );
      const subtree = await app.request('GET', `/api/v1/alignment?root=${a.id}`, { token });
      assert.deepEqual(
        subtree.body.nodes.map((n: { id: string }) => n.id),
        [a.id, a1.id, a1x.id],
      );
      assert.equal((await app.request('GET', '/api/v1/alignment?depth=99', { token })).status, 400);
      assert.equal(
        (await app.request('GET', '/api/v1/alignment?root=nope', { token })).status,
        400,
      );
      assert.equal(
        (await app.request('GET', `/api/v1/alignment?root=${missingId}`, { token })).status,
        404,
      );
      assert.equal(
        (await app.request('GET', `/api/v1/alignment?timeframe=${missingId}`, { token })).status,
        404,
      );
    });

    it('when timeframes are listed and created, then the current one is marked and only admins create', async () => {
      const list = await app.request('GET', '/api/v1/timeframes', { token: as.reader });
      assert.equal(list.status, 200);
      assert.equal(
        list.body.items.find((t: { id: string }) => t.id === org.timeframeId).current,
        true,
      );
      const body = {
        name: 'Next year',
        startDate: `${new Date().getUTCFullYear() + 1}-01-01`,
        endDate: `${new Date().getUTCFullYear() + 1}-12-31`,
      };
      assert.equal(
        (await app.request('POST', '/api/v1/timeframes', { token: as.writer, body })).status,
        403,
      );
      const created = await app.request('POST', '/api/v1/timeframes', { token: as.admin, body });
      assert.equal(created.status, 201, created.text);
      assert.equal(
        (
          await app.request('POST', '/api/v1/timeframes', {
            token: as.admin,
            body: { ...body, endDate: '2000-01-01' },
          })
        ).status,
        400,
      );
      assert.equal(
        (
          await app.request('POST', '/api/v1/timeframes', {
            token: as.admin,
            body: { ...body, startDate: '2027-02-30' },
          })
        ).status,
        400,
      );
      const after = await app.request('GET', '/api/v1/timeframes', { token: as.reader });
      assert.equal(after.body.items.filter((t: { current: boolean }) => t.current).length, 1);
    });

    it('when a goal is archived, then lists and the tree leave it out while its card still answers', async () => {
      const aOrg = await app.createOrg();
      const token = await aOrg.token({ sub: 'archivist' });
      const root = await createGoal(app, token, {
        title: 'Kept',
        level: 'company',
        timeframeId: aOrg.timeframeId,
      });
      const old = await createGoal(app, token, {
        title: 'Old news',
        level: 'team',
        timeframeId: aOrg.timeframeId,
        parentId: root.id,
      });
      const archived = await app.request('PATCH', `/api/v1/goals/${old.id}`, {
        token,
        body: { archived: true },
        headers: { 'if-match': '1' },
      });
      assert.equal(archived.status, 200, archived.text);
      assert.equal(archived.body.archived, true);
      const list = await app.request('GET', '/api/v1/goals', { token });
      assert.deepEqual(
        list.body.items.map((g: { id: string }) => g.id),
        [root.id],
      );
      const tree = await app.request('GET', '/api/v1/alignment', { token });
      assert.deepEqual(
        tree.body.nodes.map((n: { id: string }) => n.id),
        [root.id],
      );
      assert.equal(tree.body.nodes[0].childCount, 0);
      assert.equal(
        (await app.request('GET', `/api/v1/goals/${old.id}`, { token })).body.archived,
        true,
      );
    });

    it('when a goal in the middle is archived, then its subtree leaves the tree and asking for it is 404', async () => {
      const mOrg = await app.createOrg();
      const token = await mOrg.token({ sub: 'pruner' });
      const goal = (title: string, level: string, parentId?: string) =>
        createGoal(app, token, { title, level, timeframeId: mOrg.timeframeId, parentId });
      const root = await goal('Root', 'company');
      const middle = await goal('Middle', 'team', root.id);
      await goal('Below the middle', 'personal', middle.id);
      const sibling = await goal('Sibling', 'team', root.id);
      const cousin = await goal('Cousin', 'personal', sibling.id);
      const rootsOnly = await app.request('GET', '/api/v1/alignment?depth=0', { token });
      assert.deepEqual(
        rootsOnly.body.nodes.map((n: { id: string; childCount: number }) => [n.id, n.childCount]),
        [[root.id, 2]],
      );
      const archived = await app.request('PATCH', `/api/v1/goals/${middle.id}`, {
        token,
        body: { archived: true },
        headers: { 'if-match': '1' },
      });
      assert.equal(archived.status, 200, archived.text);
      const tree = await app.request('GET', '/api/v1/alignment', { token });
      assert.deepEqual(
        tree.body.nodes.map((n: { id: string; depth: number }) => [n.id, n.depth]),
        [
          [root.id, 0],
          [sibling.id, 1],
          [cousin.id, 2],
        ],
      );
      assert.equal(tree.body.nodes[0].childCount, 1);
      assert.equal(
        (await app.request('GET', `/api/v1/alignment?root=${middle.id}`, { token })).status,
        404,
      );
    });
  });
}
