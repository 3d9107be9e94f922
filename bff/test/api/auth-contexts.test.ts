import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createCaches, type Caches } from '../../src/lib/caches.js';
import { TtlCache } from '../../src/lib/ttl-cache.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] a verified token's caller follows the org and the key`, () => {
    let app: TestApp;
    let org: TestOrg;
    let caches: Caches;
    /** The known users' clock: their 30 s lifetime passes without waiting for it. */
    let now = 1_000_000;

    before(async () => {
      caches = createCaches();
      caches.knownUsers = new TtlCache(30_000, 10_000, () => now);
      app = await startTestApp(dialect, { app: { caches } });
      org = await app.createOrg();
    });
    after(() => app.close());

    const me = (token: string) => app.request('GET', '/api/v1/me', { token });

    it('when the org is renamed or the key retired, then the next request with the same token sees it', async () => {
      const token = await org.token({ sub: 'same-token' });
      assert.equal((await me(token)).status, 200);
      const before = await me(token);
      assert.equal(before.status, 200, 'from the token cache');

      const orgs = createOrgsRepository(app.db, caches.orgLookups);
      await orgs.updateOrg(org.id, { name: 'Renamed while verified' });
      const renamed = await me(token);
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.org.name, 'Renamed while verified');
      assert.equal(renamed.body.user.id, before.body.user.id);

      await app.retireKey(org.kid);
      const retired = await me(token);
      assert.equal(retired.status, 401);
      assert.equal(retired.body.error.message, 'Unknown or retired key');
    });

    it('when the caller never pauses, then a membership written elsewhere shows from 20 s, without a wait', async () => {
      // An org of its own: the test above retires its org's key.
      const own = await app.createOrg();
      const token = await own.token({ sub: 'never-pauses' });
      const start = now;
      const first = await me(token);
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(first.body.teams, []);

      // As the directory in another process would: straight to the database, no org change.
      const teamId = randomUUID();
      await app.db.execute(
        `INSERT INTO teams (id, org_id, team_key, name, parent_id, created_at)
         VALUES (:teamId, :orgId, 'written-elsewhere', 'Written elsewhere', NULL, :at)`,
        { teamId, orgId: own.id, at: Date.now() },
      );
      await app.db.execute(
        'INSERT INTO memberships (user_id, team_id, org_id) VALUES (:userId, :teamId, :orgId)',
        { userId: first.body.user.id, teamId, orgId: own.id },
      );
      const teamsOf = async () =>
        ((await me(token)).body.teams as Array<{ key: string }>).map((team) => team.key);

      // Calls at 10 and 19 s are answered from the known user; none renews it.
      for (const at of [10_000, 19_000]) {
        now = start + at;
        assert.deepEqual(await teamsOf(), [], `cached at ${at / 1000} s`);
      }
      // At 20 s the call is still answered from it, and the user is read again behind it.
      now = start + 20_000;
      assert.deepEqual(await teamsOf(), [], 'answered before the read');
      let seen: string[] = [];
      for (let tries = 0; tries < 50 && seen.length === 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = await teamsOf();
      }
      assert.deepEqual(seen, ['written-elsewhere']);
    });
  });
}
