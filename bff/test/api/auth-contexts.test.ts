import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createCaches, type Caches } from '../../src/lib/caches.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] a verified token's caller follows the org and the key`, () => {
    let app: TestApp;
    let org: TestOrg;
    let caches: Caches;

    before(async () => {
      caches = createCaches();
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
  });
}
