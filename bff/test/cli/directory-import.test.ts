import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDatabase, type Database } from '../../src/lib/db.js';
import { dialects, masterKeyHex, type TestDatabase } from '../support/harness.js';
import { okr, okrJson, okrOk } from './run-cli.js';

for (const spec of dialects()) {
  describe(`[${spec.name}] operator CLI: users and teams import`, () => {
    let database: TestDatabase;
    let db: Database;
    let dir: string;
    let env: Record<string, string>;
    const file = (name: string, content: string) => {
      const at = path.join(dir, name);
      writeFileSync(at, content);
      return at;
    };
    const teamsOf = async () =>
      db.select<{ team_key: string; name: string; parent_key: string | null; members: number }>(
        `SELECT t.team_key, t.name, p.team_key AS parent_key,
                (SELECT COUNT(*) FROM memberships m WHERE m.team_id = t.id) AS members
         FROM teams t JOIN organizations o ON o.id = t.org_id
         LEFT JOIN teams p ON p.id = t.parent_id
         WHERE o.slug = 'acme' ORDER BY t.team_key`,
      );
    const usersOf = async () =>
      db.select<{ external_id: string; name: string; email: string | null; teams: string | null }>(
        `SELECT u.external_id, u.name, u.email,
                (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id) AS teams
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE o.slug = 'acme' ORDER BY u.external_id`,
      );

    before(async () => {
      database = await spec.create();
      dir = mkdtempSync(path.join(tmpdir(), 'okr-directory-'));
      env = {
        DATABASE_URL: database.url,
        OKR_MASTER_KEY: masterKeyHex,
        OKR_DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
      };
      await okrOk(['org', 'create', '--slug', 'acme', '--name', 'Acme'], env);
      db = createDatabase(database.url);
    });
    after(async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    });

    it('when a teams file lists a parent after its child, then every team, parent and member is stored in one run', async () => {
      const people = file(
        'people.csv',
        'external_id,name,email,teams\r\nada,Ada Lovelace,ada@example.com,\r\n"bob","Bob, Jr.",,\r\n',
      );
      const users = await okrJson(['users', 'import', '--org', 'acme', people], env);
      assert.deepEqual(users, { created: 2, updated: 0, dryRun: false });
      const teams = file(
        'teams.csv',
        'key,name,parent,members\nweb,Web,eng,ada;bob\neng,Engineering,,ada\n',
      );
      const answer = await okrJson(['teams', 'import', '--org', 'acme', teams], env);
      assert.deepEqual(answer, { created: 2, updated: 0, dryRun: false });
      assert.deepEqual(
        (await teamsOf()).map((t) => [t.team_key, t.name, t.parent_key, Number(t.members)]),
        [
          ['eng', 'Engineering', null, 1],
          ['web', 'Web', 'eng', 2],
        ],
      );
      const again = file(
        'people2.csv',
        'external_id,name,email,teams\nbob,Bob,bob@example.com,eng\n',
      );
      const run = await okrOk(['users', 'import', '--org', 'acme', again], env);
      assert.match(run.stdout, /Imported 1 users: 0 new, 1 updated/);
      const bob = (await usersOf()).find((u) => u.external_id === 'bob');
      assert.equal(bob?.name, 'Bob');
      assert.equal(bob?.email, 'bob@example.com');
      assert.equal(Number(bob?.teams), 1, 'the teams cell replaced bob’s memberships');
    });

    it('when one line of a file is bad, then the error names its line and column, exit 1, and nothing is written', async () => {
      const before = await usersOf();
      const bad = file(
        'bad-people.csv',
        'external_id,name,email,teams\ncy,Cy,,\ndee,,,\neve,Eve,,\n',
      );
      const run = await okr(['users', 'import', '--org', 'acme', bad], env);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /line 3, column name/);
      const unknownTeam = file(
        'team-ref.csv',
        'external_id,name,email,teams\ncy,Cy,,eng\neve,Eve,,nope\n',
      );
      const second = await okr(['users', 'import', '--org', 'acme', unknownTeam, '--json'], env);
      assert.equal(second.code, 1);
      const error = JSON.parse(second.stderr).error;
      assert.match(error.message, /line 3, column teams/);
      assert.match(error.message, /nope/);
      assert.deepEqual(await usersOf(), before, 'cy on the good line 2 was not written either');
      const cycle = file('cycle.csv', 'key,name,parent,members\neng,Engineering,web,\n');
      const loop = await okr(['teams', 'import', '--org', 'acme', cycle], env);
      assert.equal(loop.code, 1);
      assert.match(loop.stderr, /line 2, column parent/);
      const header = file('header.csv', 'id,name\nx,y\n');
      const wrong = await okr(['teams', 'import', '--org', 'acme', header], env);
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /line 1: the header must be key,name,parent,members/);
      assert.equal((await okr(['teams', 'import', '--org', 'acme'], env)).code, 2, 'no file');
      assert.equal((await okr(['teams', 'import', '--org', 'nowhere', cycle], env)).code, 1);
    });

    it('when --dry-run is given, then the answer says what would happen and nothing is written', async () => {
      const teamsBefore = await teamsOf();
      const usersBefore = await usersOf();
      const people = file(
        'dry-people.csv',
        'external_id,name,email,teams\nzed,Zed,,web\nada,Ada,,\n',
      );
      const users = await okrJson(['users', 'import', '--org', 'acme', people, '--dry-run'], env);
      assert.deepEqual(users, { created: 1, updated: 1, dryRun: true });
      const teams = file('dry-teams.csv', 'key,name,parent,members\nops,Operations,eng,ada\n');
      const run = await okrOk(['teams', 'import', '--org', 'acme', teams, '--dry-run'], env);
      assert.match(run.stdout, /Would import 1 teams: 1 new, 0 updated/);
      assert.deepEqual(await usersOf(), usersBefore);
      assert.deepEqual(await teamsOf(), teamsBefore);
    });
  });
}
