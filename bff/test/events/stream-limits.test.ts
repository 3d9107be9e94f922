/**
 * What bounds the event streams of an instance: open streams per user and per instance (429
 * beyond, with the usual error shape and Retry-After), slots freed when clients leave, and a
 * shutdown that ends open streams instead of waiting its grace period for them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from '../../src/server.js';
import { createLogger } from '../../src/lib/logger.js';
import { openEventStream, type OpenStream } from '../support/event-stream.js';
import {
  dialects,
  startTestApp,
  testConfig,
  type TestApp,
  type TestOrg,
} from '../support/harness.js';

async function eventually(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const dialect of dialects()) {
  describe(`[${dialect.name}] event stream limits`, () => {
    let app: TestApp;
    let org: TestOrg;

    before(async () => {
      app = await startTestApp(dialect, {
        config: { EVENT_STREAMS_PER_USER: '2', EVENT_STREAMS_PER_INSTANCE: '3' },
      });
      org = await app.createOrg();
    });
    after(() => app.close());

    const tokenOf = (sub: string) => org.token({ sub, scope: 'okr:read' });
    const open = async (sub: string) => openEventStream(app.baseUrl, { token: await tokenOf(sub) });

    function assertRefused(stream: OpenStream, message: RegExp) {
      assert.equal(stream.status, 429);
      assert.equal(stream.error?.code, 'too_many_streams');
      assert.match(stream.error?.message ?? '', message);
      assert.equal(stream.error?.requestId, stream.headers.get('x-request-id'));
      assert.match(stream.headers.get('retry-after') ?? '', /^\d+$/);
    }

    it('when a user opens more streams than allowed, or the instance holds its maximum, then 429 with Retry-After; a closed stream frees its slot', async () => {
      const first = await open('alice');
      const second = await open('alice');
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      assertRefused(await open('alice'), /per user/);

      const bob = await open('bob');
      assert.equal(bob.status, 200);
      assertRefused(await open('carol'), /instance/);

      // A client that goes away gives its slot back: no listener or count is left behind.
      first.close();
      await eventually(async () => {
        const again = await open('alice');
        if (again.status === 200) {
          again.close();
          return true;
        }
        return false;
      });
      for (const stream of [second, bob]) stream.close();
      await eventually(async () => {
        const streams = await Promise.all(['dave', 'erin', 'frank'].map(open));
        streams.forEach((stream) => stream.close());
        return streams.every((stream) => stream.status === 200);
      });
    });
  });

  describe(`[${dialect.name}] event streams at shutdown`, () => {
    let app: TestApp;

    before(async () => {
      app = await startTestApp(dialect);
    });
    after(() => app.close());

    it('when the server stops with streams open, then they end at once and it closes well inside its grace period', async () => {
      const org = await app.createOrg();
      const server = await startServer({
        config: testConfig(app.config.databaseUrl, {
          PORT: '0',
          HOST: '127.0.0.1',
          SHUTDOWN_GRACE_MS: '60000',
        }),
        logger: createLogger('silent'),
      });
      const baseUrl = `http://127.0.0.1:${server.port}`;
      const token = await org.token({ sub: 'reader', scope: 'okr:read' });
      const streams = await Promise.all([1, 2, 3].map(() => openEventStream(baseUrl, { token })));
      for (const stream of streams) assert.equal(stream.status, 200);
      const started = Date.now();
      await server.stop();
      await Promise.all(streams.map((stream) => stream.ended));
      assert.ok(Date.now() - started < 5_000, `stop took ${Date.now() - started} ms`);
    });
  });
}
