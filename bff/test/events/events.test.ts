/**
 * `GET /api/v1/events` over HTTP with a streaming fetch client, on each database: what every
 * writer publishes, tenancy, resuming with Last-Event-ID, heartbeats, token expiry, and the
 * refusals every API route gives.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { actorsOf, type Actors } from '../support/fixtures.js';
import { openEventStream, type OpenStream, type StreamItem } from '../support/event-stream.js';
import { goalChain } from '../support/goal-chain.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

const ORIGIN = 'https://intranet.example';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] live events stream`, () => {
    let app: TestApp;
    let org: TestOrg;
    let as: Actors;
    const opened: OpenStream[] = [];

    before(async () => {
      app = await startTestApp(dialect, { config: { EVENT_HEARTBEAT_MS: '200' } });
      org = await app.createOrg({ origins: [ORIGIN] });
      as = await actorsOf(org);
    });
    afterEach(() => opened.splice(0).forEach((stream) => stream.close()));
    after(() => app.close());

    async function listen(options: Parameters<typeof openEventStream>[1] = {}) {
      const stream = await openEventStream(app.baseUrl, { token: as.reader, ...options });
      opened.push(stream);
      return stream;
    }
    const changeOf = (item: StreamItem) => JSON.parse(item.data);
    const checkIn = (krId: string, value: number) =>
      app.request('POST', `/api/v1/key-results/${krId}/check-ins`, {
        token: as.writer,
        body: { value },
      });

    it('when a check-in commits, then check-in.created carries the check-in, the key result, the card and every moved ancestor', async () => {
      const { company, team, personal, kr } = await goalChain(app, org, as.writer);
      const stream = await listen({ headers: { origin: ORIGIN } });
      assert.equal(stream.status, 200);
      assert.equal(stream.headers.get('content-type'), 'text/event-stream');
      assert.equal(stream.headers.get('cache-control'), 'no-cache');
      assert.equal(stream.headers.get('x-accel-buffering'), 'no');
      assert.equal(stream.headers.get('access-control-allow-origin'), ORIGIN);
      assert.equal(stream.headers.get('content-encoding'), null);

      const answer = await checkIn(kr.id, 10);
      assert.equal(answer.status, 201, answer.text);
      const event = await stream.next();
      assert.equal(event.event, 'check-in.created');
      assert.match(event.id ?? '', /^\d+-\d+$/);
      const change = changeOf(event);
      assert.equal(change.checkIn.id, answer.body.checkIn.id);
      assert.equal(change.checkIn.value, 10);
      assert.deepEqual(change.keyResults, [answer.body.keyResult]);
      assert.deepEqual(change.goals, [answer.body.goal]);
      assert.equal(change.goals[0].id, personal.id);
      const progress = new Map(
        change.progress.map((patch: { id: string; progress: number }) => [patch.id, patch]),
      );
      for (const goal of [personal, team, company]) {
        const patch = progress.get(goal.id) as {
          progress: number;
          status: string;
          updatedAt: string;
        };
        assert.ok(patch, `no progress patch for ${goal.title}`);
        assert.equal(patch.progress, 0.25);
        const card = await app.request('GET', `/api/v1/goals/${goal.id}`, { token: as.reader });
        assert.equal(patch.status, card.body.status);
        assert.equal(patch.updatedAt, card.body.updatedAt);
      }
      assert.deepEqual(change.progress, answer.body.progress);
    });

    it('when goals and key results are created, edited and deleted, then each write arrives as its event, in order', async () => {
      const { company, team } = await goalChain(app, org, as.writer);
      const stream = await listen();
      const goal = await app.request('POST', '/api/v1/goals', {
        token: as.writer,
        body: {
          title: 'Live goal',
          level: 'personal',
          timeframeId: org.timeframeId,
          parentId: team.id,
        },
      });
      assert.equal(goal.status, 201, goal.text);
      const kr = await app.request('POST', `/api/v1/goals/${goal.body.id}/key-results`, {
        token: as.writer,
        body: { title: 'Live KR', kind: 'increase', start: 0, target: 10, current: 5 },
      });
      assert.equal(kr.status, 201, kr.text);
      const renamedKr = await app.request('PATCH', `/api/v1/key-results/${kr.body.id}`, {
        token: as.writer,
        body: { title: 'Live KR, renamed' },
        headers: { 'if-match': `"${kr.body.version}"` },
      });
      assert.equal(renamedKr.status, 200, renamedKr.text);
      const renamed = await app.request('PATCH', `/api/v1/goals/${goal.body.id}`, {
        token: as.writer,
        body: { title: 'Live goal, renamed' },
        headers: { 'if-match': `"${goal.body.version}"` },
      });
      assert.equal(renamed.status, 200, renamed.text);
      const krGone = await app.request('DELETE', `/api/v1/key-results/${kr.body.id}`, {
        token: as.writer,
        headers: { 'if-match': `"${renamedKr.body.version}"` },
      });
      assert.equal(krGone.status, 204, krGone.text);
      const gone = await app.request('DELETE', `/api/v1/goals/${goal.body.id}`, {
        token: as.writer,
        headers: { 'if-match': `"${renamed.body.version}"` },
      });
      assert.equal(gone.status, 204, gone.text);

      const events = await stream.drain();
      assert.deepEqual(
        events.map((event) => event.event),
        [
          'goal.created',
          'key-result.created',
          'key-result.updated',
          'goal.updated',
          'key-result.deleted',
          'goal.deleted',
        ],
      );
      const ids = events.map((event) => event.id as string);
      assert.deepEqual([...ids].sort(compareIds), ids, 'ids grow');
      const [created, krCreated, krUpdated, updated, krDeleted, deleted] = events.map(changeOf);
      assert.deepEqual(created.goals, [goal.body]);
      assert.deepEqual(krCreated.keyResults, [kr.body]);
      // The new key result at 50 % moves its goal and, through it, the team and company goals.
      assert.deepEqual(
        krCreated.progress.map((patch: { id: string }) => patch.id).sort(),
        [goal.body.id, team.id, company.id].sort(),
      );
      assert.equal(
        krCreated.progress.find((patch: { id: string }) => patch.id === goal.body.id).progress,
        0.5,
      );
      assert.deepEqual(krUpdated.keyResults, [renamedKr.body]);
      assert.deepEqual(krUpdated.progress, [], 'a rename moves no progress');
      assert.deepEqual(updated.goals, [renamed.body]);
      assert.deepEqual(krDeleted.deleted, { goalIds: [], keyResultIds: [kr.body.id] });
      assert.ok(krDeleted.progress.some((patch: { id: string }) => patch.id === goal.body.id));
      assert.deepEqual(deleted.deleted, { goalIds: [goal.body.id], keyResultIds: [] });
      assert.deepEqual(deleted.goals, []);
    });

    it('when another org writes, then this org stream receives nothing and that org stream gets it', async () => {
      const other = await app.createOrg();
      const otherAs = await actorsOf(other);
      const mine = await listen();
      const theirs = await listen({ token: otherAs.reader });
      const { kr } = await goalChain(app, other, otherAs.writer);
      const answer = await app.request('POST', `/api/v1/key-results/${kr.id}/check-ins`, {
        token: otherAs.writer,
        body: { value: 4 },
      });
      assert.equal(answer.status, 201);
      const seen = await theirs.drain();
      assert.equal(seen.at(-1)?.event, 'check-in.created');
      assert.deepEqual(await mine.drain(), []);
    });

    it('when a client reconnects with Last-Event-ID, then it gets exactly the events it missed, then live ones', async () => {
      const { kr } = await goalChain(app, org, as.writer);
      const first = await listen();
      await checkIn(kr.id, 1);
      const seen = await first.next();
      first.close();
      for (const value of [2, 3, 4]) assert.equal((await checkIn(kr.id, value)).status, 201);
      const resumed = await listen({ lastEventId: seen.id });
      const missed = [await resumed.next(), await resumed.next(), await resumed.next()];
      assert.deepEqual(
        missed.map((event) => changeOf(event).checkIn.value),
        [2, 3, 4],
      );
      await checkIn(kr.id, 5);
      const live = await resumed.next();
      assert.equal(changeOf(live).checkIn.value, 5);
      assert.deepEqual(await resumed.drain(), [], 'nothing twice');
    });

    it('when Last-Event-ID is outside the replay window, then the stream starts with reset, then goes on live', async () => {
      const { kr } = await goalChain(app, org, as.writer);
      await checkIn(kr.id, 6);
      const stream = await listen({ lastEventId: '1-0' });
      const reset = await stream.next();
      assert.equal(reset.event, 'reset');
      assert.match(reset.id ?? '', /^\d+-\d+$/, 'the newest id, to resume from after reloading');
      await checkIn(kr.id, 7);
      const live = await stream.next();
      assert.equal(live.event, 'check-in.created');
      assert.equal(changeOf(live).checkIn.value, 7);
    });

    it('when the stream is idle, then a heartbeat comment arrives', async () => {
      const stream = await listen();
      const beat = await stream.next({ comments: true, timeoutMs: 2_000 });
      assert.equal(beat.kind, 'comment');
    });

    it('when the token expires, then token-expired is sent and the stream ends', async () => {
      const shortLived = await org.token({ sub: 'reader', scope: 'okr:read' }, { ttl: 2 });
      const stream = await listen({ token: shortLived });
      assert.equal(stream.status, 200);
      const expired = await stream.next({ timeoutMs: 4_000 });
      assert.equal(expired.event, 'token-expired');
      await stream.ended;
    });

    it('when no token, a foreign origin, no okr:read or a malformed Last-Event-ID is sent, then the usual refusals come back', async () => {
      const anonymous = await listen({ token: '' });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.error?.code, 'missing_token');
      const foreign = await listen({ headers: { origin: 'https://evil.example' } });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.error?.code, 'origin_not_allowed');
      const writerOnly = await org.token({ sub: 'w', scope: 'okr:checkin' });
      const noScope = await listen({ token: writerOnly });
      assert.equal(noScope.status, 403);
      assert.equal(noScope.error?.code, 'insufficient_scope');
      for (const bad of ['abc', '12', '1-2-3', '-1-0']) {
        const malformed = await listen({ lastEventId: bad });
        assert.equal(malformed.status, 400, bad);
        assert.equal(malformed.error?.code, 'validation_failed');
        assert.equal(malformed.error?.requestId, malformed.headers.get('x-request-id'));
      }
    });
  });
}

function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number) as [number, number];
  const [bMs, bSeq] = b.split('-').map(Number) as [number, number];
  return aMs - bMs || aSeq - bSeq;
}
