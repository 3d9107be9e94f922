/**
 * The directory pickers search (GET /users, GET /teams) and the provisioning hosts do before
 * people first visit (PUT /users/:externalId, PUT /teams/:key): tenant-scoped, paged, email
 * for admins only, and the same rows sign-in creates from token claims.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorsOf, type Actors } from '../support/fixtures.js';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { directoryTeamView, directoryUserView, pageView } from '../../src/lib/views.schema.js';

for (const dialect of dialects()) {
  describe(`[${dialect.name}] directory and provisioning`, () => {
    let app: TestApp;
    let org: TestOrg;
    let other: TestOrg;
    let as: Actors;
    let theirAdmin: string;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
      other = await app.createOrg();
      as = await actorsOf(org);
      theirAdmin = (await actorsOf(other)).admin;
    });
    after(() => app.close());

    const put = (path: string, token: string, body: unknown) =>
      app.request('PUT', `/api/v1${path}`, { token, body });
    const get = (path: string, token: string) => app.request('GET', `/api/v1${path}`, { token });

    it('when an admin provisions a person, then 201 with email, 200 on the second call, and the same row when they sign in', async () => {
      assert.equal((await put('/teams/ops', as.admin, { name: 'Operations' })).status, 201);
      const created = await put('/users/ada', as.admin, {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        teams: ['ops'],
      });
      assert.equal(created.status, 201, created.text);
      directoryUserView.parse(created.body);
      assert.equal(created.body.email, 'ada@example.com');
      assert.equal(created.body.externalId, 'ada');
      const updated = await put('/users/ada', as.admin, { name: 'Ada King' });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.id, created.body.id);
      assert.equal(updated.body.email, 'ada@example.com', 'not sent: kept');
      const ada = await org.token({ sub: 'ada', name: 'Ada King', email: 'ada@example.com' });
      const me = await get('/me', ada);
      assert.equal(me.body.user.id, created.body.id, 'sign-in finds the provisioned row');
      assert.deepEqual(
        me.body.teams.map((t: { key: string }) => t.key),
        ['ops'],
      );
    });

    it('when teams are sent, then they replace the memberships; an unknown key is 400 at its field and changes nothing', async () => {
      await put('/teams/red', as.admin, { name: 'Red' });
      await put('/teams/blue', as.admin, { name: 'Blue' });
      await put('/users/bob', as.admin, { name: 'Bob', teams: ['red'] });
      const moved = await put('/users/bob', as.admin, { name: 'Bob', teams: ['blue'] });
      assert.equal(moved.status, 200);
      const teams = await get('/teams?q=blue', as.writer);
      assert.equal(teams.body.items[0].memberCount, 1);
      assert.equal((await get('/teams?q=red', as.writer)).body.items[0].memberCount, 0);
      const bad = await put('/users/bob', as.admin, { name: 'Bobby', teams: ['blue', 'nope'] });
      assert.equal(bad.status, 400, bad.text);
      assert.equal(bad.body.error.details[0].field, 'body.teams.1');
      const bob = (await get('/users?q=bob', as.admin)).body.items[0];
      assert.equal(bob.name, 'Bob', 'a refused call writes nothing');
    });

    it('when a team is provisioned with a parent and members, then the directory shows them; unknown refs 400; a cycle 409', async () => {
      await put('/users/cy', as.admin, { name: 'Cy' });
      const parent = await put('/teams/eng-root', as.admin, { name: 'Engineering' });
      assert.equal(parent.status, 201, parent.text);
      const team = await put('/teams/eng-web', as.admin, {
        name: 'Web',
        parentKey: 'eng-root',
        members: ['cy', 'bob'],
      });
      assert.equal(team.status, 201, team.text);
      directoryTeamView.parse(team.body);
      assert.equal(team.body.parentKey, 'eng-root');
      assert.equal(team.body.memberCount, 2);
      const unknownMember = await put('/teams/eng-web', as.admin, {
        name: 'Web',
        members: ['cy', 'ghost'],
      });
      assert.equal(unknownMember.status, 400);
      assert.equal(unknownMember.body.error.details[0].field, 'body.members.1');
      const unknownParent = await put('/teams/eng-web', as.admin, { name: 'Web', parentKey: 'x' });
      assert.equal(unknownParent.status, 400);
      assert.equal(unknownParent.body.error.details[0].field, 'body.parentKey');
      const cycle = await put('/teams/eng-root', as.admin, {
        name: 'Engineering',
        parentKey: 'eng-web',
      });
      assert.equal(cycle.status, 409, cycle.text);
      assert.equal(cycle.body.error.code, 'team_cycle');
      const self = await put('/teams/eng-root', as.admin, {
        name: 'Engineering',
        parentKey: 'eng-root',
      });
      assert.equal(self.status, 409);
      const root = (await get('/teams?q=eng-root', as.writer)).body.items[0];
      assert.equal(root.parentKey, null, 'refused parents are not stored');
      const web = (await get('/teams?q=eng-web', as.writer)).body.items[0];
      assert.equal(web.memberCount, 2);
    });

    it('when the same new person is provisioned by several requests at once, then one row is made and every request succeeds', async () => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) => put('/users/racer', as.admin, { name: `Racer ${i}` })),
      );
      assert.deepEqual(
        answers.map((a) => a.status).sort(),
        [200, 200, 200, 200, 201],
        answers.map((a) => a.text).join('\n'),
      );
      assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
      const teams = await Promise.all(
        Array.from({ length: 3 }, () => put('/teams/racers', as.admin, { name: 'Racers' })),
      );
      assert.deepEqual(teams.map((a) => a.status).sort(), [200, 200, 201]);
    });

    it('when a non-admin provisions, then 403 and nothing is written', async () => {
      const before = (await get('/users?q=mallory', as.admin)).body.items.length;
      assert.equal((await put('/users/mallory', as.writer, { name: 'Mallory' })).status, 403);
      assert.equal((await put('/teams/mallory', as.writer, { name: 'Mallory' })).status, 403);
      assert.equal((await get('/users?q=mallory', as.admin)).body.items.length, before);
      assert.equal((await get('/teams?q=mallory', as.admin)).body.items.length, 0);
    });

    it('when the directory is searched, then q matches name or external id case-insensitively and email shows to admins only', async () => {
      await put('/users/grace-h', as.admin, { name: 'Grace Hopper', email: 'grace@example.com' });
      const byName = await get('/users?q=HOPPER', as.writer);
      assert.equal(byName.status, 200);
      pageView(directoryUserView).parse(byName.body);
      assert.deepEqual(
        byName.body.items.map((u: { externalId: string }) => u.externalId),
        ['grace-h'],
      );
      assert.ok(!('email' in byName.body.items[0]), 'no email without okr:admin');
      const byId = await get('/users?q=GRACE-', as.admin);
      assert.equal(byId.body.items[0].email, 'grace@example.com');
      const blank = await get('/users?q=%20%20', as.writer);
      assert.equal(blank.status, 200, 'blank text from a picker lists everyone');
      assert.ok(blank.body.items.length > 1);
      const wildcard = await get('/users?q=%25', as.writer);
      assert.equal(wildcard.body.items.length, 0, '% is a character, not a wildcard');
    });

    it('when the directory is paged, then every person comes once, in name order, and a bad cursor is 400', async () => {
      for (const name of ['Pat A', 'pat b', 'Pat C', 'PAT D', 'Pat E']) {
        await put(`/users/${name.replace(' ', '-').toLowerCase()}`, as.admin, { name });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ name: string }>; nextCursor: string | null } } =
          await get(`/users?q=pat&limit=2${cursor ? `&cursor=${cursor}` : ''}`, as.writer);
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((u) => u.name));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ['Pat A', 'pat b', 'Pat C', 'PAT D', 'Pat E']);
      const teams = await get('/teams?limit=1', as.writer);
      assert.equal(teams.body.items.length, 1);
      assert.ok(teams.body.nextCursor);
      const next = await get(`/teams?limit=1&cursor=${teams.body.nextCursor}`, as.writer);
      assert.notEqual(next.body.items[0].key, teams.body.items[0].key);
      const bad = await get('/users?cursor=bm90LWEtY3Vyc29y', as.writer);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details[0].field, 'query.cursor');
    });

    it('when another org searches or provisions the same external id, then it sees and changes only its own', async () => {
      const theirs = await get('/users?q=ada', theirAdmin);
      assert.equal(theirs.body.items.length, 0, 'org A’s people are not in org B’s directory');
      assert.equal((await get('/teams?q=ops', theirAdmin)).body.items.length, 0);
      const made = await put('/users/ada', theirAdmin, { name: 'Another Ada' });
      assert.equal(made.status, 201, 'a new person in org B, not an update of org A’s');
      const ours = (await get('/users?q=ada', as.admin)).body.items[0];
      assert.equal(ours.name, 'Ada King');
      assert.notEqual(ours.id, made.body.id);
      const foreignTeam = await put('/users/ada', theirAdmin, { name: 'Ada', teams: ['ops'] });
      assert.equal(foreignTeam.status, 400, 'org A’s team key is unknown in org B');
    });
  });
}
