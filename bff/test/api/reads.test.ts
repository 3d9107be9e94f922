import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { goalSearch } from '../../src/components/goals/goal-search.js';
import { createCaches, type Caches } from '../../src/lib/caches.js';
import { createGoal } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { queryLog } from '../support/security.js';

const origin = 'https://intranet.reads.example';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] reads: lookups and views from the caches`, () => {
    let app: TestApp;
    let org: TestOrg;
    let caches: Caches;
    const log = queryLog();

    before(async () => {
      caches = createCaches();
      app = await startTestApp(dialect, { wrapDb: log.wrap, app: { caches } });
      org = await app.createOrg({ origins: [origin] });
    });
    after(() => app.close());

    /** The statements one request sends, after whatever warmed the caches before it. */
    async function statementsOf(send: () => Promise<unknown>): Promise<string[]> {
      log.statements.length = 0;
      await send();
      return [...log.statements];
    }

    it('when a cached card is asked for with the browser’s Origin, then no SQL runs', async () => {
      const token = await org.token({ sub: 'card-reader' });
      const goal = await createGoal(app, token, {
        title: 'Card with origin',
        level: 'company',
        timeframeId: org.timeframeId,
      });
      const get = () =>
        app.request('GET', `/api/v1/goals/${goal.id}`, { token, headers: { origin } });
      const first = await get();
      assert.equal(first.status, 200, first.text);
      assert.equal(first.headers.get('access-control-allow-origin'), origin);
      assert.deepEqual(await statementsOf(get), []);
    });

    it('when an origin is refused, then only the first refusal asks the database', async () => {
      const refused = 'https://elsewhere.reads.example';
      const preflight = () =>
        app.request('OPTIONS', '/api/v1/me', {
          headers: { origin: refused, 'access-control-request-method': 'GET' },
        });
      // A preflight is granted to any origin without asking the database (see lib/cors.ts).
      assert.equal((await preflight()).status, 204);
      assert.deepEqual(await statementsOf(preflight), []);

      const token = await org.token({ sub: 'refused-origin' });
      const get = () => app.request('GET', '/api/v1/me', { token, headers: { origin: refused } });
      assert.equal((await get()).status, 403);
      assert.deepEqual(await statementsOf(get), []);
    });

    it('when a kid is unknown, or a signature is bad, then only the first refusal asks the database', async () => {
      const unknown = await org.token({}, { kid: `no-such-${randomBytes(4).toString('hex')}` });
      const send = (token: string) => () => app.request('GET', '/api/v1/me', { token });
      assert.equal((await statementsOf(send(unknown))).length, 1);
      const again = await statementsOf(send(unknown));
      assert.deepEqual(again, []);
      const otherTokenSameKid = await org.token(
        { sub: 'other' },
        { kid: JSON.parse(Buffer.from(unknown.split('.')[0]!, 'base64url').toString()).kid },
      );
      assert.deepEqual(await statementsOf(send(otherTokenSameKid)), []);

      const forged = await new SignJWT({ sub: 'forger', iss: org.issuer, aud: 'okr-embed' })
        .setProtectedHeader({ alg: 'HS256', kid: org.kid })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(randomBytes(32));
      await send(forged)();
      const answer = await app.request('GET', '/api/v1/me', { token: forged });
      assert.equal(answer.status, 401);
      assert.deepEqual(await statementsOf(send(forged)), []);
    });

    it('when origins or keys change through the app, then the cached answers follow at once', async () => {
      const orgs = createOrgsRepository(app.db, caches.orgLookups);
      const added = 'https://added.reads.example';
      const token = await org.token({ sub: 'origin-change' });
      const get = () => app.request('GET', '/api/v1/me', { token, headers: { origin: added } });
      assert.equal((await get()).status, 403);
      await orgs.replaceOrigins(org.id, [origin, added]);
      assert.equal((await get()).status, 200);
      await orgs.replaceOrigins(org.id, [origin]);
      assert.equal((await get()).status, 403);

      const kid = `reads-${randomBytes(6).toString('hex')}`;
      assert.equal(await orgs.keyWithOrg(kid), null);
      await orgs.insertKey({
        kid,
        orgId: org.id,
        alg: 'ES256',
        secretEncrypted: null,
        publicKeyPem: 'not used here',
        status: 'active',
      });
      assert.equal((await orgs.keyWithOrg(kid))?.key.kid, kid, 'a new key is not refused');
      await orgs.retireKey(kid);
      assert.equal(await orgs.keyWithOrg(kid), null, 'a retired key is refused at once');
    });

    it('when My OKRs is asked for again, then it costs no SQL, and a write shows at once', async () => {
      const token = await org.token({ sub: 'my-okrs', scope: 'okr:read okr:write' });
      await createGoal(app, token, {
        title: 'Mine one',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const path = '/api/v1/goals?owner=me&timeframe=current&limit=20';
      const list = () => app.request('GET', path, { token, headers: { origin } });
      assert.deepEqual(
        (await list()).body.items.map((g: { title: string }) => g.title),
        ['Mine one'],
      );
      assert.deepEqual(await statementsOf(list), []);

      await createGoal(app, token, {
        title: 'Mine two',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      assert.deepEqual(
        (await list()).body.items.map((g: { title: string }) => g.title),
        ['Mine one', 'Mine two'],
      );
    });

    it('when two users ask for owner=me, then each gets their own goals from the cache', async () => {
      const alice = await org.token({ sub: 'alice-me', scope: 'okr:read okr:write' });
      const bob = await org.token({ sub: 'bob-me', scope: 'okr:read okr:write' });
      await createGoal(app, alice, {
        title: 'Alice’s',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      await createGoal(app, bob, {
        title: 'Bob’s',
        level: 'personal',
        timeframeId: org.timeframeId,
      });
      const mine = async (token: string) =>
        (await app.request('GET', '/api/v1/goals?owner=me', { token })).body.items.map(
          (g: { title: string }) => g.title,
        );
      for (let round = 0; round < 2; round += 1) {
        assert.deepEqual(await mine(alice), ['Alice’s']);
        assert.deepEqual(await mine(bob), ['Bob’s']);
      }
    });

    it('when many users each ask for their My OKRs again, then no SQL runs, and an edit shows at once', async () => {
      const users = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          org.token({ sub: `many-me-${i}`, scope: 'okr:read okr:write' }),
        ),
      );
      const goals = [];
      for (const [i, token] of users.entries()) {
        goals.push(
          await createGoal(app, token, {
            title: `Own goal ${i}`,
            level: 'personal',
            timeframeId: org.timeframeId,
          }),
        );
      }
      const mine = async (token: string) => {
        const answer = await app.request('GET', '/api/v1/goals?owner=me', {
          token,
          headers: { origin },
        });
        assert.equal(answer.status, 200, answer.text);
        return answer.body.items.map((g: { title: string }) => g.title);
      };
      const round = async () => Promise.all(users.map(mine));
      const expected = users.map((_, i) => [`Own goal ${i}`]);
      assert.deepEqual(await round(), expected);
      let again: string[][] = [];
      assert.deepEqual(
        await statementsOf(async () => {
          again = await round();
        }),
        [],
        'every page is answered from the cache',
      );
      assert.deepEqual(again, expected);

      const edited = await app.request('PATCH', `/api/v1/goals/${goals[3].id}`, {
        token: users[3]!,
        headers: { 'if-match': `"${goals[3].version}"` },
        body: { title: 'Own goal 3, renamed' },
      });
      assert.equal(edited.status, 200, edited.text);
      expected[3] = ['Own goal 3, renamed'];
      assert.deepEqual(await round(), expected, 'the edit is seen by the next read');
    });

    it('when the tree is asked for again, then it costs no SQL, and a write shows at once', async () => {
      const token = await org.token({ sub: 'tree-reader', scope: 'okr:read okr:write' });
      const path = '/api/v1/alignment?timeframe=current&depth=2';
      const tree = () => app.request('GET', path, { token, headers: { origin } });
      const before = (await tree()).body.nodes.length;
      assert.deepEqual(await statementsOf(tree), []);
      await createGoal(app, token, {
        title: 'New root',
        level: 'company',
        timeframeId: org.timeframeId,
      });
      assert.equal((await tree()).body.nodes.length, before + 1);
    });

    it('when many requests miss one key at once, then they share one computation', async () => {
      const token = await org.token({ sub: 'flight', scope: 'okr:read okr:write' });
      await createGoal(app, token, {
        title: 'Flight',
        level: 'company',
        timeframeId: org.timeframeId,
      });
      await app.request('GET', '/api/v1/me', { token });
      // One cold request for one key says what a computation costs…
      const one = await statementsOf(() =>
        app.request('GET', `/api/v1/alignment?timeframe=${org.timeframeId}&depth=3`, { token }),
      );
      const list = await statementsOf(() =>
        app.request('GET', `/api/v1/goals?timeframe=${org.timeframeId}&limit=3`, { token }),
      );
      assert.ok(one.length > 0 && list.length > 0);
      // …and ten at once for another key cost the same.
      const ten = await statementsOf(() =>
        Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            app.request(
              'GET',
              i % 2
                ? `/api/v1/alignment?timeframe=${org.timeframeId}&depth=4`
                : `/api/v1/goals?timeframe=${org.timeframeId}&limit=4`,
              { token },
            ),
          ),
        ),
      );
      assert.equal(ten.length, one.length + list.length, ten.join('\n'));
    });

    it('when q= searches titles, then words find goals, a new title is found at once, and MariaDB uses its FULLTEXT index', async () => {
      const token = await org.token({ sub: 'searcher', scope: 'okr:read okr:write' });
      await createGoal(app, token, {
        title: 'Grow quarterly revenue (EMEA)',
        level: 'company',
        timeframeId: org.timeframeId,
      });
      const titles = async (q: string) =>
        (
          await app.request('GET', `/api/v1/goals?q=${encodeURIComponent(q)}`, { token })
        ).body.items.map((g: { title: string }) => g.title);
      assert.deepEqual(await titles('revenue'), ['Grow quarterly revenue (EMEA)']);
      assert.deepEqual(await titles('Quarterly Rev'), ['Grow quarterly revenue (EMEA)']);
      assert.deepEqual(await titles('emea'), ['Grow quarterly revenue (EMEA)']);
      assert.deepEqual(await titles('revenue grow'), [], 'q is still one substring, in order');
      assert.deepEqual(await titles('+revenue -grow'), [], 'boolean operators are not passed on');

      await createGoal(app, token, {
        title: 'Hire engineers',
        level: 'team',
        timeframeId: org.timeframeId,
      });
      assert.deepEqual(await titles('engineer'), ['Hire engineers']);

      if (app.dialect === 'mariadb') {
        const search = goalSearch('mysql', 'revenue');
        const [plan] = await app.db.select<{ type: string; key: string | null }>(
          `EXPLAIN SELECT g.id FROM goals g WHERE g.org_id = :orgId AND ${search.clause}`,
          { orgId: org.id, ...search.params },
        );
        assert.equal(plan?.type, 'fulltext', JSON.stringify(plan));
        assert.equal(plan?.key, 'goals_title_fulltext');
      }
    });
  });
}
