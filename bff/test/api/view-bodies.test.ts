import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGoal } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] a view goes out as the bytes encoded once`, () => {
    let app: TestApp;
    let org: TestOrg;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
    });
    after(() => app.close());

    it('when a card is asked for by GET, HEAD and If-None-Match, then each says the same of one body', async () => {
      const token = await org.token({ sub: 'view-bytes', scope: 'okr:read okr:write' });
      const goal = await createGoal(app, token, {
        title: 'Déjà vu: ünïcode in a title',
        level: 'company',
        timeframeId: org.timeframeId,
      });
      const path = `/api/v1/goals/${goal.id}`;
      const first = await app.request('GET', path, { token });
      const again = await app.request('GET', path, { token });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.title, 'Déjà vu: ünïcode in a title');
      assert.equal(again.text, first.text);
      assert.match(first.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
      assert.equal(Number(first.headers.get('content-length')), Buffer.byteLength(first.text));
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^W\/"/);
      assert.equal(again.headers.get('etag'), etag);

      const head = await app.request('HEAD', path, { token });
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      assert.equal(head.headers.get('etag'), etag);
      assert.equal(head.headers.get('content-length'), first.headers.get('content-length'));

      const revalidated = await app.request('GET', path, {
        token,
        headers: { 'if-none-match': etag ?? '' },
      });
      assert.equal(revalidated.status, 304);
      assert.equal(revalidated.text, '');
    });
  });
}
