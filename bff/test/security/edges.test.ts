/**
 * HTTP edges an attacker reaches first: the rate limit per (org, user), CORS held to each org's
 * own origins, the security headers on every answer, and the body size and type guards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { fingerprint, warmUp } from '../support/security.js';

const originA = 'https://intranet.a.example';
const originB = 'https://portal.b.example';
const evil = 'https://evil.example';
const RATE_LIMIT = 6;

/** The headers helmet and the app promise on API answers; a change here is a reviewed change. */
const securityHeaderNames = [
  'cache-control',
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-powered-by',
  'x-xss-protection',
];
const expectedSecurityHeaders = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-powered-by': null,
  'x-xss-protection': '0',
};

const securityHeadersOf = (headers: Headers) =>
  Object.fromEntries(securityHeaderNames.map((name) => [name, headers.get(name)]));

for (const dialect of dialects()) {
  describe(`[${dialect.name}] security: HTTP edges`, () => {
    let app: TestApp;
    let orgA: TestOrg;
    let orgB: TestOrg;
    let a: Actors;
    let b: Actors;

    before(async () => {
      app = await startTestApp(dialect, { config: { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) } });
      orgA = await app.createOrg({ origins: [originA] });
      orgB = await app.createOrg({ origins: [originB] });
      a = await actorsOf(orgA);
      b = await actorsOf(orgB);
    });
    after(() => app.close());

    it('when one user of org A exhausts the limit, then they get 429 with Retry-After while the same sub in org B and another user of A go on', async () => {
      const sameSubInA = await orgA.token({ sub: 'limited', name: 'Limited' });
      const sameSubInB = await orgB.token({ sub: 'limited', name: 'Limited' });
      const otherUserInA = await orgA.token({ sub: 'unlimited', name: 'Unlimited' });
      const statuses: number[] = [];
      let limited;
      for (let i = 0; i < RATE_LIMIT + 2; i += 1) {
        const answer = await app.request('GET', '/api/v1/me', { token: sameSubInA });
        statuses.push(answer.status);
        if (answer.status === 429) limited = answer;
      }
      assert.deepEqual(statuses.slice(0, RATE_LIMIT), Array(RATE_LIMIT).fill(200));
      assert.deepEqual(statuses.slice(RATE_LIMIT), [429, 429]);
      assert.ok(limited);
      assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal(limited.body.error.code, 'rate_limited');
      assert.equal(typeof limited.body.error.requestId, 'string');
      assert.equal((await app.request('GET', '/api/v1/me', { token: sameSubInB })).status, 200);
      assert.equal((await app.request('GET', '/api/v1/me', { token: otherUserInA })).status, 200);
    });

    it('when a preflight comes from any origin, then it is granted without credentials; the actual request is what is held to the org', async () => {
      for (const origin of [originA, originB]) {
        const answer = await app.request('OPTIONS', '/api/v1/key-results/x/check-ins', {
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type, idempotency-key',
          },
        });
        assert.equal(answer.status, 204, origin);
        assert.equal(answer.headers.get('access-control-allow-origin'), origin);
        assert.match(answer.headers.get('access-control-allow-methods') ?? '', /POST/);
        assert.equal(answer.headers.get('access-control-allow-credentials'), null);
      }
      for (const origin of [
        evil,
        'null',
        `${originA}.evil.example`,
        originA.replace('https', 'http'),
      ]) {
        const answer = await app.request('OPTIONS', '/api/v1/goals', {
          headers: { origin, 'access-control-request-method': 'GET' },
        });
        // A grant for the preflight only: no cookies ride along, and the actual request is
        // refused (tested below) before any route runs.
        assert.equal(answer.status, 204, origin);
        assert.equal(answer.headers.get('access-control-allow-credentials'), null, origin);
        const actual = await app.request('GET', '/api/v1/goals', {
          token: a.reader,
          headers: { origin },
        });
        assert.equal(actual.status, 403, origin);
        assert.equal(actual.body.error.code, 'origin_not_allowed', origin);
      }
    });

    it("when an actual request carries its own org's origin, then 200 with the grant; another org's origin or an unknown one, then 403", async () => {
      const own = await app.request('GET', '/api/v1/me', {
        token: a.reader,
        headers: { origin: originA },
      });
      assert.equal(own.status, 200);
      assert.equal(own.headers.get('access-control-allow-origin'), originA);
      assert.match(own.headers.get('vary') ?? '', /Origin/);
      const ownB = await app.request('GET', '/api/v1/me', {
        token: b.reader,
        headers: { origin: originB },
      });
      assert.equal(ownB.status, 200);

      const crossed = await app.request('GET', '/api/v1/me', {
        token: a.reader,
        headers: { origin: originB },
      });
      assert.equal(crossed.status, 403);
      assert.equal(crossed.body.error.code, 'origin_not_allowed');
      const crossedB = await app.request('GET', '/api/v1/me', {
        token: b.reader,
        headers: { origin: originA },
      });
      assert.equal(crossedB.status, 403);

      const unknown = await app.request('GET', '/api/v1/me', {
        token: a.reader,
        headers: { origin: evil },
      });
      assert.equal(unknown.status, 403);
      // The refusal is readable by the page it refuses, so the page can say why.
      assert.equal(unknown.body.error.code, 'origin_not_allowed');
      assert.equal(unknown.headers.get('access-control-allow-origin'), evil);

      const serverToServer = await app.request('GET', '/api/v1/me', { token: a.reader });
      assert.equal(serverToServer.status, 200);
      assert.equal(serverToServer.headers.get('access-control-allow-origin'), null);
    });

    it('when API answers go out, success or error, then the security headers match the snapshot', async () => {
      const ok = await app.request('GET', '/api/v1/me', { token: a.writer });
      const unauthorized = await app.request('GET', '/api/v1/me');
      const missing = await app.request('GET', '/nowhere');
      assert.equal(ok.status, 200);
      assert.deepEqual(securityHeadersOf(ok.headers), {
        ...expectedSecurityHeaders,
        'cache-control': 'private, no-cache',
      });
      for (const answer of [unauthorized, missing]) {
        const { 'cache-control': _cache, ...rest } = securityHeadersOf(answer.headers);
        const { 'cache-control': _expected, ...expected } = {
          ...expectedSecurityHeaders,
          'cache-control': null,
        };
        assert.deepEqual(rest, expected, `${answer.status}`);
        assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
      }
      assert.equal(unauthorized.headers.get('www-authenticate'), 'Bearer realm="okr-embed"');
      const write = await app.request('POST', '/api/v1/goals', { token: a.writer, body: {} });
      assert.equal(write.headers.get('cache-control'), 'no-store');
    });

    it('when a body exceeds the limit, then 413; when it is not JSON, then 415; and nothing is stored', async () => {
      await warmUp(app, a);
      const goal = await createGoal(app, a.writer, {
        title: 'Edge target',
        level: 'personal',
        timeframeId: orgA.timeframeId,
      });
      const keyResult = await createKeyResult(app, a.writer, goal.id, {
        title: 'Edge KR',
        kind: 'increase',
        target: 10,
      });
      const before = await fingerprint(app.db);
      const huge = await app.request('POST', `/api/v1/key-results/${keyResult.id}/check-ins`, {
        token: a.writer,
        rawBody: JSON.stringify({ value: 1, comment: 'x'.repeat(app.config.jsonBodyLimitBytes) }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(huge.status, 413, huge.text);
      assert.equal(huge.body.error.code, 'payload_too_large');
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const answer = await app.request('POST', '/api/v1/goals', {
          token: a.writer,
          rawBody: 'title=x&level=personal',
          headers: { 'content-type': type },
        });
        assert.equal(answer.status, 415, `${type}: ${answer.text}`);
        assert.equal(answer.body.error.code, 'unsupported_media_type');
      }
      const noType = await app.request('PATCH', `/api/v1/goals/${goal.id}`, {
        token: a.writer,
        rawBody: '{"title":"typed nowhere"}',
        headers: { 'if-match': `"${goal.version}"`, 'content-type': '' },
      });
      assert.equal(noType.status, 415, noType.text);
      assert.equal(await fingerprint(app.db), before);
    });
  });
}
