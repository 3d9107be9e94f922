/**
 * Races a retrying widget or a busy team produces: duplicate idempotent check-ins in flight at
 * once, edits racing on one version, and a burst of check-ins on one key result.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { warmUp } from '../support/security.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] security: races`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      as = await actorsOf(org);
      await warmUp(app, as);
    });
    after(() => app.close());

    async function freshKeyResult() {
      const goal = await createGoal(app, as.writer, {
        title: 'Race target',
        level: 'team',
        teamId: (await app.request('GET', '/api/v1/me', { token: as.writer })).body.teams[0].id,
        timeframeId: org.timeframeId,
      });
      const keyResult = await createKeyResult(app, as.writer, goal.id, {
        title: 'Race KR',
        kind: 'increase',
        target: 1000,
      });
      return { goal, keyResult };
    }

    const checkIn = (
      id: string,
      body: object,
      token: string,
      headers: Record<string, string> = {},
    ) => app.request('POST', `/api/v1/key-results/${id}/check-ins`, { token, body, headers });

    const storedCheckIns = (keyResultId: string, key?: string) =>
      app.db.select<{ id: string; value: number; kr_version: number }>(
        `SELECT id, value, kr_version FROM check_ins WHERE key_result_id = :keyResultId${key ? ' AND idempotency_key = :key' : ''}`,
        { keyResultId, key },
      );

    it('when the same Idempotency-Key arrives several times at once, then one check-in is stored and every 201 carries it', async () => {
      const { keyResult } = await freshKeyResult();
      const headers = { 'idempotency-key': 'double-click-1' };
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          checkIn(keyResult.id, { value: 42, comment: 'once' }, as.writer, headers),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      assert.ok(
        statuses.every((s) => s === 201 || s === 409),
        statuses.join(','),
      );
      const created = answers.filter((answer) => answer.status === 201);
      assert.ok(created.length >= 1, statuses.join(','));
      const rows = await storedCheckIns(keyResult.id, 'double-click-1');
      assert.equal(rows.length, 1);
      for (const answer of created) assert.equal(answer.body.checkIn.id, rows[0]?.id, answer.text);
      assert.equal((await storedCheckIns(keyResult.id)).length, 1);
    });

    it('when PATCHes race with the same If-Match, then exactly one wins and the others get 409', async () => {
      const { goal } = await freshKeyResult();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          app.request('PATCH', `/api/v1/goals/${goal.id}`, {
            token: i % 2 === 0 ? as.writer : as.teammate,
            body: { title: `Winner ${i}` },
            headers: { 'if-match': `"${goal.version}"` },
          }),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409]);
      const winner = answers.find((answer) => answer.status === 200);
      const card = (await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader }))
        .body;
      assert.equal(card.title, winner?.body.title);
      assert.equal(card.version, goal.version + 1);
    });

    it('when 50 check-ins hit one key result at once, then all 50 are answered 201 and stored once each', async () => {
      const { keyResult } = await freshKeyResult();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          checkIn(keyResult.id, { value: i + 1 }, i % 2 === 0 ? as.writer : as.teammate, {
            'idempotency-key': `burst-${i}`,
          }),
        ),
      );
      assert.deepEqual(
        answers.map((answer) => answer.status),
        Array(50).fill(201),
        answers.find((answer) => answer.status !== 201)?.text,
      );
      const rows = await storedCheckIns(keyResult.id);
      assert.equal(rows.length, 50);
      assert.deepEqual(
        rows.map((row) => Number(row.value)).sort((x, y) => x - y),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      assert.equal(
        new Set(rows.map((row) => row.kr_version)).size,
        50,
        'each check-in its own version',
      );
      const last = rows.reduce((top, row) => (row.kr_version > top.kr_version ? row : top));
      const history = await app.request(
        'GET',
        `/api/v1/key-results/${keyResult.id}/check-ins?limit=1`,
        {
          token: as.reader,
        },
      );
      assert.equal(Number(history.body.items[0].value), Number(last.value));
    });

    it('when a goal is re-parented back and forth while check-ins roll up through it, then every chain ends with the progress a fresh roll-up gives', async () => {
      const parent = async (title: string, parentId?: string) =>
        createGoal(app, as.writer, {
          title,
          level: 'team',
          timeframeId: org.timeframeId,
          parentId,
          progressSource: 'aligned_goals',
        });
      const roots = [await parent('Root A'), await parent('Root B')];
      const parents = [
        await parent('Parent A', roots[0].id),
        await parent('Parent B', roots[1].id),
      ];
      const goal = await createGoal(app, as.writer, {
        title: 'Moving',
        level: 'personal',
        timeframeId: org.timeframeId,
        parentId: parents[0].id,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Moves',
        kind: 'increase',
        target: 100,
      });
      const read = async (id: string) =>
        (await app.request('GET', `/api/v1/goals/${id}`, { token: as.reader })).body;
      const moves = (async () => {
        for (let i = 1; i <= 6; i++) {
          const { version } = await read(goal.id);
          const moved = await app.request('PATCH', `/api/v1/goals/${goal.id}`, {
            token: as.writer,
            headers: { 'if-match': `"${version}"` },
            body: { parentId: parents[i % 2].id },
          });
          assert.equal(moved.status, 200, moved.text);
        }
      })();
      const checkIns = Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          checkIn(kr.id, { value: i + 1 }, as.writer, { 'idempotency-key': `move-${i}` }),
        ),
      );
      const [answers] = await Promise.all([checkIns, moves]);
      for (const answer of answers) assert.equal(answer.status, 201, answer.text);
      const final = await read(goal.id);
      assert.equal(final.parentId, parents[0].id, 'six moves end where it started');
      assert.equal(final.progress, final.keyResults[0].progress);
      // Each parent and root has the moving goal as its only possible descendant.
      for (const side of [0, 1]) {
        const expected = final.parentId === parents[side].id ? final.progress : 0;
        assert.equal((await read(parents[side].id)).progress, expected, `parent ${side}`);
        assert.equal((await read(roots[side].id)).progress, expected, `root ${side}`);
      }
    });
  });
}
