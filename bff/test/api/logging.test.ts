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

    it('when requests are logged, then each line has the route template, org slug and user id, and a refusal its reason', async () => {
      const goal = await createGoal(app, as.writer, {
        title: 'Logged',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      lines.length = 0;
      await app.request('GET', `/api/v1/goals/${goal.id}?x=1`, {
        token: await org.token({ sub: 'logged', email: 'kim@acme.example', scope: 'okr:read' }),
        headers: { 'x-request-id': 'card-1' },
      });
      await app.request('GET', '/api/v1/me', { headers: { 'x-request-id': 'anon-1' } });
      const expired = await org.token({}, { iatOffset: -7200, ttl: 60 });
      await app.request('GET', '/api/v1/me', {
        token: expired,
        headers: { 'x-request-id': 'old-1' },
      });
      await app.request('GET', '/api/v1/me', {
        token: await org.token({}, { kid: 'no-such-kid' }),
        headers: { 'x-request-id': 'kid-1' },
      });
      await app.request('GET', '/api/v1/me', {
        token: await org.token({ iss: 'https://elsewhere.example' }),
        headers: { 'x-request-id': 'iss-1' },
      });
      await app.request('POST', '/api/v1/goals', {
        token: as.reader,
        body: { title: 'No', level: 'personal', timeframeId: org.timeframeId },
        headers: { 'x-request-id': 'scope-1' },
      });
      await app.request('GET', '/api/v1/me', {
        token: as.reader,
        headers: { 'x-request-id': 'origin-1', origin: 'https://evil.example' },
      });
      const byId = new Map(
        lines
          .map((line) => JSON.parse(line) as Record<string, any>) // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read JSON freely
          .filter((entry) => entry.msg === 'request')
          .map((entry) => [entry.requestId, entry]),
      );
      const card = byId.get('card-1');
      assert.equal(card?.route, '/api/v1/goals/:id');
      assert.equal(card?.path, `/api/v1/goals/${goal.id}`);
      assert.equal(card?.org, org.slug);
      assert.match(card?.userId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(typeof card?.ms, 'number');
      assert.equal(byId.get('anon-1')?.error?.code, 'missing_token');
      assert.equal(byId.get('anon-1')?.path, '/api/v1/me');
      assert.match(byId.get('old-1')?.error?.reason ?? '', /expired|older|maxAge|1 h/i);
      assert.match(byId.get('kid-1')?.error?.reason ?? '', /Unknown or retired key/);
      assert.match(
        byId.get('iss-1')?.error?.reason ?? '',
        new RegExp(`issuer invalid. expected: ${org.issuer}`),
      );
      assert.match(byId.get('scope-1')?.error?.reason ?? '', /okr:write/);
      assert.equal(byId.get('scope-1')?.org, org.slug);
      assert.equal(byId.get('origin-1')?.error?.origin, 'https://evil.example');
      assert.equal(byId.get('origin-1')?.status, 403);
      const signature = as.reader.split('.')[2] ?? '';
      for (const line of lines) {
        assert.doesNotMatch(line, /@/, 'no email');
        assert.ok(!line.includes(signature), 'no token');
      }
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
