import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/app.js';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createDatabase } from '../../src/lib/db.js';
import { createLogger } from '../../src/lib/logger.js';
import { masterKeyHex, testConfig } from '../support/harness.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/okr.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function okr(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('[sqlite] operator CLI', () => {
  let dir: string;
  let env: Record<string, string>;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'okr-cli-'));
    env = {
      DATABASE_URL: `sqlite:${path.join(dir, 'cli.sqlite')}`,
      OKR_MASTER_KEY: masterKeyHex,
      OKR_DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('when flags are wrong or missing, then the usage goes to stderr with exit 2 and no stack trace', async () => {
    for (const args of [
      [],
      ['bogus'],
      ['org', 'create', '--name', 'x'],
      ['key', 'add', '--org', 'a', '--alg', 'HS512'],
      ['token', '--org', 'a', '--sub', 'b', '--ttl', '99999'],
    ]) {
      const run = await okr(args, env);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /Usage: okr <command>/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('when the configuration is bad, then a clear message and exit 1', async () => {
    const run = await okr(['migrate'], { ...env, OKR_MASTER_KEY: 'too-short', PORT: 'eighty' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /OKR_MASTER_KEY/);
    assert.match(run.stderr, /PORT/);
  });

  it('when an org, a key and a token are made with the CLI, then the token opens the API', async () => {
    assert.equal((await okr(['migrate'], env)).code, 0);
    const org = await okr(
      [
        'org',
        'create',
        '--slug',
        'acme',
        '--name',
        'Acme',
        '--origin',
        'https://intranet.acme.example',
        '--json',
      ],
      env,
    );
    assert.equal(org.code, 0, org.stderr);
    assert.deepEqual(JSON.parse(org.stdout).allowedOrigins, ['https://intranet.acme.example']);
    const again = await okr(['org', 'create', '--slug', 'acme', '--name', 'Acme'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists/);
    const key = await okr(['key', 'add', '--org', 'acme', '--alg', 'HS256', '--json'], env);
    assert.equal(key.code, 0, key.stderr);
    const { kid, secret } = JSON.parse(key.stdout);
    assert.ok(kid);
    assert.equal(Buffer.from(secret, 'base64url').length, 32);
    const token = await okr(
      [
        'token',
        '--org',
        'acme',
        '--sub',
        'u-1',
        '--name',
        'Una',
        '--teams',
        'ops,eng',
        '--scope',
        'okr:read okr:write',
        '--ttl',
        '120',
        '--json',
      ],
      env,
    );
    assert.equal(token.code, 0, token.stderr);
    const signed = JSON.parse(token.stdout);
    assert.equal(signed.kid, kid);

    const db = createDatabase(env.DATABASE_URL ?? '');
    const app = createApp({
      config: testConfig(env.DATABASE_URL ?? ''),
      db,
      logger: createLogger('silent'),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/me`,
        { headers: { authorization: `Bearer ${signed.token}` } },
      );
      assert.equal(response.status, 200);
      const me = (await response.json()) as {
        org: { slug: string };
        teams: Array<{ key: string }>;
        scopes: string[];
      };
      assert.equal(me.org.slug, 'acme');
      assert.deepEqual(
        me.teams.map((t) => t.key),
        ['eng', 'ops'],
      );
      assert.deepEqual(me.scopes, ['okr:read', 'okr:write']);
    } finally {
      server.close();
      await db.close();
    }

    const retired = await okr(['key', 'retire', '--kid', kid], env);
    assert.equal(retired.code, 0, retired.stderr);
    const none = await okr(['token', '--org', 'acme', '--sub', 'u-1'], env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no active HS256 key/);
  });

  it('when seed-demo is given origins, then the demo org allows exactly those and the output names its issuer', async () => {
    const run = await okr(
      ['seed-demo', '--org', 'seeded', '--origin', 'http://localhost:5180', '--json'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const seeded = JSON.parse(run.stdout) as { org: string; issuer: string };
    const db = createDatabase(env.DATABASE_URL ?? '');
    try {
      const org = await createOrgsRepository(db).findOrgBySlug('seeded');
      assert.deepEqual(org?.allowedOrigins, ['http://localhost:5180']);
      assert.equal(seeded.issuer, org?.issuer);
    } finally {
      await db.close();
    }
  });

  it('when NODE_ENV is production, then token refuses to sign', async () => {
    assert.equal((await okr(['org', 'create', '--slug', 'prod', '--name', 'Prod'], env)).code, 0);
    assert.equal((await okr(['key', 'add', '--org', 'prod', '--alg', 'HS256'], env)).code, 0);
    const run = await okr(['token', '--org', 'prod', '--sub', 'x'], {
      ...env,
      NODE_ENV: 'production',
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /production/);
  });

  it('when an ES256 key is added without a public key file, then exit 1 with the reason', async () => {
    const run = await okr(['key', 'add', '--org', 'prod', '--alg', 'ES256'], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /--public-key/);
  });

  it('when serve runs without --demo, then no demo site or token endpoint starts; on SIGTERM it finishes and exits 0', async () => {
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(output)));
    });
    assert.doesNotMatch(output, /Demo page|Partner demo/);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /"msg":"stopped"/);
  });
});
