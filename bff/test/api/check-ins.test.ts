import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import type { Database } from '../../src/lib/db.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] check-ins API`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    /**
     * While set, the app's write of this goal's progress fails (as a bug or a full disk would),
     * and every write the app sent before it is kept for the test to see.
     */
    let failProgressWriteOf: string | undefined;
    const writesBeforeFailure: string[] = [];

    before(async () => {
      // The database the app is given, wrapped: the failure comes from below the service, so
      // the service runs exactly the code it runs in production.
      app = await startTestApp(dialect, {
        wrapDb: (db: Database): Database => ({
          ...db,
          async execute(sql, params, tx) {
            if (failProgressWriteOf !== undefined) {
              const ids = params?.ids;
              if (
                sql.startsWith('UPDATE goals SET progress') &&
                Array.isArray(ids) &&
                ids.includes(failProgressWriteOf)
              ) {
                failProgressWriteOf = undefined;
                throw new Error('injected failure in the middle of a check-in');
              }
              writesBeforeFailure.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
            }
            return db.execute(sql, params, tx);
          },
        }),
      });
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
      return { company, team, personal, kr };
    }

    const checkIn = (
      krId: string,
      body: unknown,
      token = as.writer,
      headers: Record<string, string> = {},
    ) => app.request('POST', `/api/v1/key-results/${krId}/check-ins`, { token, body, headers });
    const card = async (id: string) =>
      (await app.request('GET', `/api/v1/goals/${id}`, { token: as.reader })).body;

    it('when a check-in is posted, then the key result, its goal and every ancestor change in one answer', async () => {
      const { company, team, personal, kr } = await chain();
      const answer = await checkIn(kr.id, { value: 10, status: 'on_track', comment: 'Good week' });
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.body.checkIn.value, 10);
      assert.equal(answer.body.checkIn.comment, 'Good week');
      assert.equal(answer.body.checkIn.author.name, 'Writer');
      assert.equal(answer.body.keyResult.current, 10);
      assert.equal(answer.body.keyResult.progress, 0.25);
      assert.equal(answer.body.keyResult.status, 'on_track');
      assert.equal(answer.body.keyResult.version, 2);
      assert.equal(answer.body.goal.id, personal.id);
      assert.equal(answer.body.goal.progress, 0.25);
      assert.equal(answer.body.goal.lastCheckIn.id, answer.body.checkIn.id);
      assert.equal((await card(team.id)).progress, 0.25);
      const top = await card(company.id);
      assert.equal(top.progress, 0.25);
      assert.equal(top.status, 'on_track');
    });

    it('when the status is left out, then the pace over the timeframe suggests one', async () => {
      const { kr } = await chain();
      const answer = await checkIn(kr.id, { value: 40 });
      assert.equal(answer.status, 201);
      assert.equal(answer.body.keyResult.status, 'accomplished');
    });

    it('when history is read, then it is newest first and pages by cursor', async () => {
      const { kr } = await chain();
      for (const value of [1, 2, 3, 4, 5])
        assert.equal((await checkIn(kr.id, { value })).status, 201);
      const first = await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins?limit=3`, {
        token: as.reader,
      });
      assert.equal(first.status, 200);
      assert.deepEqual(
        first.body.items.map((c: { value: number }) => c.value),
        [5, 4, 3],
      );
      const second = await app.request(
        'GET',
        `/api/v1/key-results/${kr.id}/check-ins?limit=3&cursor=${first.body.nextCursor}`,
        { token: as.reader },
      );
      assert.deepEqual(
        second.body.items.map((c: { value: number }) => c.value),
        [2, 1],
      );
      assert.equal(second.body.nextCursor, null);
      assert.equal(
        (
          await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins?cursor=zzz`, {
            token: as.reader,
          })
        ).status,
        400,
      );
      assert.equal(
        (await app.request('GET', '/api/v1/key-results/nope/check-ins', { token: as.reader }))
          .status,
        400,
      );
    });

    it('when a request is retried with the same Idempotency-Key, then the first answer is replayed and one check-in stored', async () => {
      const { kr } = await chain();
      const headers = { 'idempotency-key': 'retry-1' };
      const first = await checkIn(kr.id, { value: 7, comment: 'once' }, as.writer, headers);
      const again = await checkIn(kr.id, { value: 7, comment: 'once' }, as.writer, headers);
      assert.equal(first.status, 201);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      const history = await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: as.reader,
      });
      assert.equal(history.body.items.length, 1);
      const reused = await checkIn(kr.id, { value: 8 }, as.writer, headers);
      assert.equal(reused.status, 409);
      assert.equal(reused.body.error.code, 'idempotency_key_reused');
      const otherUser = await checkIn(kr.id, { value: 8 }, as.teammate, headers);
      assert.equal(
        otherUser.status,
        403,
        'keys are per user; the teammate does not own this personal goal',
      );
      assert.equal(
        (await checkIn(kr.id, { value: 1 }, as.writer, { 'idempotency-key': 'x'.repeat(256) }))
          .status,
        400,
      );
    });

    it('when 20 check-ins hit one key result at once, then all are stored once and the key result ends at the last committed value', async () => {
      const { kr, personal } = await chain();
      const values = Array.from({ length: 20 }, (_, i) => i + 1);
      const answers = await Promise.all(
        values.map((value) =>
          checkIn(kr.id, { value }, as.writer, { 'idempotency-key': `burst-${value}` }),
        ),
      );
      for (const answer of answers) assert.equal(answer.status, 201, answer.text);
      const history = await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins?limit=100`, {
        token: as.reader,
      });
      const stored = history.body.items.map((c: { value: number }) => c.value);
      assert.equal(stored.length, 20);
      assert.deepEqual(
        [...stored].sort((a: number, b: number) => a - b),
        values,
      );
      const versions = answers.map((a) => a.body.keyResult.version).sort((a, b) => a - b);
      assert.deepEqual(
        versions,
        values.map((v) => v + 1),
        'each check-in saw its own version: no lost update',
      );
      const goal = await card(personal.id);
      assert.equal(
        goal.keyResults[0].current,
        stored[0],
        'current is the newest committed check-in',
      );
      assert.equal(goal.keyResults[0].version, 21);
      assert.equal(goal.progress, stored[0] / 40);
    });

    it('when check-ins on two key results under one objective arrive at once, then the objective ends as if they had come one by one', async () => {
      /** An objective rolling up two personal goals of one key result each. */
      const objective = async (title: string) => {
        const top = await createGoal(app, as.writer, {
          title,
          level: 'company',
          timeframeId: org.timeframeId,
          progressSource: 'aligned_goals',
        });
        const krs = [];
        for (const name of ['North', 'South']) {
          const goal = await createGoal(app, as.writer, {
            title: `${title} ${name}`,
            level: 'personal',
            timeframeId: org.timeframeId,
            parentId: top.id,
          });
          krs.push(
            await createKeyResult(app, as.writer, goal.id, {
              title: 'Calls made',
              kind: 'increase',
              start: 0,
              target: 40,
            }),
          );
        }
        return { top, krs: krs as [(typeof krs)[0], (typeof krs)[0]] };
      };
      const together = await objective('Together');
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          checkIn(together.krs[i % 2].id, { value: 3 * (i + 1) }, as.writer, {
            'idempotency-key': `together-${i}`,
          }),
        ),
      );
      for (const answer of answers) assert.equal(answer.status, 201, answer.text);
      // Each key result's last value is the one its highest version answered.
      const finals = together.krs.map((kr) => {
        const own = answers.filter((answer) => answer.body.keyResult.id === kr.id);
        assert.deepEqual(
          own.map((answer) => answer.body.keyResult.version).sort((a, b) => a - b),
          [2, 3, 4, 5, 6],
        );
        const last = own.find((answer) => answer.body.keyResult.version === 6);
        for (const answer of own) {
          assert.equal(answer.body.goal.progress, answer.body.keyResult.progress);
        }
        return last?.body.keyResult.current as number;
      });
      const oneByOne = await objective('One by one');
      for (const [n, kr] of oneByOne.krs.entries()) {
        assert.equal((await checkIn(kr.id, { value: finals[n] })).status, 201);
      }
      const [a, b] = [await card(together.top.id), await card(oneByOne.top.id)];
      assert.equal(a.progress, b.progress, `finals ${finals.join(', ')}`);
      assert.equal(a.status, b.status);
      const [north = NaN, south = NaN] = finals;
      assert.equal(a.progress, (north / 40 + south / 40) / 2);
    });

    it('when a burst mixes refusals, replays and a repeated key with good check-ins, then each gets its own answer', async () => {
      const { kr } = await chain();
      const first = await checkIn(kr.id, { value: 5 }, as.writer, { 'idempotency-key': 'mix-old' });
      assert.equal(first.status, 201);
      // Fired together: those behind the first wait for its transaction and share the next.
      const [good, stranger, replayed, reused, twiceA, twiceB, keyless] = await Promise.all([
        checkIn(kr.id, { value: 1 }, as.writer, { 'idempotency-key': 'mix-1' }),
        checkIn(kr.id, { value: 2 }, as.stranger, { 'idempotency-key': 'mix-2' }),
        checkIn(kr.id, { value: 5 }, as.writer, { 'idempotency-key': 'mix-old' }),
        checkIn(kr.id, { value: 6 }, as.writer, { 'idempotency-key': 'mix-old' }),
        checkIn(kr.id, { value: 7 }, as.writer, { 'idempotency-key': 'mix-twice' }),
        checkIn(kr.id, { value: 7 }, as.writer, { 'idempotency-key': 'mix-twice' }),
        checkIn(kr.id, { value: 8 }),
      ]);
      assert.equal(good.status, 201, good.text);
      assert.equal(stranger.status, 403);
      assert.equal(replayed.status, 201);
      assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(replayed.body, first.body);
      assert.equal(reused.status, 409);
      assert.equal(reused.body.error.code, 'idempotency_key_reused');
      assert.deepEqual(
        [twiceA, twiceB].map((answer) => answer.status),
        [201, 201],
      );
      assert.deepEqual(twiceA.body, twiceB.body, 'the same key twice: one stored, one replayed');
      assert.equal(
        [twiceA, twiceB].filter((answer) => answer.headers.get('idempotent-replayed')).length,
        1,
      );
      assert.equal(keyless.status, 201);
      const created = [good, twiceA, keyless];
      assert.deepEqual(
        created.map((answer) => answer.body.keyResult.version).sort((a, b) => a - b),
        [3, 4, 5],
        'one version step per stored check-in, after the first (2)',
      );
      for (const answer of created) {
        assert.equal(answer.body.keyResult.current, answer.body.checkIn.value);
        assert.equal(answer.body.goal.lastCheckIn.id, answer.body.checkIn.id);
      }
      const history = await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins?limit=100`, {
        token: as.reader,
      });
      assert.deepEqual(
        history.body.items.map((c: { value: number }) => c.value).sort(),
        [1, 5, 7, 8],
      );
      const newest = created.find((answer) => answer.body.keyResult.version === 5);
      assert.equal(history.body.items[0].id, newest?.body.checkIn.id, 'newest by version');
    });

    it('when a check-in fails midway, then no check-in, key result change or propagated progress is left behind', async () => {
      const { kr, personal, company } = await chain();
      assert.equal((await checkIn(kr.id, { value: 4 })).status, 201);
      const before = await card(personal.id);
      const beforeTop = await card(company.id);
      // The chain's progress (the company goal's among it) is one write, the last before the
      // idempotency record: by then the check-in row and the key result are written.
      failProgressWriteOf = company.id;
      writesBeforeFailure.length = 0;
      const failed = await checkIn(kr.id, { value: 30 }, as.writer, {
        'idempotency-key': 'doomed',
      });
      assert.equal(failProgressWriteOf, undefined, 'the injected failure happened');
      assert.deepEqual(writesBeforeFailure, ['INSERT INTO check_ins', 'UPDATE key_results SET']);
      assert.equal(failed.status, 500);
      assert.equal(failed.body.error.code, 'internal_error');
      assert.ok(!failed.text.includes('injected'), 'no internals in the answer');
      assert.deepEqual(await card(personal.id), before);
      assert.deepEqual(await card(company.id), beforeTop);
      const history = await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: as.reader,
      });
      assert.deepEqual(
        history.body.items.map((c: { value: number }) => c.value),
        [4],
      );
      const retried = await checkIn(kr.id, { value: 30 }, as.writer, {
        'idempotency-key': 'doomed',
      });
      assert.equal(retried.status, 201, 'the failed attempt left no idempotency record either');
      assert.equal(retried.headers.get('idempotent-replayed'), null);
    });

    it('when the caller does not own the key result or lacks okr:checkin, then 403 and nothing is stored', async () => {
      const { kr } = await chain();
      assert.equal((await checkIn(kr.id, { value: 3 }, as.stranger)).status, 403);
      assert.equal((await checkIn(kr.id, { value: 3 }, as.reader)).status, 403);
      const history = await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: as.reader,
      });
      assert.equal(history.body.items.length, 0);
    });

    it('when a teammate checks in on a team goal, then it is accepted', async () => {
      const me = await app.request('GET', '/api/v1/me', { token: as.teammate });
      const goal = await createGoal(app, as.writer, {
        title: 'Team-owned',
        level: 'team',
        ownerId: null,
        teamId: me.body.teams[0].id,
        timeframeId: org.timeframeId,
      });
      const kr = await createKeyResult(app, as.writer, goal.id, {
        title: 'Shipped',
        kind: 'boolean',
        target: 1,
        ownerId: null,
      });
      assert.equal((await checkIn(kr.id, { value: 1 }, as.teammate)).status, 201);
    });

    it('when the body is bad, then 400 (or 413/415) and nothing is stored', async () => {
      const { kr } = await chain();
      const bodies: unknown[] = [
        {},
        { value: '5' },
        { value: 1e20 },
        { value: null },
        { value: 1, status: 'great' },
        { value: 1, comment: 'x'.repeat(4001) },
        { value: 1, extra: 1 },
        'just a string',
      ];
      for (const body of bodies) {
        const answer = await checkIn(kr.id, body);
        assert.equal(
          answer.status,
          400,
          `${JSON.stringify(body)?.slice(0, 40)}: ${answer.text.slice(0, 200)}`,
        );
      }
      const notJson = await app.request('POST', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: as.writer,
        rawBody: 'value=5',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(notJson.status, 415);
      const huge = await app.request('POST', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: as.writer,
        body: { value: 1, comment: 'x'.repeat(200_000) },
      });
      assert.equal(huge.status, 413);
      assert.equal(huge.body.error.code, 'payload_too_large');
      const history = await app.request('GET', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: as.reader,
      });
      assert.equal(history.body.items.length, 0);
      const precise = await checkIn(kr.id, { value: -0.00004 });
      assert.equal(precise.status, 201);
      assert.equal(
        precise.body.keyResult.current,
        0,
        'stored with the column precision on every dialect',
      );
    });
  });
}
