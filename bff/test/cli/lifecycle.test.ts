import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { createDatabase } from '../../src/lib/db.js';
import { migrationNames } from '../../src/lib/migrate.js';
import { dialects, masterKeyHex, type TestDatabase } from '../support/harness.js';
import { okr, okrJson, okrOk, startApi } from './run-cli.js';

for (const spec of dialects()) {
  describe(`[${spec.name}] operator CLI: the org and key lifecycle`, () => {
    let database: TestDatabase;
    let env: Record<string, string>;

    before(async () => {
      database = await spec.create();
      env = {
        DATABASE_URL: database.url,
        OKR_MASTER_KEY: masterKeyHex,
        OKR_DATA_DIR: '/nonexistent-okr-data',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
      };
    });
    after(() => database.drop());

    it('when a read-only command meets a database never migrated, then it says to migrate and changes nothing', async () => {
      for (const args of [
        ['org', 'list'],
        ['key', 'list'],
        ['org', 'show', 'x'],
      ]) {
        const run = await okr(args, env);
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stderr, /run okr migrate first/);
      }
      const { applied } = await okrJson<{ applied: string[] }>(['migrate'], env);
      assert.deepEqual(applied, migrationNames);
    });

    it('when an org goes through create, list, show, update and delete, then each step shows and keeps what it said', async () => {
      const created = await okrJson(
        [
          'org',
          'create',
          '--slug',
          'life',
          '--name',
          'Life',
          '--origin',
          'https://intranet.life.example',
        ],
        env,
      );
      assert.equal(
        created.issuer,
        'https://intranet.life.example',
        'the issuer defaults to the host origin',
      );
      assert.deepEqual(created.settings, { initiativesCount: false });

      const listed = await okrJson<Array<{ slug: string }>>(['org', 'list'], env);
      assert.ok(listed.some((org) => org.slug === 'life'));

      const updated = await okrJson(
        [
          'org',
          'update',
          'life',
          '--name',
          'Life Inc',
          '--issuer',
          'https://sso.life.example',
          '--add-origin',
          'https://wiki.life.example',
          '--add-origin',
          'http://localhost:3000',
          '--remove-origin',
          'https://intranet.life.example',
          '--initiatives-count',
          'on',
        ],
        env,
      );
      assert.equal(updated.name, 'Life Inc');
      assert.equal(updated.issuer, 'https://sso.life.example');
      assert.deepEqual(updated.allowedOrigins, [
        'http://localhost:3000',
        'https://wiki.life.example',
      ]);
      assert.deepEqual(updated.settings, { initiativesCount: true });

      const shown = await okrJson(['org', 'show', 'life'], env);
      assert.equal(shown.name, 'Life Inc');
      assert.deepEqual(shown.allowedOrigins, updated.allowedOrigins);
      assert.deepEqual(shown.keys, []);
      assert.equal(shown.counts.goals, 0);

      const human = await okrOk(['org', 'show', 'life'], env);
      assert.match(human.stdout, /issuer: https:\/\/sso\.life\.example/);

      const unconfirmed = await okr(['org', 'delete', 'life'], env);
      assert.equal(unconfirmed.code, 2);
      assert.match(unconfirmed.stderr, /--yes/);
      assert.equal((await okrJson(['org', 'show', 'life'], env)).slug, 'life');

      await okrOk(['org', 'delete', 'life', '--yes'], env);
      const gone = await okr(['org', 'show', 'life'], env);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /Organization "life" not found/);
    });

    it('when an org has goals, then delete refuses without --with-data and removes every row with it', async () => {
      await okrOk(['seed-demo', '--org', 'full'], env);
      const before = await okrJson(['org', 'show', 'full'], env);
      assert.ok(before.counts.goals > 0 && before.counts.checkIns > 0);

      const refused = await okr(['org', 'delete', 'full', '--yes', '--json'], env);
      assert.equal(refused.code, 1);
      assert.equal(JSON.parse(refused.stderr).error.code, 'org_has_data');
      assert.deepEqual((await okrJson(['org', 'show', 'full'], env)).counts, before.counts);

      const deleted = await okrJson(['org', 'delete', 'full', '--yes', '--with-data'], env);
      assert.deepEqual(deleted.deleted, before.counts);
      const db = createDatabase(database.url);
      try {
        for (const table of [
          'goals',
          'key_results',
          'check_ins',
          'users',
          'teams',
          'timeframes',
          'embed_keys',
        ]) {
          const [row] = await db.select<{ n: number | string }>(
            `SELECT COUNT(*) AS n FROM ${table}`,
          );
          assert.equal(Number(row?.n), 0, `${table} is empty`);
        }
      } finally {
        await db.close();
      }
    });

    it('when seed-demo fills an existing org, then it keeps its key and origins; a new one gets origins and a secret shown once', async () => {
      await okrOk(
        ['org', 'create', '--slug', 'host', '--name', 'Host', '--origin', 'https://host.example'],
        env,
      );
      const key = await okrJson(['key', 'add', '--org', 'host', '--alg', 'HS256'], env);
      const seeded = await okrJson(['seed-demo', '--org', 'host'], env);
      assert.equal(seeded.kid, key.kid, 'the working key is used');
      assert.equal(seeded.secret, undefined, 'no secret is shown for a key that was already there');
      const again = await okrJson(['seed-demo', '--org', 'host'], env);
      const shown = await okrJson(['org', 'show', 'host'], env);
      assert.deepEqual(shown.allowedOrigins, ['https://host.example']);
      assert.equal(shown.counts.goals, seeded.goals + again.goals);
      assert.equal(shown.counts.teams, seeded.teams, 'teams are reused, not duplicated');
      assert.equal(shown.counts.users, seeded.users);
      assert.equal(shown.counts.timeframes, 2);

      const refused = await okr(
        ['seed-demo', '--org', 'host', '--origin', 'https://other.example'],
        env,
      );
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /org update host --add-origin/);
      assert.deepEqual((await okrJson(['org', 'show', 'host'], env)).counts, shown.counts);

      const fresh = await okrJson(
        ['seed-demo', '--org', 'fresh', '--origin', 'https://fresh.example'],
        env,
      );
      assert.equal(Buffer.from(fresh.secret, 'base64url').length, 32);
      const org = await okrJson(['org', 'show', 'fresh'], env);
      assert.deepEqual(org.allowedOrigins, ['https://fresh.example']);
      assert.equal(org.issuer, 'https://fresh.example');
      const { token } = await okrJson(['token', '--org', 'fresh', '--sub', 'kim'], env);
      const verified = await jwtVerify(token, Buffer.from(fresh.secret, 'base64url'), {
        issuer: org.issuer,
        audience: 'okr-embed',
      });
      assert.equal(verified.protectedHeader.kid, fresh.kid);
    });

    it('when keys are listed and a token asks for a kid, then that key signs; a retired or foreign kid is refused', async () => {
      await okrOk(['org', 'create', '--slug', 'keys', '--name', 'Keys'], env);
      await okrOk(['org', 'create', '--slug', 'other', '--name', 'Other'], env);
      const first = await okrJson(['key', 'add', '--org', 'keys', '--alg', 'HS256'], env);
      const second = await okrJson(['key', 'add', '--org', 'keys', '--alg', 'HS256'], env);
      const foreign = await okrJson(['key', 'add', '--org', 'other', '--alg', 'HS256'], env);

      const keys = await okrJson<Array<{ kid: string; alg: string; status: string; org: string }>>(
        ['key', 'list', '--org', 'keys'],
        env,
      );
      assert.deepEqual(
        keys.map((k) => [k.kid, k.alg, k.status, k.org]).sort(),
        [
          [first.kid, 'HS256', 'active', 'keys'],
          [second.kid, 'HS256', 'active', 'keys'],
        ].sort(),
      );
      assert.doesNotMatch(JSON.stringify(keys), new RegExp(first.secret), 'no secret is listed');
      const all = await okrJson<Array<{ kid: string }>>(['key', 'list'], env);
      assert.ok(all.some((k) => k.kid === foreign.kid));

      for (const key of [first, second]) {
        const signed = await okrJson(
          ['token', '--org', 'keys', '--sub', 'u', '--kid', key.kid],
          env,
        );
        assert.equal(decodeProtectedHeader(signed.token).kid, key.kid);
      }
      const notOurs = await okr(
        ['token', '--org', 'keys', '--sub', 'u', '--kid', foreign.kid],
        env,
      );
      assert.equal(notOurs.code, 1);
      assert.match(notOurs.stderr, /not found/);

      await okrOk(['key', 'retire', '--kid', first.kid], env);
      const retired = await okr(['token', '--org', 'keys', '--sub', 'u', '--kid', first.kid], env);
      assert.equal(retired.code, 1);
      assert.match(retired.stderr, /retired/);
      const listed = await okrJson<
        Array<{ kid: string; status: string; retiredAt: string | null }>
      >(['key', 'list', '--org', 'keys'], env);
      const row = listed.find((k) => k.kid === first.kid);
      assert.equal(row?.status, 'retired');
      assert.ok(row?.retiredAt);
    });

    it('when an origin, a scope or a value is wrong, then exit 2 with the reason, JSON with --json, and nothing written', async () => {
      await okrOk(
        ['org', 'create', '--slug', 'strict', '--name', 'Strict', '--origin', 'https://a.example'],
        env,
      );
      const before = await okrJson(['org', 'show', 'strict'], env);
      for (const origin of [
        'https://ok.example/path',
        'https://ok.example/',
        'https://ok.example?x=1',
        'https://ok.example#top',
        'https://OK.example',
        'https://ok.example:443',
        'ftp://ok.example',
        'https://user@ok.example',
        'ok.example',
      ]) {
        const create = await okr(
          ['org', 'create', '--slug', 'bad', '--name', 'Bad', '--origin', origin],
          env,
        );
        assert.equal(create.code, 2, `${origin}: ${create.stderr}`);
        assert.match(create.stderr, /--origin: /);
        // A valid change given alongside a bad origin is not applied either.
        const update = await okr(
          ['org', 'update', 'strict', '--name', 'Changed', '--add-origin', origin, '--json'],
          env,
        );
        assert.equal(update.code, 2, `${origin}: ${update.stderr}`);
        assert.equal(JSON.parse(update.stderr).error.code, 'invalid_origin');
        assert.equal(update.stdout, '');
      }
      const missing = await okr(
        ['org', 'update', 'strict', '--name', 'Changed', '--remove-origin', 'https://b.example'],
        env,
      );
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Not an allowed origin/);
      assert.deepEqual(await okrJson(['org', 'show', 'strict'], env), before);
      assert.equal((await okr(['org', 'show', 'bad'], env)).code, 1, 'no org "bad" was created');

      await okrOk(['key', 'add', '--org', 'strict', '--alg', 'HS256'], env);
      for (const scope of ['okr:read okr:fly', '   ']) {
        const run = await okr(
          ['token', '--org', 'strict', '--sub', 'u', '--scope', scope, '--json'],
          env,
        );
        assert.equal(run.code, 2, `${scope}: ${run.stderr}`);
        const { error } = JSON.parse(run.stderr);
        assert.equal(error.code, 'invalid_scope');
        assert.match(error.message, /okr:read okr:checkin okr:write okr:admin/);
        assert.equal(run.stdout, '');
      }

      const usage = await okr(['org', 'create', '--json'], env);
      assert.equal(usage.code, 2);
      assert.deepEqual(Object.keys(JSON.parse(usage.stderr).error), ['code', 'message']);
      const failure = await okr(['org', 'show', 'nobody', '--json'], env);
      assert.equal(failure.code, 1);
      assert.equal(JSON.parse(failure.stderr).error.code, 'not_found');
      const flag = await okr(['org', 'update', 'strict', '--initiatives-count', 'maybe'], env);
      assert.equal(flag.code, 2);
      assert.match(flag.stderr, /on or off/);
    });

    it('when origins change with the CLI, then a running server answers the new origin and refuses the old one within the cache lifetime', async () => {
      await okrOk(
        [
          'org',
          'create',
          '--slug',
          'live',
          '--name',
          'Live',
          '--origin',
          'https://old.live.example',
        ],
        env,
      );
      const api = await startApi(database.url);
      // Every preflight is granted (lib/cors.ts); whether some org registered an origin shows
      // in the grant on an actual answer, here the 401 of a request without a token.
      const granted = async (origin: string) => {
        const answer = await fetch(`${api.baseUrl}/api/v1/me`, { headers: { origin } });
        return answer.headers.get('access-control-allow-origin') === origin;
      };
      try {
        assert.equal(await granted('https://old.live.example'), true);
        assert.equal(await granted('https://new.live.example'), false);
        await okrOk(
          [
            'org',
            'update',
            'live',
            '--add-origin',
            'https://new.live.example',
            '--remove-origin',
            'https://old.live.example',
          ],
          env,
        );
        // Another process changed the origins: the server's origin cache (5 s, see the cache
        // table in bff/README.md) lets the change through within its lifetime.
        const settled = async (origin: string, expected: boolean) => {
          const deadline = Date.now() + 15_000;
          let seen = await granted(origin);
          while (seen !== expected && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            seen = await granted(origin);
          }
          return seen;
        };
        assert.equal(await settled('https://new.live.example', true), true);
        assert.equal(await settled('https://old.live.example', false), false);
      } finally {
        await api.close();
      }
    });

    it('when two processes migrate a fresh database at once, then each migration is applied exactly once', async () => {
      const fresh = await spec.create();
      try {
        const freshEnv = { ...env, DATABASE_URL: fresh.url };
        const runs = await Promise.all([
          okr(['migrate', '--json'], freshEnv),
          okr(['migrate', '--json'], freshEnv),
        ]);
        for (const run of runs) assert.equal(run.code, 0, run.stderr);
        const applied = runs.flatMap((run) => JSON.parse(run.stdout).applied as string[]);
        assert.deepEqual(applied.sort(), [...migrationNames].sort());
      } finally {
        await fresh.drop();
      }
    });
  });
}
