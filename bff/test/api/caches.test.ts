import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

/** Copies rows as they are, with some columns changed, from one app's database to another's. */
async function copyRows(
  from: TestApp,
  to: TestApp,
  table: string,
  where: string,
  params: Record<string, unknown>,
  changes: Record<string, unknown> = {},
) {
  const rows = await from.db.select<Record<string, unknown>>(
    `SELECT * FROM ${table} WHERE ${where}`,
    params,
  );
  assert.ok(rows.length > 0, `nothing to copy from ${table}`);
  for (const row of rows) {
    const values = { ...row, ...changes };
    const columns = Object.keys(values);
    await to.db.execute(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`,
      values,
    );
  }
}

for (const dialect of dialects()) {
  describe(`[${dialect.name}] caches belong to one app`, () => {
    let first: TestApp;
    let second: TestApp;
    let org: TestOrg;

    before(async () => {
      first = await startTestApp(dialect);
      second = await startTestApp(dialect);
      org = await first.createOrg();
      // The second database holds the same org and key, the key retired there: a restored
      // backup, a staging copy, or the next test's database that happens to reuse a kid.
      await copyRows(first, second, 'organizations', 'id = :id', { id: org.id });
      await copyRows(
        first,
        second,
        'embed_keys',
        'kid = :kid',
        { kid: org.kid },
        {
          status: 'retired',
          retired_at: Date.now(),
        },
      );
    });
    after(async () => {
      await first.close();
      await second.close();
    });

    const me = (app: TestApp, token: string) => app.request('GET', '/api/v1/me', { token });

    it('when two apps in one process know the same kid, then each answers from its own database, not from the other’s cache', async () => {
      const token = await org.token({ sub: 'shared-kid' });
      const accepted = await me(first, token);
      assert.equal(accepted.status, 200, accepted.text);
      assert.equal((await me(first, token)).status, 200, 'the first app now has the key cached');

      const refused = await me(second, token);
      assert.equal(refused.status, 401, 'the second database retired the key');
      assert.equal(refused.body.error.code, 'invalid_token');
      assert.equal(refused.body.error.message, 'Unknown or retired key');

      assert.equal((await me(first, token)).status, 200, 'and the refusal did not reach the first');
    });
  });
}
