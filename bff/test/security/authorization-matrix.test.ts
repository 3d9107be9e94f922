/**
 * Every API route × {own tenant, foreign tenant, missing id, missing scope, not the owner}.
 * The routes come from the app's own route table (the OpenAPI document ApiRouter generates from
 * the list it mounts), so a route added without a row here fails the coverage test.
 */
import { SCOPES } from '@okr-embed/contract';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { actorsOf, createGoal, createKeyResult, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { fingerprint, routeTable, warmUp, type RouteOperation } from '../support/security.js';

type Variant = 'own' | 'foreign' | 'missing' | 'noScope' | 'notOwner';
const variants: Variant[] = ['own', 'foreign', 'missing', 'noScope', 'notOwner'];

/** The ids a request is built from: a fresh goal and key result of org A's writer per cell. */
interface Ids {
  goalId: string;
  keyResultId: string;
  timeframeId: string;
  ownerId: string;
  goalVersion: number;
  keyResultVersion: number;
}

interface RouteRow {
  /** Org A's actor that may do this: `writer` owns the fixtures, `admin` is needed for admin routes. */
  actor: 'writer' | 'admin';
  request(ids: Ids): { path: string; body?: unknown; headers?: Record<string, string> };
  /** Expected status per variant; `null` where a variant has no id to get wrong. */
  expect: Record<Variant, number | null>;
}

const writeRow = (ok: number) => ({
  own: ok,
  foreign: 404,
  missing: 404,
  noScope: 403,
  notOwner: 403,
});
const readRow = { own: 200, foreign: 404, missing: 404, noScope: 403, notOwner: 200 };

const matrix: Record<string, RouteRow> = {
  'GET /me': {
    actor: 'writer',
    request: () => ({ path: '/me' }),
    expect: { own: 200, foreign: 200, missing: null, noScope: 403, notOwner: 200 },
  },
  'GET /timeframes': {
    actor: 'writer',
    request: () => ({ path: '/timeframes' }),
    expect: { own: 200, foreign: 200, missing: null, noScope: 403, notOwner: 200 },
  },
  'POST /timeframes': {
    actor: 'admin',
    request: () => ({
      path: '/timeframes',
      body: { name: 'Matrix quarter', startDate: '2031-01-01', endDate: '2031-03-31' },
    }),
    // A foreign admin creates a timeframe in its own org: there is no id of ours to misuse.
    expect: { own: 201, foreign: 201, missing: null, noScope: 403, notOwner: 403 },
  },
  'GET /goals': {
    actor: 'writer',
    request: (ids) => ({ path: `/goals?timeframe=${ids.timeframeId}&owner=${ids.ownerId}` }),
    // A filter naming an unknown id narrows the list to nothing; foreign ids alike.
    expect: { own: 200, foreign: 200, missing: 200, noScope: 403, notOwner: 200 },
  },
  'GET /goals/{id}': {
    actor: 'writer',
    request: (ids) => ({ path: `/goals/${ids.goalId}` }),
    expect: readRow,
  },
  'POST /goals': {
    actor: 'writer',
    request: (ids) => ({
      path: '/goals',
      body: {
        title: 'Matrix goal',
        level: 'personal',
        timeframeId: ids.timeframeId,
        ownerId: ids.ownerId,
      },
    }),
    expect: writeRow(201),
  },
  'PATCH /goals/{id}': {
    actor: 'writer',
    request: (ids) => ({
      path: `/goals/${ids.goalId}`,
      body: { title: 'Renamed by the matrix' },
      headers: { 'if-match': `"${ids.goalVersion}"` },
    }),
    expect: writeRow(200),
  },
  'DELETE /goals/{id}': {
    actor: 'writer',
    request: (ids) => ({
      path: `/goals/${ids.goalId}`,
      headers: { 'if-match': `"${ids.goalVersion}"` },
    }),
    expect: writeRow(204),
  },
  'POST /goals/{id}/key-results': {
    actor: 'writer',
    request: (ids) => ({
      path: `/goals/${ids.goalId}/key-results`,
      body: { title: 'Matrix KR', kind: 'increase', target: 5 },
    }),
    expect: writeRow(201),
  },
  'PATCH /key-results/{id}': {
    actor: 'writer',
    request: (ids) => ({
      path: `/key-results/${ids.keyResultId}`,
      body: { title: 'Renamed KR' },
      headers: { 'if-match': `"${ids.keyResultVersion}"` },
    }),
    expect: writeRow(200),
  },
  'DELETE /key-results/{id}': {
    actor: 'writer',
    request: (ids) => ({
      path: `/key-results/${ids.keyResultId}`,
      headers: { 'if-match': `"${ids.keyResultVersion}"` },
    }),
    expect: writeRow(204),
  },
  'GET /key-results/{id}/check-ins': {
    actor: 'writer',
    request: (ids) => ({ path: `/key-results/${ids.keyResultId}/check-ins` }),
    expect: readRow,
  },
  'POST /key-results/{id}/check-ins': {
    actor: 'writer',
    request: (ids) => ({ path: `/key-results/${ids.keyResultId}/check-ins`, body: { value: 3 } }),
    expect: writeRow(201),
  },
  'PUT /goals/{id}/key-results/order': {
    actor: 'writer',
    request: (ids) => ({
      path: `/goals/${ids.goalId}/key-results/order`,
      body: { keyResultIds: [ids.keyResultId] },
      headers: { 'if-match': `"${ids.goalVersion}"` },
    }),
    expect: writeRow(200),
  },
  'POST /goals/{id}/copy': {
    actor: 'writer',
    request: (ids) => ({
      path: `/goals/${ids.goalId}/copy`,
      body: { timeframeId: ids.timeframeId },
    }),
    expect: writeRow(201),
  },
  'GET /goals/{id}/history': {
    actor: 'writer',
    request: (ids) => ({ path: `/goals/${ids.goalId}/history` }),
    expect: readRow,
  },
  'GET /key-results/{id}/history': {
    actor: 'writer',
    request: (ids) => ({ path: `/key-results/${ids.keyResultId}/history` }),
    expect: readRow,
  },
  'GET /users': {
    actor: 'writer',
    request: () => ({ path: '/users?q=writer' }),
    // Each tenant searches its own people: there is no id of ours to misuse.
    expect: { own: 200, foreign: 200, missing: null, noScope: 403, notOwner: 200 },
  },
  'GET /teams': {
    actor: 'writer',
    request: () => ({ path: '/teams' }),
    expect: { own: 200, foreign: 200, missing: null, noScope: 403, notOwner: 200 },
  },
  'PUT /users/{externalId}': {
    actor: 'admin',
    request: () => ({ path: '/users/matrix-person', body: { name: 'Matrix Person' } }),
    // A foreign admin provisions into its own org; the first call creates, later ones update.
    expect: { own: 201, foreign: 201, missing: null, noScope: 403, notOwner: 403 },
  },
  'PUT /teams/{key}': {
    actor: 'admin',
    request: () => ({ path: '/teams/matrix-team', body: { name: 'Matrix team' } }),
    expect: { own: 201, foreign: 201, missing: null, noScope: 403, notOwner: 403 },
  },
  'GET /events': {
    actor: 'writer',
    request: () => ({ path: '/events' }),
    // Answered 200 it is a stream that never ends: the stream's own tests
    // (test/events/events.test.ts) check that and that it carries only the token's org.
    expect: { own: null, foreign: null, missing: null, noScope: 403, notOwner: null },
  },
  'GET /alignment': {
    actor: 'writer',
    request: (ids) => ({ path: `/alignment?timeframe=${ids.timeframeId}&root=${ids.goalId}` }),
    expect: readRow,
  },
};

const keyOf = (op: RouteOperation) => `${op.method.toUpperCase()} ${op.path}`;

for (const dialect of dialects()) {
  describe(`[${dialect.name}] security: authorization matrix`, () => {
    let app: TestApp;
    let orgA: TestOrg;
    let orgB: TestOrg;
    let a: Actors;
    let b: Actors;
    let routes: RouteOperation[];
    let writerId: string;

    before(async () => {
      app = await startTestApp(dialect);
      orgA = await app.createOrg();
      orgB = await app.createOrg();
      a = await actorsOf(orgA);
      b = await actorsOf(orgB);
      await warmUp(app, a, b);
      routes = await routeTable(app);
      writerId = (await app.request('GET', '/api/v1/me', { token: a.writer })).body.user.id;
    });
    after(() => app.close());

    async function freshIds(): Promise<Ids> {
      const goal = await createGoal(app, a.writer, {
        title: 'Matrix fixture',
        level: 'personal',
        timeframeId: orgA.timeframeId,
      });
      const keyResult = await createKeyResult(app, a.writer, goal.id, {
        title: 'Matrix fixture KR',
        kind: 'increase',
        target: 10,
      });
      return {
        goalId: goal.id,
        keyResultId: keyResult.id,
        timeframeId: orgA.timeframeId,
        ownerId: writerId,
        goalVersion: goal.version,
        keyResultVersion: keyResult.version,
      };
    }

    /** The same ids with every resource id replaced by one that exists nowhere (the caller stays). */
    const missingIds = (ids: Ids): Ids => ({
      ...ids,
      goalId: randomUUID(),
      keyResultId: randomUUID(),
      timeframeId: randomUUID(),
    });

    async function tokenFor(variant: Variant, row: RouteRow, op: RouteOperation) {
      switch (variant) {
        case 'own':
        case 'missing':
          return a[row.actor];
        case 'foreign':
          return b.admin;
        case 'notOwner':
          return row.actor === 'admin' ? a.writer : a.stranger;
        case 'noScope': {
          // The rightful actor, holding every scope but the one the route needs.
          const scope = SCOPES.filter((s) => s !== op.scope && s !== 'okr:admin').join(' ');
          return orgA.token({
            sub: row.actor,
            name: row.actor === 'writer' ? 'Writer' : 'Admin',
            ...(row.actor === 'writer' ? { teams: ['eng'] } : {}),
            scope,
          });
        }
      }
    }

    it('when the route table is read, then every route has a matrix row and every row a route', async () => {
      const served = routes.map(keyOf).sort();
      assert.ok(served.length >= 10, `only ${served.length} routes found`);
      assert.deepEqual(served, Object.keys(matrix).sort());
      for (const op of routes) assert.ok(op.scope, `${keyOf(op)} declares no scope`);
    });

    it('when each route is called as owner, foreign tenant, with a missing id, without the scope and as a non-owner, then every answer is the expected status and refused calls change nothing', async (t) => {
      const mismatches: string[] = [];
      let cells = 0;
      for (const op of routes) {
        const row = matrix[keyOf(op)];
        if (!row) continue; // the coverage test above fails for this route
        for (const variant of variants) {
          const expected = row.expect[variant];
          if (expected === null) continue;
          const ids = await freshIds();
          const built = row.request(variant === 'missing' ? missingIds(ids) : ids);
          const token = await tokenFor(variant, row, op);
          const before = await fingerprint(app.db);
          const answer = await app.request(op.method.toUpperCase(), `/api/v1${built.path}`, {
            token,
            body: built.body,
            headers: built.headers,
          });
          cells += 1;
          const label = `${keyOf(op)} as ${variant}`;
          if (answer.status !== expected) {
            mismatches.push(`${label}: expected ${expected}, got ${answer.status} ${answer.text}`);
            continue;
          }
          if (answer.status >= 400) {
            if (typeof answer.body?.error?.code !== 'string')
              mismatches.push(`${label}: error shape ${answer.text}`);
            if ((await fingerprint(app.db)) !== before)
              mismatches.push(`${label}: a refused request changed the database`);
          }
          if (variant === 'foreign' && answer.status < 300) {
            for (const id of [orgA.id, ids.goalId, ids.keyResultId, ids.timeframeId, writerId])
              if (answer.text.includes(id)) mismatches.push(`${label}: leaked org A's id ${id}`);
          }
        }
      }
      t.diagnostic(`${cells} matrix cells over ${routes.length} routes`);
      assert.deepEqual(mismatches, []);
    });
  });
}
