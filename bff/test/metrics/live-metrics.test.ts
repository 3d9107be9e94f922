/**
 * The live-update and Redis instruments, wired: open streams, events published and delivered,
 * and whether Redis answers. Read from the app's own registry, as a scrape would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '../../src/lib/metrics.js';
import { actorsOf, type Actors } from '../support/fixtures.js';
import { openEventStream } from '../support/event-stream.js';
import { goalChain } from '../support/goal-chain.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { has, parseSamples, valueOf } from './prom-text.js';

const sqlite = dialects()[0]!;

describe('metrics of live updates', () => {
  const metrics = createMetrics();
  let app: TestApp;
  let org: TestOrg;
  let as: Actors;
  before(async () => {
    app = await startTestApp(sqlite, { app: { metrics } });
    org = await app.createOrg();
    as = await actorsOf(org);
  });
  after(() => app?.close());

  const scrape = async () => parseSamples(await metrics.registry.metrics());
  async function until(done: () => Promise<boolean>) {
    for (let tries = 0; !(await done()); tries++) {
      if (tries > 100) throw new Error('the metric never moved');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('when a stream is open and a check-in commits, then open, published and delivered move; closing lowers open', async () => {
    const { kr } = await goalChain(app, org, as.writer);
    const before = await scrape();
    const published = valueOf(before, 'events_published_total', { type: 'check-in.created' });
    const stream = await openEventStream(app.baseUrl, { token: as.reader });
    assert.equal(stream.status, 200);
    assert.equal(valueOf(await scrape(), 'event_streams_open'), 1);

    const answer = await app.request('POST', `/api/v1/key-results/${kr.id}/check-ins`, {
      token: as.writer,
      body: { value: 5 },
    });
    assert.equal(answer.status, 201, answer.text);
    assert.equal((await stream.next()).event, 'check-in.created');
    const after = await scrape();
    assert.equal(
      valueOf(after, 'events_published_total', { type: 'check-in.created' }),
      published + 1,
    );
    assert.equal(valueOf(after, 'events_delivered_total', { type: 'check-in.created' }), 1);

    stream.close();
    await until(async () => valueOf(await scrape(), 'event_streams_open') === 0);
  });

  it('when no REDIS_URL is set, then redis_up is absent rather than 0', async () => {
    assert.equal(has(await scrape(), 'redis_up'), false);
  });
});

describe('metrics of shared state', () => {
  const metrics = createMetrics();
  let app: TestApp;
  before(async () => {
    app = await startTestApp(sqlite, {
      app: { metrics },
      config: {
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `okr-test-${process.pid}-metrics:`,
      },
    });
  });
  after(() => app?.close());

  it('when the app reaches Redis, then redis_up is 1', async () => {
    for (let tries = 0; !has(parseSamples(await metrics.registry.metrics()), 'redis_up'); tries++) {
      if (tries > 100) throw new Error('redis_up never appeared');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (let tries = 0; ; tries++) {
      if (valueOf(parseSamples(await metrics.registry.metrics()), 'redis_up') === 1) break;
      if (tries > 100) throw new Error('redis_up never became 1');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
