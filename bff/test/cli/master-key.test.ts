import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDatabase } from '../../src/lib/db.js';
import { encryptSecret } from '../../src/lib/secrets.js';
import { dialects, type TestDatabase } from '../support/harness.js';
import { okr, okrJson, okrOk, startApi } from './run-cli.js';

const newKey = () => randomBytes(32).toString('base64');
const noRawCrypto = (text: string) =>
  assert.doesNotMatch(text, /Unsupported state|unable to authenticate|\n\s+at /);

for (const spec of dialects()) {
  describe(`[${spec.name}] operator CLI: the master key`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let env: Record<string, string>;
    const masterKey = newKey();

    before(async () => {
      database = await spec.create();
      dataDir = mkdtempSync(path.join(tmpdir(), 'okr-master-'));
      env = {
        DATABASE_URL: database.url,
        OKR_MASTER_KEY: masterKey,
        OKR_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
      };
      await okrOk(['org', 'create', '--slug', 'acme', '--name', 'Acme'], env);
      await okrOk(['key', 'add', '--org', 'acme', '--alg', 'HS256'], env);
    });
    after(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
    });

    it('when OKR_MASTER_KEY is another key, then every command and the server refuse with one clear line', async () => {
      const wrong = { ...env, OKR_MASTER_KEY: newKey() };
      for (const args of [
        ['org', 'list'],
        ['key', 'add', '--org', 'acme', '--alg', 'HS256'],
        ['token', '--org', 'acme', '--sub', 'u'],
        ['serve'],
      ]) {
        const run = await okr(args, { ...wrong, PORT: '0' });
        assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
        assert.equal(run.stderr, 'error: OKR_MASTER_KEY does not match this database\n');
      }
      assert.equal((await okrJson<unknown[]>(['key', 'list'], env)).length, 1, 'no key was added');
    });

    it("when OKR_MASTER_KEY is unset, then HS256 commands refuse even with another database's demo key file", async () => {
      // The demo's generated key in the data folder belongs to the demo's own database.
      writeFileSync(path.join(dataDir, 'master.key'), `${newKey()}\n`);
      const unset = { ...env, OKR_MASTER_KEY: undefined };
      for (const args of [
        ['key', 'add', '--org', 'acme', '--alg', 'HS256'],
        ['token', '--org', 'acme', '--sub', 'u'],
      ]) {
        const run = await okr(args, unset);
        assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, /OKR_MASTER_KEY is not set/);
        noRawCrypto(run.stderr);
      }
      rmSync(path.join(dataDir, 'master.key'));
      assert.equal(
        (await okrJson<unknown[]>(['org', 'list'], unset)).length,
        1,
        'reads need no key',
      );
      assert.equal((await okrJson<unknown[]>(['key', 'list'], env)).length, 1, 'no key was added');
    });

    it('when a stored secret was encrypted under another master key, then token names that kid and why', async () => {
      await okrOk(['org', 'create', '--slug', 'broken', '--name', 'Broken'], env);
      const { kid } = await okrJson(['key', 'add', '--org', 'broken', '--alg', 'HS256'], env);
      const db = createDatabase(database.url);
      try {
        await db.execute('UPDATE embed_keys SET secret_encrypted = :secret WHERE kid = :kid', {
          kid,
          secret: encryptSecret(randomBytes(32), randomBytes(32), kid),
        });
      } finally {
        await db.close();
      }
      const run = await okr(['token', '--org', 'broken', '--sub', 'u'], env);
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`${kid} \\(encrypted under another master key\\)`));
      noRawCrypto(run.stderr);

      const rotation = await okr(['rotate-master-key'], { ...env, OKR_NEW_MASTER_KEY: newKey() });
      assert.equal(rotation.code, 1);
      assert.match(rotation.stderr, new RegExp(`cannot decrypt ${kid}.*nothing was changed`));
      await okrOk(['token', '--org', 'acme', '--sub', 'u'], env);

      // Rotation reads retired keys too, so the operator deletes the org the damaged key was for.
      await okrOk(['org', 'delete', 'broken', '--yes'], env);
    });

    it('when the master key is rotated, then the secrets move to the new key in one go and tokens still verify', async () => {
      const next = newKey();
      const usage = await okr(['rotate-master-key'], env);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /OKR_NEW_MASTER_KEY/);

      const rotated = await okrJson(['rotate-master-key'], { ...env, OKR_NEW_MASTER_KEY: next });
      assert.equal(rotated.reencrypted.length, 1);
      const old = await okr(['token', '--org', 'acme', '--sub', 'u'], env);
      assert.equal(old.code, 1);
      assert.match(old.stderr, /OKR_MASTER_KEY does not match this database/);

      const moved = { ...env, OKR_MASTER_KEY: next };
      const { token } = await okrJson(['token', '--org', 'acme', '--sub', 'u'], moved);
      const api = await startApi(database.url, { OKR_MASTER_KEY: next });
      try {
        const response = await fetch(`${api.baseUrl}/api/v1/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(response.status, 200);
      } finally {
        await api.close();
      }

      const generated = await okrJson(['rotate-master-key', '--generate'], moved);
      assert.equal(Buffer.from(generated.newMasterKey, 'base64').length, 32);
      await okrOk(['token', '--org', 'acme', '--sub', 'u'], {
        ...env,
        OKR_MASTER_KEY: generated.newMasterKey,
      });
    });
  });
}
