import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import type { Database } from '../../src/lib/db.js';

/** Any JSON at all, including the awkward parts: deep nesting, huge and tiny numbers, odd keys. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({
    value: fc.oneof(fc.double(), fc.string(), fc.constant(null), fc.bigInt().map(String)),
  }),
  fc.record(
    {
      title: fc.string({ maxLength: 300 }),
      level: fc.string(),
      timeframeId: fc.string(),
      parentId: fc.string(),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    { title: fc.string(), kind: fc.string(), target: fc.double(), weight: fc.double() },
    { requiredKeys: [] },
  ),
);
const oddText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant('%00'),
  fc.constant('..%2F..%2Fetc'),
  fc.constant("' OR 1=1 --"),
);

for (const dialect of dialects()) {
  describe(`[${dialect.name}] bad input never reaches a 500`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    let goalId: string;
    let krId: string;
    let selects = 0;

    before(async () => {
      app = await startTestApp(dialect, {
        wrapDb: (db: Database) =>
          ({
            ...db,
            select: (...args: Parameters<Database['select']>) => {
              selects += 1;
              return db.select(...args);
            },
          }) as Database,
      });
      org = await app.createOrg();
      as = await actorsOf(org);
      goalId = (
        await createGoal(app, as.writer, {
          title: 'Fuzzed',
          level: 'personal',
          timeframeId: org.timeframeId,
        })
      ).id;
      krId = (
        await createKeyResult(app, as.writer, goalId, {
          title: 'Fuzzed KR',
          kind: 'increase',
          target: 10,
        })
      ).id;
    });
    after(() => app.close());

    it('when random JSON is posted or patched to every write route, then the answer is a 4xx in the error shape and nothing changes', async () => {
      const before = (await app.request('GET', `/api/v1/goals/${goalId}`, { token: as.reader }))
        .body;
      await fc.assert(
        fc.asyncProperty(anyJson, fc.constantFrom(0, 1, 2, 3, 4), async (body, route) => {
          const [method, path] = [
            ['POST', '/api/v1/goals'],
            ['PATCH', `/api/v1/goals/${goalId}`],
            ['POST', `/api/v1/goals/${goalId}/key-results`],
            ['PATCH', `/api/v1/key-results/${krId}`],
            ['POST', `/api/v1/key-results/${krId}/check-ins`],
          ][route] as [string, string];
          // A body that happens to be valid is allowed to succeed; on the goal and key result it
          // would change the version, so those use a version that never matches.
          const answer = await app.request(method, path, {
            token: as.writer,
            body,
            headers: { 'if-match': '"999"' },
          });
          if (answer.status < 400) return method === 'POST';
          assert.ok(
            answer.status < 500,
            `${method} ${path} ${JSON.stringify(body)} → ${answer.status}`,
          );
          assert.equal(typeof answer.body.error.code, 'string');
          return true;
        }),
        { numRuns: 60 },
      );
      const after = (await app.request('GET', `/api/v1/goals/${goalId}`, { token: as.reader }))
        .body;
      assert.equal(after.title, before.title);
      assert.equal(after.version, before.version);
    });

    it('when ids, query strings and headers are garbage, then the answer is a 4xx', async () => {
      await fc.assert(
        fc.asyncProperty(oddText, oddText, async (id, query) => {
          const paths = [
            `/api/v1/goals/${encodeURIComponent(id)}`,
            `/api/v1/goals?q=${encodeURIComponent(query)}&owner=${encodeURIComponent(id)}`,
            `/api/v1/alignment?depth=${encodeURIComponent(query)}&root=${encodeURIComponent(id)}`,
            `/api/v1/key-results/${encodeURIComponent(id)}/check-ins?cursor=${encodeURIComponent(query)}`,
          ];
          for (const path of paths) {
            const answer = await app.request('GET', path, {
              token: as.reader,
              headers: { 'if-none-match': query.replace(/[^\x20-\x7e]/g, '') },
            });
            assert.ok(answer.status < 500, `${path} → ${answer.status} ${answer.text}`);
          }
          const token = await app.request('GET', '/api/v1/me', {
            headers: {
              authorization: `Bearer ${id.replace(/[^\x21-\x7e]/g, 'x')}.${query.replace(/[^\x21-\x7e]/g, 'y')}`,
            },
          });
          assert.equal(token.status, 401);
          return true;
        }),
        { numRuns: 40 },
      );
    });

    it('when a token names an unknown kid, then 401 after the one key lookup and no other query', async () => {
      const token = await org.token({}, { kid: 'ghost-key' });
      selects = 0;
      const answer = await app.request('GET', `/api/v1/goals/${goalId}`, { token });
      assert.equal(answer.status, 401);
      assert.equal(selects, 1);
    });
  });
}
