/**
 * OWASP API3 (broken object property level authorization): fields a client must not set —
 * tenant, ids, versions, computed progress, another org's owner or team — are refused with 400
 * or 404 and leave every table as it was.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { warmUp, fingerprint } from '../support/security.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] security: mass assignment`, () => {
    let app: TestApp;
    let orgA: TestOrg;
    let orgB: TestOrg;
    let a: Actors;
    let b: Actors;
    let goal: { id: string; version: number };
    let keyResult: { id: string; version: number };
    let foreignUserId: string;
    let foreignTeamId: string;

    before(async () => {
      app = await startTestApp(dialect);
      orgA = await app.createOrg();
      orgB = await app.createOrg();
      a = await actorsOf(orgA);
      b = await actorsOf(orgB);
      await warmUp(app, a, b);
      goal = await createGoal(app, a.writer, {
        title: 'Ours',
        level: 'personal',
        timeframeId: orgA.timeframeId,
      });
      keyResult = await createKeyResult(app, a.writer, goal.id, {
        title: 'Ours KR',
        kind: 'increase',
        target: 10,
      });
      const foreign = (await app.request('GET', '/api/v1/me', { token: b.writer })).body;
      foreignUserId = foreign.user.id;
      foreignTeamId = foreign.teams[0].id;
      assert.ok(foreignTeamId, JSON.stringify(foreign));
    });
    after(() => app.close());

    /** Sends the request and asserts it is refused with one of `statuses` and nothing changed. */
    async function expectRefused(
      method: string,
      path: string,
      token: string,
      body: unknown,
      statuses: number[],
      headers: Record<string, string> = {},
    ) {
      const before = await fingerprint(app.db);
      const answer = await app.request(method, `/api/v1${path}`, { token, body, headers });
      const label = `${method} ${path} ${JSON.stringify(body)}`;
      assert.ok(statuses.includes(answer.status), `${label}: ${answer.status} ${answer.text}`);
      assert.equal(typeof answer.body.error.code, 'string', label);
      assert.equal(
        await fingerprint(app.db),
        before,
        `${label} changed the database: ${answer.status}`,
      );
    }

    const serverOwned = (orgId: string) => ({
      orgId,
      org_id: orgId,
      id: randomUUID(),
      version: 99,
      progress: 1,
      status: 'accomplished',
      createdAt: 0,
      deletedAt: 0,
    });

    it('when a goal is created with server-owned fields, then 400 and nothing is stored', async () => {
      const valid = { title: 'Sneaky', level: 'personal', timeframeId: orgA.timeframeId };
      for (const [name, value] of Object.entries(serverOwned(orgB.id))) {
        await expectRefused('POST', '/goals', a.writer, { ...valid, [name]: value }, [400]);
      }
      await expectRefused(
        'POST',
        '/goals',
        a.writer,
        JSON.parse(
          `{"title":"Proto","level":"personal","timeframeId":"${orgA.timeframeId}","__proto__":{"admin":true}}`,
        ),
        [400],
      );
    });

    it("when a goal is created or patched with another org's owner or team, then 404 and nothing changes", async () => {
      const valid = { title: 'Sneaky', level: 'personal', timeframeId: orgA.timeframeId };
      await expectRefused('POST', '/goals', a.admin, { ...valid, ownerId: foreignUserId }, [404]);
      await expectRefused(
        'POST',
        '/goals',
        a.admin,
        { ...valid, level: 'team', teamId: foreignTeamId },
        [404],
      );
      const ifMatch = { 'if-match': `"${goal.version}"` };
      await expectRefused(
        'PATCH',
        `/goals/${goal.id}`,
        a.admin,
        { ownerId: foreignUserId },
        [404],
        ifMatch,
      );
      await expectRefused(
        'PATCH',
        `/goals/${goal.id}`,
        a.admin,
        { teamId: foreignTeamId },
        [404],
        ifMatch,
      );
    });

    it('when a goal is patched with server-owned fields, then 400 and the goal keeps its version and progress', async () => {
      const ifMatch = { 'if-match': `"${goal.version}"` };
      for (const [name, value] of Object.entries(serverOwned(orgB.id))) {
        await expectRefused(
          'PATCH',
          `/goals/${goal.id}`,
          a.writer,
          { title: 'x', [name]: value },
          [400],
          ifMatch,
        );
      }
      const card = (await app.request('GET', `/api/v1/goals/${goal.id}`, { token: a.writer })).body;
      assert.equal(card.version, goal.version);
      assert.equal(card.title, 'Ours');
    });

    it('when a key result is created or patched with server-owned fields or a foreign owner, then it is refused and nothing changes', async () => {
      const valid = { title: 'KR', kind: 'increase', target: 3 };
      const extra = { ...serverOwned(orgB.id), goalId: randomUUID(), keyResultId: randomUUID() };
      for (const [name, value] of Object.entries(extra)) {
        await expectRefused(
          'POST',
          `/goals/${goal.id}/key-results`,
          a.writer,
          { ...valid, [name]: value },
          [400],
        );
      }
      await expectRefused(
        'POST',
        `/goals/${goal.id}/key-results`,
        a.admin,
        { ...valid, ownerId: foreignUserId },
        [404],
      );
      const ifMatch = { 'if-match': `"${keyResult.version}"` };
      for (const [name, value] of Object.entries({ ...extra, current: 9 })) {
        await expectRefused(
          'PATCH',
          `/key-results/${keyResult.id}`,
          a.writer,
          { title: 'y', [name]: value },
          [400],
          ifMatch,
        );
      }
      await expectRefused(
        'PATCH',
        `/key-results/${keyResult.id}`,
        a.admin,
        { ownerId: foreignUserId },
        [404],
        ifMatch,
      );
    });

    it('when a check-in or timeframe carries an author, tenant or id, then 400 and nothing is stored', async () => {
      for (const [name, value] of Object.entries({
        authorId: foreignUserId,
        keyResultId: randomUUID(),
        orgId: orgB.id,
        id: randomUUID(),
        createdAt: 0,
      })) {
        await expectRefused(
          'POST',
          `/key-results/${keyResult.id}/check-ins`,
          a.writer,
          { value: 1, [name]: value },
          [400],
        );
      }
      await expectRefused(
        'POST',
        '/timeframes',
        a.admin,
        { name: 'Q', startDate: '2030-01-01', endDate: '2030-03-31', orgId: orgB.id },
        [400],
      );
    });
  });
}
