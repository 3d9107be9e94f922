import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/lib/config.js';
import { createMetrics } from '../../src/lib/metrics.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { parseSamples, valueOf } from '../metrics/prom-text.js';
import { queryLog } from '../support/security.js';

const budget = 3;

for (const dialect of dialects()) {
  describe(`[${dialect.name}] failed authentications are limited per client address`, () => {
    let plain: TestApp;
    let proxied: TestApp;
    let org: TestOrg;
    let proxiedOrg: TestOrg;

    before(async () => {
      const config = { AUTH_FAILURES_PER_MINUTE: String(budget) };
      plain = await startTestApp(dialect, { config });
      proxied = await startTestApp(dialect, { config: { ...config, TRUST_PROXY: 'loopback' } });
      org = await plain.createOrg();
      proxiedOrg = await proxied.createOrg();
    });
    after(async () => {
      await plain.close();
      await proxied.close();
    });

    const unknownKid = (of: TestOrg) =>
      of.token({}, { kid: `flood-${randomBytes(4).toString('hex')}` });
    const me = (app: TestApp, token: string, headers: Record<string, string> = {}) =>
      app.request('GET', '/api/v1/me', { token, headers });

    it('when an address has spent its failures, then 429 with Retry-After, and its valid users still pass', async () => {
      const known = await org.token({ sub: 'valid-before' });
      assert.equal((await me(plain, known)).status, 200);

      for (let i = 0; i < budget; i += 1)
        assert.equal((await me(plain, await unknownKid(org))).status, 401);
      const limited = await me(plain, await unknownKid(org));
      assert.equal(limited.status, 429, limited.text);
      assert.equal(limited.body.error.code, 'rate_limited');
      assert.ok(limited.body.error.requestId);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal(
        (await plain.request('GET', '/api/v1/me')).status,
        429,
        'no token is a failure too',
      );

      assert.equal((await me(plain, known)).status, 200, 'a token already verified');
      const fresh = await org.token({ sub: 'valid-after' });
      assert.equal((await me(plain, fresh)).status, 200, 'a new token of a key in use');
      for (let i = 0; i < 5; i += 1) assert.equal((await me(plain, fresh)).status, 200);

      const forged = await org.token({ sub: 'forged', iss: 'https://someone.else.example' });
      assert.equal((await me(plain, forged)).status, 429, 'a refusal while spent is a 429');
    });

    it('when TRUST_PROXY is unset, then X-Forwarded-For does not give a spent address a new budget', async () => {
      const headers = { 'x-forwarded-for': '203.0.113.50' };
      assert.equal((await me(plain, await unknownKid(org), headers)).status, 429);
    });

    it('when TRUST_PROXY names the proxy, then each forwarded client has its own budget', async () => {
      const spender = { 'x-forwarded-for': '203.0.113.7' };
      const neighbour = { 'x-forwarded-for': '203.0.113.8' };
      for (let i = 0; i < budget; i += 1)
        assert.equal((await me(proxied, await unknownKid(proxiedOrg), spender)).status, 401);
      assert.equal((await me(proxied, await unknownKid(proxiedOrg), spender)).status, 429);
      assert.equal((await me(proxied, await unknownKid(proxiedOrg), neighbour)).status, 401);
    });
  });

  describe(`[${dialect.name}] a flood from a spent address costs no work`, () => {
    const origin = 'https://intranet.flood.example';
    const metrics = createMetrics();
    const log = queryLog();
    let app: TestApp;
    let org: TestOrg;

    before(async () => {
      app = await startTestApp(dialect, {
        config: { AUTH_FAILURES_PER_MINUTE: String(budget) },
        app: { metrics },
        wrapDb: log.wrap,
      });
      org = await app.createOrg({ origins: [origin] });
    });
    after(() => app.close());

    it('when a spent address sends kids never seen, then each gets a readable 429 without a query', async () => {
      const valid = await org.token({ sub: 'flood-neighbour' });
      const get = (token: string) =>
        app.request('GET', '/api/v1/me', { token, headers: { origin } });
      assert.equal((await get(valid)).status, 200);
      for (let i = 0; i < budget; i += 1) {
        assert.equal((await get(await org.token({}, { kid: `spent-${i}` }))).status, 401);
      }

      log.statements.length = 0;
      for (let i = 0; i < 5; i += 1) {
        const limited = await get(await org.token({}, { kid: `never-seen-${i}` }));
        assert.equal(limited.status, 429, limited.text);
        assert.equal(limited.headers.get('access-control-allow-origin'), origin);
        assert.equal(limited.body.error.requestId, limited.headers.get('x-request-id'));
        assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      }
      assert.deepEqual(log.statements, [], 'no lookup of a kid while the address is spent');
      assert.equal((await get(valid)).status, 200, 'its verified user still passes');

      const scrape = parseSamples(await metrics.registry.metrics());
      assert.equal(valueOf(scrape, 'rate_limit_refusals_total', { limit: 'auth_failures' }), 5);
    });
  });
}

describe('TRUST_PROXY configuration', () => {
  const base = { DATABASE_URL: 'sqlite:data/x.sqlite' };
  it('when it is unset, a count, true, or a list of proxies, then it reads as Express takes it', () => {
    assert.equal(loadConfig(base).trustProxy, false);
    assert.equal(loadConfig({ ...base, TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ ...base, TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ ...base, TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ ...base, TRUST_PROXY: 'loopback, 10.0.0.0/8, ::1' }).trustProxy, [
      'loopback',
      '10.0.0.0/8',
      '::1',
    ]);
  });

  it('when it names something that is no address, then the start fails naming the variable', () => {
    for (const value of ['proxy.example', '10.0.0.0/33', 'yes'])
      assert.throws(
        () => loadConfig({ ...base, TRUST_PROXY: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, /TRUST_PROXY/);
          return true;
        },
      );
  });
});
