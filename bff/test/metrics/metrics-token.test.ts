import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '../../src/lib/metrics.js';
import { dialects, startTestApp, type TestApp } from '../support/harness.js';
import { has, parseSamples, valueOf } from './prom-text.js';

const sqlite = dialects()[0]!;
const token = 'metrics-token-for-tests-0123456789';

describe('metrics with METRICS_TOKEN on the API port', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(sqlite, { config: { METRICS_TOKEN: token } });
  });
  after(async () => {
    await app?.close();
  });

  it('when no token or a wrong one is sent, then /metrics is 401 in the error shape', async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${token}x` },
      { authorization: token },
    ];
    for (const headers of variants) {
      const answer = await app.request('GET', '/metrics', { headers });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'unauthorized');
      assert.equal(typeof answer.body.error.requestId, 'string');
      assert.doesNotMatch(answer.text, /http_request_duration_seconds/);
    }
  });

  it('when the right token is sent, then /metrics is the registry in the text format', async () => {
    await app.request('GET', '/healthz');
    const answer = await app.request('GET', '/metrics', {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const samples = parseSamples(answer.text);
    assert.equal(
      valueOf(samples, 'http_request_duration_seconds_count', {
        route: '/healthz',
        status_class: '2xx',
      }),
      1,
    );
    assert.equal(
      valueOf(samples, 'http_request_duration_seconds_count', {
        route: '/metrics',
        status_class: '4xx',
      }),
      3,
    );
  });
});

describe('metrics with neither METRICS_PORT nor METRICS_TOKEN', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(sqlite);
  });
  after(async () => {
    await app?.close();
  });

  it('when /metrics is asked for, then it is a 404', async () => {
    const answer = await app.request('GET', '/metrics', {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error.code, 'not_found');
  });
});

describe('instruments for other parts of the BFF', () => {
  it('when two apps count, then their registries stay apart', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.eventsPublished.inc({ type: 'check-in.created' });
    first.eventStreamsOpen.inc();
    const a = parseSamples(await first.registry.metrics());
    const b = parseSamples(await second.registry.metrics());
    assert.equal(valueOf(a, 'events_published_total', { type: 'check-in.created' }), 1);
    assert.equal(valueOf(a, 'event_streams_open'), 1);
    assert.equal(has(b, 'events_published_total', { type: 'check-in.created' }), false);
    assert.equal(valueOf(b, 'event_streams_open'), 0);
  });

  it('when Redis has reported, then redis_up exists and follows it', async () => {
    const metrics = createMetrics();
    assert.equal(has(parseSamples(await metrics.registry.metrics()), 'redis_up'), false);
    metrics.setRedisUp(true);
    assert.equal(valueOf(parseSamples(await metrics.registry.metrics()), 'redis_up'), 1);
    metrics.setRedisUp(false);
    assert.equal(valueOf(parseSamples(await metrics.registry.metrics()), 'redis_up'), 0);
    assert.ok(has(parseSamples(await metrics.registry.metrics()), 'redis_up'));
  });
});
