import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '@okr-embed/contract';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

const partner = 'https://intranet.partner.example';
const other = 'https://wiki.other.example';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] HTTP edges: health, CORS, headers, limits`, () => {
    let app: TestApp;
    let org: TestOrg;
    let otherOrg: TestOrg;
    let widgetsDir: string;

    before(async () => {
      widgetsDir = mkdtempSync(path.join(tmpdir(), 'okr-widgets-'));
      writeFileSync(path.join(widgetsDir, 'okr-embed.js'), 'export const bundle = true;\n');
      app = await startTestApp(dialect, {
        config: { WIDGETS_DIR: widgetsDir, RATE_LIMIT_PER_MINUTE: '5' },
      });
      org = await app.createOrg({ origins: [partner] });
      otherOrg = await app.createOrg({ origins: [other] });
    });
    after(async () => {
      await app.close();
      rmSync(widgetsDir, { recursive: true, force: true });
    });

    it('when /healthz and /readyz are asked, then both answer 200', async () => {
      assert.equal((await app.request('GET', '/healthz')).status, 200);
      const ready = await app.request('GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.body.status, 'ready');
      assert.equal(ready.body.redis, 'not configured', 'one process shares nothing');
    });

    it('when a preflight comes from an origin some org allows, then it is answered without a token', async () => {
      const answer = await app.request('OPTIONS', '/api/v1/goals', {
        headers: {
          origin: partner,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, idempotency-key',
        },
      });
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-origin'), partner);
      assert.match(answer.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
      assert.match(answer.headers.get('vary') ?? '', /Origin/);
    });

    it('when a preflight comes from an unknown origin, then it is granted but the request itself is refused', async () => {
      const answer = await app.request('OPTIONS', '/api/v1/goals', {
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-credentials'), null);
      const actual = await app.request('GET', '/api/v1/goals', {
        token: await org.token({ sub: 'evil-page' }),
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(actual.status, 403);
      assert.equal(actual.body.error.code, 'origin_not_allowed');
      assert.equal(actual.body.items, undefined);
    });

    it("when a request comes from an origin of another org, then the token's org refuses it with 403", async () => {
      const token = await org.token({ sub: 'cors-user' });
      const allowed = await app.request('GET', '/api/v1/me', {
        token,
        headers: { origin: partner },
      });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get('access-control-allow-origin'), partner);
      const foreign = await app.request('GET', '/api/v1/me', { token, headers: { origin: other } });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body.error.code, 'origin_not_allowed');
      const ok = await app.request('GET', '/api/v1/me', {
        token: await otherOrg.token({ sub: 'o' }),
        headers: { origin: other },
      });
      assert.equal(ok.status, 200);
    });

    it('when a 401 goes to an allowed origin, then the browser may read it (CORS headers present)', async () => {
      const answer = await app.request('GET', '/api/v1/me', { headers: { origin: partner } });
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.get('access-control-allow-origin'), partner);
    });

    it('when API answers go out, then helmet headers are set and the API is not loadable cross-origin as a resource', async () => {
      const answer = await app.request('GET', '/healthz');
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(answer.headers.get('cross-origin-resource-policy'), 'same-origin');
      assert.ok(answer.headers.get('content-security-policy'));
      assert.equal(answer.headers.get('x-powered-by'), null);
      assert.ok(answer.headers.get('x-request-id'));
    });

    it('when the widget bundle is fetched, then it is cacheable and loadable from any origin', async () => {
      const answer = await app.request('GET', '/widgets/okr-embed.js');
      assert.equal(answer.status, 200);
      assert.match(answer.headers.get('content-type') ?? '', /javascript/);
      assert.equal(answer.headers.get('access-control-allow-origin'), '*');
      assert.equal(answer.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.match(answer.headers.get('cache-control') ?? '', /max-age=300/);
      assert.equal((await app.request('GET', '/widgets/missing.js')).status, 404);
    });

    it('when one user exceeds the rate limit, then 429 with Retry-After, while another user is unaffected', async () => {
      const token = await org.token({ sub: 'greedy' });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await app.request('GET', '/api/v1/timeframes', { token })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      const limited = await app.request('GET', '/api/v1/timeframes', { token });
      assert.equal(limited.body.error.code, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal(
        (
          await app.request('GET', '/api/v1/timeframes', {
            token: await org.token({ sub: 'modest' }),
          })
        ).status,
        200,
      );
    });

    it('when an unknown path is asked, then 404 in the error shape', async () => {
      const answer = await app.request('GET', '/nope');
      assert.equal(answer.status, 404);
      assert.equal(answer.body.error.code, 'not_found');
      assert.ok(answer.body.error.requestId);
    });

    it('when the OpenAPI document is fetched, then it is 3.1 and lists every API route with its schemas', async () => {
      const answer = await app.request('GET', '/api/v1/openapi.json');
      assert.equal(answer.status, 200);
      assert.equal(answer.body.openapi, '3.1.0');
      const operations = Object.entries(
        answer.body.paths as Record<string, Record<string, unknown>>,
      ).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
      for (const expected of [
        'GET /me',
        'GET /timeframes',
        'GET /goals',
        'GET /goals/{id}',
        'POST /goals',
        'PATCH /goals/{id}',
        'DELETE /goals/{id}',
        'POST /goals/{id}/key-results',
        'PATCH /key-results/{id}',
        'DELETE /key-results/{id}',
        'GET /key-results/{id}/check-ins',
        'POST /key-results/{id}/check-ins',
        'GET /alignment',
      ]) {
        assert.ok(operations.includes(expected), `${expected} documented`);
      }
      const checkIn = answer.body.paths['/key-results/{id}/check-ins'].post;
      assert.deepEqual(checkIn.requestBody.content['application/json'].schema.required, ['value']);
      assert.equal(
        checkIn.requestBody.content['application/json'].schema.properties.comment.maxLength,
        LIMITS.checkInComment,
      );
    });

    it('when the database stops answering, then /readyz says 503 and the API 503 too', async () => {
      const broken = await startTestApp(dialect);
      try {
        const brokenOrg = await broken.createOrg();
        const token = await brokenOrg.token();
        await broken.db.close();
        const ready = await broken.request('GET', '/readyz');
        assert.equal(ready.status, 503);
        assert.equal(ready.body.error.code, 'database_unavailable');
        assert.equal((await broken.request('GET', '/healthz')).status, 200);
        const api = await broken.request('GET', '/api/v1/me', { token });
        assert.equal(api.status, 503, api.text);
        assert.equal(api.body.error.code, 'database_unavailable');
      } finally {
        await broken.close().catch(() => undefined);
      }
    });
  });
}
