import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

const registered = 'https://intranet.cors.example';
const foreign = 'https://wiki.elsewhere.example';
const unknown = 'http://localhost:5173';

interface LogLine {
  level: number;
  msg: string;
  origin?: string;
  org?: string;
  reason?: string;
  requestId?: string;
}

for (const dialect of dialects()) {
  describe(`[${dialect.name}] a refused origin is explained`, () => {
    let app: TestApp;
    let org: TestOrg;
    let otherOrg: TestOrg;
    const lines: string[] = [];
    const logged = () => lines.map((line) => JSON.parse(line) as LogLine);

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
      org = await app.createOrg({ origins: [registered] });
      otherOrg = await app.createOrg({ origins: [foreign] });
    });
    after(() => app.close());

    it('when a preflight comes from an origin nobody registered, then it is granted without credentials, so the refusal can be read', async () => {
      const answer = await app.request('OPTIONS', '/api/v1/goals', {
        headers: {
          origin: unknown,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-origin'), unknown);
      assert.match(answer.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      assert.equal(answer.headers.get('access-control-allow-credentials'), null);
      assert.equal(answer.text, '');
    });

    it('when an unregistered origin calls with a valid token, then 403 origin_not_allowed names the origin and the command, readable by the page', async () => {
      const token = await org.token({ sub: 'cors-refused' });
      lines.length = 0;
      const answer = await app.request('GET', '/api/v1/me', {
        token,
        headers: { origin: unknown, 'x-request-id': 'cors-trace-1' },
      });
      assert.equal(answer.status, 403);
      assert.equal(answer.headers.get('access-control-allow-origin'), unknown);
      assert.match(answer.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/);
      const register = `okr org update ${org.slug} --add-origin ${unknown}`;
      assert.deepEqual(answer.body, {
        error: {
          code: 'origin_not_allowed',
          message: `The origin ${unknown} is not registered for this organization. Register it with: ${register}`,
          details: { origin: unknown, register },
          requestId: 'cors-trace-1',
        },
      });
      const warning = logged().find((line) => line.msg === 'origin refused');
      assert.ok(warning, lines.join('\n'));
      assert.equal(warning.level, 40, 'logged at warn');
      assert.equal(warning.origin, unknown);
      assert.equal(warning.org, org.slug);
      assert.equal(warning.requestId, 'cors-trace-1');
      assert.match(warning.reason ?? '', /not registered/);
    });

    it('when an unregistered origin calls with the token of a person never seen, then the refusal writes no user', async () => {
      const stranger = `cors-unseen-${Date.now()}`;
      const countOf = async (sub: string) => {
        const [row] = await app.db.select<{ n: number }>(
          'SELECT COUNT(*) AS n FROM users WHERE org_id = :orgId AND external_id = :sub',
          { orgId: org.id, sub },
        );
        return Number(row?.n);
      };
      const token = await org.token({ sub: stranger });
      const refused = await app.request('GET', '/api/v1/me', {
        token,
        headers: { origin: unknown },
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'origin_not_allowed');
      assert.equal(await countOf(stranger), 0, 'the origin is checked before the user is written');
      // The same token from the org's own page is that person's first request.
      const allowed = await app.request('GET', '/api/v1/me', {
        token,
        headers: { origin: registered },
      });
      assert.equal(allowed.status, 200);
      assert.equal(await countOf(stranger), 1);
    });

    it('when another org registered the origin, then the refusal says nothing of that org nor of the own org list', async () => {
      const token = await org.token({ sub: 'cors-crossed' });
      const answer = await app.request('GET', '/api/v1/me', {
        token,
        headers: { origin: foreign },
      });
      assert.equal(answer.status, 403);
      assert.equal(answer.body.error.code, 'origin_not_allowed');
      assert.equal(answer.headers.get('access-control-allow-origin'), foreign);
      assert.ok(!answer.text.includes(otherOrg.slug), 'no other org slug');
      assert.ok(!answer.text.includes(registered), 'not the org own allowed origins');
      assert.deepEqual(answer.body.error.details, {
        origin: foreign,
        register: `okr org update ${org.slug} --add-origin ${foreign}`,
      });
    });

    it('when a page has no origin of its own (null), then it is told to serve the page over http(s)', async () => {
      const token = await org.token({ sub: 'cors-null' });
      const answer = await app.request('GET', '/api/v1/me', { token, headers: { origin: 'null' } });
      assert.equal(answer.status, 403);
      assert.equal(answer.body.error.code, 'origin_not_allowed');
      assert.match(answer.body.error.message, /serve it over http\(s\)/);
      assert.deepEqual(answer.body.error.details, { origin: 'null', register: null });
    });

    it('when a write comes from an unregistered origin, then it is refused before anything is stored', async () => {
      const token = await org.token({ sub: 'cors-writer', scope: 'okr:read okr:write' });
      const answer = await app.request('POST', '/api/v1/goals', {
        token,
        headers: { origin: unknown },
        body: { title: 'Never stored', level: 'company', timeframeId: org.timeframeId },
      });
      assert.equal(answer.status, 403);
      assert.equal(answer.body.error.code, 'origin_not_allowed');
      const list = await app.request('GET', '/api/v1/goals?q=Never%20stored', {
        token,
        headers: { origin: registered },
      });
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.items, []);
    });

    it('when the token is bad and the origin unregistered, then the 401 carries no grant', async () => {
      const answer = await app.request('GET', '/api/v1/me', {
        token: 'not.a.token',
        headers: { origin: unknown },
      });
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
    });

    it('when the origin is registered, then the answer has the grant and no warning is logged', async () => {
      const token = await org.token({ sub: 'cors-allowed' });
      lines.length = 0;
      const answer = await app.request('GET', '/api/v1/me', {
        token,
        headers: { origin: registered },
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), registered);
      assert.ok(!logged().some((line) => line.msg === 'origin refused'));
    });
  });
}
