import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/lib/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import {
  dialects,
  startTestApp,
  testConfig,
  type TestApp,
  type TestOrg,
} from '../support/harness.js';
import { has, parseSamples, valueOf, type Sample } from './prom-text.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] metrics on METRICS_PORT`, () => {
    // The harness app only makes the database, the org and its key; the server under test is a
    // real `startServer` on the same database, as `okr serve` runs it.
    let seed: TestApp;
    let server: RunningServer;
    let org: TestOrg;
    let api: string;
    let scrapeUrl: string;
    const userIds: string[] = [];
    const subs = ['metrics-reader', 'metrics-writer', 'metrics-flooder'];
    let goalId: string;

    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const response = await fetch(`${api}${path}`, {
        method,
        headers: {
          ...(token && { authorization: `Bearer ${token}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    const scrape = async (): Promise<{ type: string | null; samples: Sample[] }> => {
      const response = await fetch(scrapeUrl);
      assert.equal(response.status, 200);
      return {
        type: response.headers.get('content-type'),
        samples: parseSamples(await response.text()),
      };
    };

    before(async () => {
      seed = await startTestApp(dialect);
      org = await seed.createOrg();
      server = await startServer({
        config: testConfig(seed.config.databaseUrl, {
          PORT: '0',
          HOST: '127.0.0.1',
          METRICS_PORT: '0',
          RATE_LIMIT_PER_MINUTE: '6',
          AUTH_FAILURES_PER_MINUTE: '2',
        }),
        logger: createLogger('silent'),
      });
      api = `http://127.0.0.1:${server.port}`;
      assert.ok(server.metricsPort, 'the metrics listener has a port');
      scrapeUrl = `http://127.0.0.1:${server.metricsPort}/metrics`;
    });
    after(async () => {
      await server?.stop();
      await seed?.close();
    });

    it('when the API has been used, then the scrape shows requests, SQL, pool and caches', async () => {
      const all = 'okr:read okr:checkin okr:write';
      const writer = await org.token({ sub: subs[1], name: 'Writer', scope: all });
      const reader = await org.token({ sub: subs[0], name: 'Reader', scope: all });
      for (const token of [writer, reader]) {
        const me = await call('GET', '/api/v1/me', token);
        assert.equal(me.status, 200);
        userIds.push(me.body.user.id);
      }
      const goal = await call('POST', '/api/v1/goals', writer, {
        title: 'Measured goal',
        level: 'company',
        timeframeId: org.timeframeId,
      });
      assert.equal(goal.status, 201, JSON.stringify(goal.body));
      goalId = goal.body.id;
      const kr = await call('POST', `/api/v1/goals/${goalId}/key-results`, writer, {
        title: 'Scrapes',
        kind: 'increase',
        start: 0,
        target: 10,
      });
      assert.equal(kr.status, 201);
      const checkIn = await call('POST', `/api/v1/key-results/${kr.body.id}/check-ins`, writer, {
        value: 4,
      });
      assert.equal(checkIn.status, 201, JSON.stringify(checkIn.body));
      // The reader asks for the card twice: the first fills the view cache, the second hits it.
      assert.equal((await call('GET', `/api/v1/goals/${goalId}`, reader)).status, 200);
      assert.equal((await call('GET', `/api/v1/goals/${goalId}`, reader)).status, 200);
      assert.equal((await call('GET', `/api/v1/goals/${randomUUID()}`, reader)).status, 404);
      assert.equal((await call('GET', '/no-such-page')).status, 404);

      const { type, samples } = await scrape();
      assert.match(type ?? '', /^text\/plain; version=0\.0\.4/);
      const count = 'http_request_duration_seconds_count';
      const card = { method: 'GET', route: '/api/v1/goals/:id' };
      assert.equal(valueOf(samples, count, { ...card, status_class: '2xx' }), 2);
      assert.equal(valueOf(samples, count, { ...card, status_class: '4xx' }), 1);
      assert.equal(
        valueOf(samples, count, { method: 'POST', route: '/api/v1/key-results/:id/check-ins' }),
        1,
      );
      assert.equal(
        valueOf(samples, count, { method: 'GET', route: 'unmatched', status_class: '4xx' }),
        1,
      );
      assert.ok(has(samples, 'http_request_duration_seconds_bucket', { ...card, le: '0.005' }));

      const db = seed.dialect === 'sqlite' ? 'sqlite' : 'mysql';
      const statements = 'db_statement_duration_seconds_count';
      for (const statement of ['select', 'insert', 'update'])
        assert.ok(valueOf(samples, statements, { dialect: db, statement }) > 0, statement);
      assert.ok(valueOf(samples, 'db_statement_duration_seconds_sum', { dialect: db }) > 0);
      // Nothing is in flight between requests: the gauges are there and read zero.
      assert.ok(has(samples, 'db_pool_in_use', { dialect: db }));
      assert.equal(valueOf(samples, 'db_pool_in_use', { dialect: db }), 0);
      assert.equal(valueOf(samples, 'db_pool_waiting', { dialect: db }), 0);

      assert.ok(valueOf(samples, 'cache_hits_total', { cache: 'views.card' }) >= 1);
      assert.ok(valueOf(samples, 'cache_misses_total', { cache: 'views.card' }) >= 1);
      assert.ok(valueOf(samples, 'cache_hits_total', { cache: 'verifiedTokens' }) >= 1);
      assert.ok(valueOf(samples, 'cache_misses_total', { cache: 'orgLookups.activeKeys' }) >= 1);
      assert.ok(has(samples, 'cache_hits_total', { cache: 'views.tree' }));
      assert.ok(has(samples, 'process_resident_memory_bytes'));
      assert.equal(has(samples, 'redis_up'), false, 'no Redis configured, no redis_up');
    });

    it('when limits refuse requests, then each limit counts its refusals', async () => {
      const flooder = await org.token({ sub: subs[2], name: 'Flooder' });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await call('GET', '/api/v1/me', flooder)).status);
      assert.ok(statuses.includes(429), statuses.join());
      const bad = await org.token({}, { kid: 'no-such-kid' });
      const refused: number[] = [];
      for (let i = 0; i < 4; i++) refused.push((await call('GET', '/api/v1/me', bad)).status);
      assert.deepEqual(refused.slice(0, 2), [401, 401]);
      assert.equal(refused.at(-1), 429);
      const { samples } = await scrape();
      assert.equal(
        valueOf(samples, 'rate_limit_refusals_total', { limit: 'per_user' }),
        statuses.filter((status) => status === 429).length,
      );
      assert.equal(
        valueOf(samples, 'rate_limit_refusals_total', { limit: 'auth_failures' }),
        refused.filter((status) => status === 429).length,
      );
    });

    it('when only METRICS_PORT is set, then /metrics on the API port is a 404', async () => {
      const answer = await call('GET', '/metrics');
      assert.equal(answer.status, 404);
      assert.equal(answer.body.error.code, 'not_found');
      const other = await fetch(scrapeUrl.replace('/metrics', '/other'));
      assert.equal(other.status, 404);
      assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'not_found');
    });

    it('when scraped, then no label value names an org, a slug, a goal or a user', async () => {
      const { samples } = await scrape();
      const secrets = [org.id, org.slug, goalId, ...userIds, ...subs];
      assert.ok(secrets.every((value) => typeof value === 'string' && value.length > 0));
      for (const sample of samples) {
        for (const value of Object.values(sample.labels)) {
          for (const secret of secrets)
            assert.ok(!value.includes(secret), `${sample.name} has ${value}`);
        }
      }
      const routes = new Set(samples.map((sample) => sample.labels.route).filter(Boolean));
      for (const route of routes) assert.match(route as string, /^(unmatched|\/[\w/:.-]*)$/);
    });
  });
}
