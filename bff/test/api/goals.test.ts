import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

const missingId = '6f1c1f52-1d5c-4a8e-9b1a-2f0c3c8d9e01';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] goals API`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    let engTeamId: string;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
      const me = await app.request('GET', '/api/v1/me', { token: as.writer });
      engTeamId = me.body.teams[0].id;
      await app.request('GET', '/api/v1/me', { token: as.teammate });
    });
    after(() => app.close());

    it('when a writer creates a goal, then 201 answers the goal card owned by the writer', async () => {
      const answer = await app.request('POST', '/api/v1/goals', {
        token: as.writer,
        body: { title: 'Delight users', level: 'personal', timeframeId: org.timeframeId },
      });
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.headers.get('location'), `/api/v1/goals/${answer.body.id}`);
      assert.equal(answer.body.version, 1);
      assert.equal(answer.body.owner.name, 'Writer');
      assert.equal(answer.body.progress, 0);
      assert.equal(answer.body.status, 'not_started');
      assert.deepEqual(answer.body.keyResults, []);
      assert.equal(answer.body.lastCheckIn, null);
      assert.equal(answer.body.initiativesCount, false);
      assert.equal(answer.body.timeframe.id, org.timeframeId);
    });

    it('when a goal card is read twice, then the second read with If-None-Match answers 304', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Cached',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const first = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader });
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'private, no-cache');
      const etag = first.headers.get('etag');
      assert.ok(etag);
      const second = await app.request('GET', `/api/v1/goals/${goal.id}`, {
        token: as.reader,
        headers: { 'if-none-match': etag },
      });
      assert.equal(second.status, 304);
      assert.equal(second.text, '');
    });

    it('when a cached card is edited, then the next read has the new body and ETag and the old ETag no longer matches', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Before the edit',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const path = `/api/v1/goals/${goal.id}`;
      const first = await app.request('GET', path, { token: as.reader });
      const again = await app.request('GET', path, { token: as.reader });
      const etag = first.headers.get('etag');
      assert.ok(etag);
      assert.equal(again.headers.get('etag'), etag, 'a cache hit sends the same ETag');
      assert.equal(again.text, first.text);
      const edited = await app.request('PATCH', path, {
        token: as.writer,
        headers: { 'if-match': `"${goal.version}"` },
        body: { title: 'After the edit' },
      });
      assert.equal(edited.status, 200, edited.text);
      const reread = await app.request('GET', path, {
        token: as.reader,
        headers: { 'if-none-match': etag },
      });
      assert.equal(reread.status, 200, 'the stale ETag must not earn a 304');
      assert.equal(reread.body.title, 'After the edit');
      assert.notEqual(reread.headers.get('etag'), etag);
      assert.equal(reread.headers.get('cache-control'), 'private, no-cache');
    });

    it('when the card has key results, parent and children, then one request carries them all', async () => {
      const parent = await createGoal(app, as.writer, {
        title: 'Parent',
        level: 'team',
        teamId: engTeamId,
        timeframeId: org.timeframeId,
        progressSource: 'both',
      });
      const goal = await createGoal(app, as.writer, {
        title: 'Child',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: parent.id,
      });
      await createGoal(app, as.writer, {
        title: 'Grandchild',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: goal.id,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Signups',
        kind: 'increase',
        start: -10,
        target: 10,
        current: 0,
        unit: 'k',
        weight: 2.5,
      });
      assert.equal(kr.progress, 0.5);
      assert.equal(kr.start, -10);
      assert.equal(kr.weight, 2.5);
      const card = (await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader }))
        .body;
      assert.equal(card.keyResults.length, 1);
      assert.equal(card.keyResults[0].current, 0);
      assert.equal(card.keyResultCount, 1);
      assert.equal(card.parent.id, parent.id);
      assert.equal(card.childCount, 1);
      assert.equal(card.children[0].title, 'Grandchild');
      assert.equal(card.progress, 0.5);
      const parentCard = (
        await app.request('GET', `/api/v1/goals/${parent.id}`, { token: as.reader })
      ).body;
      assert.equal(
        parentCard.progress,
        0.5,
        'the parent (source both) took the progress propagated from the child',
      );
    });

    it('when an aligned goal is archived or unarchived, then its parent’s progress and childCount leave it out or take it back', async () => {
      const parent = await createGoal(app, as.writer, {
        title: 'Parent',
        level: 'team',
        timeframeId: org.timeframeId,
        progressSource: 'aligned_goals',
      });
      const child = (title: string) =>
        createGoal(app, as.writer, {
          title,
          level: 'personal',
          timeframeId: org.timeframeId,
          parentId: parent.id,
        });
      const done = await child('Done');
      const idle = await child('Idle');
      await createKeyResult(app, as.writer, done.id, {
        title: 'Shipped',
        kind: 'boolean',
        target: 1,
        current: 1,
      });
      const read = async (id: string) =>
        (await app.request('GET', `/api/v1/goals/${id}`, { token: as.reader })).body;
      const archive = async (archived: boolean) => {
        const version = (await read(idle.id)).version;
        const answer = await app.request('PATCH', `/api/v1/goals/${idle.id}`, {
          token: as.writer,
          headers: { 'if-match': `"${version}"` },
          body: { archived },
        });
        assert.equal(answer.status, 200, answer.text);
      };
      const before = await read(parent.id);
      assert.equal(before.progress, 0.5);
      assert.equal(before.childCount, 2);

      await archive(true);
      const archived = await read(parent.id);
      assert.equal(archived.progress, 1, 'the archived child no longer counts');
      assert.equal(archived.childCount, 1);
      assert.deepEqual(
        archived.children.map((c: { id: string }) => c.id),
        [done.id],
      );
      const deleted = await app.request('DELETE', `/api/v1/goals/${parent.id}`, {
        token: as.writer,
        headers: { 'if-match': `"${archived.version}"` },
      });
      assert.equal(deleted.status, 409, 'an archived child still keeps its parent from going');

      await archive(false);
      const back = await read(parent.id);
      assert.equal(back.progress, 0.5);
      assert.equal(back.childCount, 2);
    });

    it('when input is malformed, then 400 with the failing fields and nothing is stored', async () => {
      const bad = [
        { title: '', level: 'personal', timeframeId: org.timeframeId },
        { title: 'x', level: 'galactic', timeframeId: org.timeframeId },
        { title: 'x', level: 'personal', timeframeId: 'not-a-uuid' },
        { title: 42, level: 'personal', timeframeId: org.timeframeId },
        { title: 'x', level: 'personal', timeframeId: org.timeframeId, extra: true },
        ['an', 'array'],
      ];
      for (const body of bad) {
        const answer = await app.request('POST', '/api/v1/goals', { token: as.writer, body });
        assert.equal(answer.status, 400, JSON.stringify(body));
        assert.equal(answer.body.error.code, 'validation_failed');
        assert.ok(Array.isArray(answer.body.error.details));
      }
      const json = await app.request('POST', '/api/v1/goals', {
        token: as.writer,
        rawBody: '{"title":',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(json.status, 400);
      assert.equal(json.body.error.code, 'invalid_json');
      const list = await app.request('GET', '/api/v1/goals?q=galactic', { token: as.reader });
      assert.equal(list.body.items.length, 0);
    });

    it('when ids or query strings are malformed, then 400, and a missing goal is 404', async () => {
      for (const path of [
        '/api/v1/goals/123',
        "/api/v1/goals/'%20OR%201=1",
        '/api/v1/goals?limit=abc',
        '/api/v1/goals?level=x',
        '/api/v1/goals?owner=bob',
        '/api/v1/goals?cursor=bad!',
        '/api/v1/goals?cursor=abc',
        '/api/v1/goals?limit=1&limit=2',
        '/api/v1/goals?unknown=1',
      ]) {
        const answer = await app.request('GET', path, { token: as.reader });
        assert.equal(answer.status, 400, `${path}: ${answer.text}`);
      }
      const missing = await app.request('GET', `/api/v1/goals/${missingId}`, { token: as.reader });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'not_found');
    });

    it('when a reader or a stranger writes, then 403; a teammate may edit the team goal', async () => {
      assert.equal(
        (
          await app.request('POST', '/api/v1/goals', {
            token: as.reader,
            body: { title: 'x', level: 'personal', timeframeId: org.timeframeId },
          })
        ).status,
        403,
      );
      const teamGoal = await createGoal(app, as.writer, {
        title: 'Team goal',
        level: 'team',
        teamId: engTeamId,
        ownerId: null,
        timeframeId: org.timeframeId,
      });
      const stranger = await app.request('PATCH', `/api/v1/goals/${teamGoal.id}`, {
        token: as.stranger,
        body: { title: 'Mine now' },
        headers: { 'if-match': '"1"' },
      });
      assert.equal(stranger.status, 403);
      const teammate = await app.request('PATCH', `/api/v1/goals/${teamGoal.id}`, {
        token: as.teammate,
        body: { title: 'Ours' },
        headers: { 'if-match': '"1"' },
      });
      assert.equal(teammate.status, 200, teammate.text);
      assert.equal(teammate.body.version, 2);
      const strangerKr = await app.request('POST', `/api/v1/goals/${teamGoal.id}/key-results`, {
        token: as.stranger,
        body: { title: 'k', kind: 'boolean', target: 1 },
      });
      assert.equal(strangerKr.status, 403);
      const forOther = await app.request('POST', '/api/v1/goals', {
        token: as.stranger,
        body: {
          title: 'x',
          level: 'team',
          teamId: engTeamId,
          ownerId: null,
          timeframeId: org.timeframeId,
        },
      });
      assert.equal(forOther.status, 403, 'cannot create a goal for a team one is not in');
    });

    it('when PATCH carries a stale, missing or malformed If-Match, then 409, 428 or 400 and nothing changes', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Versioned',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const ok = await app.request('PATCH', `/api/v1/goals/${goal.id}`, {
        token: as.writer,
        body: { title: 'v2' },
        headers: { 'if-match': '"1"' },
      });
      assert.equal(ok.status, 200);
      const stale = await app.request('PATCH', `/api/v1/goals/${goal.id}`, {
        token: as.writer,
        body: { title: 'v3' },
        headers: { 'if-match': '"1"' },
      });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'version_conflict');
      assert.equal(
        (
          await app.request('PATCH', `/api/v1/goals/${goal.id}`, {
            token: as.writer,
            body: { title: 'v3' },
          })
        ).status,
        428,
      );
      assert.equal(
        (
          await app.request('PATCH', `/api/v1/goals/${goal.id}`, {
            token: as.writer,
            body: { title: 'v3' },
            headers: { 'if-match': 'abc' },
          })
        ).status,
        400,
      );
      assert.equal(
        (
          await app.request('PATCH', `/api/v1/goals/${goal.id}`, {
            token: as.writer,
            body: {},
            headers: { 'if-match': '"2"' },
          })
        ).status,
        400,
      );
      const card = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader });
      assert.equal(card.body.title, 'v2');
      assert.equal(card.body.version, 2);
    });
  });
}
