import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { actorsOf, createGoal, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] logs and concurrent edits`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    const lines: string[] = [];

    before(async () => {
      const sink = new Writable({
        write(chunk, _encoding, done) {
          lines.push(...chunk.toString().split('\n').filter(Boolean));
          done();
        },
      });
      app = await startTestApp(dialect, {
        app: { logger: pino({ level: 'info' }, sink) },
        config: { RATE_LIMIT_PER_MINUTE: '0' },
      });
      org = await app.createOrg();
      as = await actorsOf(org);
    });
    after(() => app.close());

    it('when requests succeed and fail, then each is logged as JSON with its request id and no token appears', async () => {
      const token = as.writer;
      const ok = await app.request('GET', '/api/v1/me', {
        token,
        headers: { 'x-request-id': 'trace-42' },
      });
      assert.equal(ok.headers.get('x-request-id'), 'trace-42');
      await app.request('GET', '/api/v1/me', { token: `${token}x` });
      await app.request('GET', `/api/v1/goals?token=${token.slice(0, 20)}`, { token });
      const logged = lines.map(
        (line) => JSON.parse(line) as { requestId?: string; status?: number },
      );
      assert.ok(logged.some((entry) => entry.requestId === 'trace-42' && entry.status === 200));
      assert.ok(logged.some((entry) => entry.status === 401));
      const signature = token.split('.')[2] ?? '';
      assert.ok(signature.length > 20);
      assert.ok(
        !lines.some((line) => line.includes(signature)),
        'no token signature in any log line',
      );
    });

    it('when two edits race with the same If-Match, then exactly one wins and the other gets 409', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Raced',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const edits = await Promise.all(
        ['Mine', 'Yours'].map((title) =>
          app.request('PATCH', `/api/v1/goals/${goal.id}`, {
            token: as.writer,
            body: { title },
            headers: { 'if-match': '"1"' },
          }),
        ),
      );
      assert.deepEqual(edits.map((e) => e.status).sort(), [200, 409]);
      const card = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader });
      assert.equal(card.body.version, 2);
      assert.equal(card.body.title, edits.find((e) => e.status === 200)?.body.title);
    });
  });
}
