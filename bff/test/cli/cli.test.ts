import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createDatabase } from '../../src/lib/db.js';
import { masterKeyHex } from '../support/harness.js';
import { bin, okr, startApi } from './run-cli.js';

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
    for (const args of [[], ['bogus'], ['org', 'create', '--name', 'x'], ['org', 'show']]) {
      const run = await okr(args, env);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /Usage: okr <command>/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('when a flag has a bad value, then exit 2 with the reason and without the whole usage', async () => {
    for (const [args, reason] of [
      [['key', 'add', '--org', 'a', '--alg', 'HS512'], /--alg must be one of: HS256, ES256, RS256/],
      [['token', '--org', 'a', '--sub', 'b', '--ttl', '99999'], /--ttl must be a whole number/],
    ] as const) {
      const run = await okr([...args], env);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, reason);
      assert.doesNotMatch(run.stderr, /Usage: okr/);
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

    const api = await startApi(env.DATABASE_URL ?? '');
    try {
      const response = await fetch(`${api.baseUrl}/api/v1/me`, {
        headers: { authorization: `Bearer ${signed.token}` },
      });
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
      await api.close();
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
    const home = await fetch(`${url}/`);
    assert.equal(home.status, 200);
    const { links } = (await home.json()) as { links: Record<string, string> };
    assert.deepEqual(Object.keys(links).sort(), ['health', 'openApi', 'readiness', 'widgets']);
    assert.equal((await fetch(`${url}${links.openApi}`)).status, 200);
    assert.equal((await fetch(`${url}${links.readiness}`)).status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /"msg":"stopped"/);
    const started = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; config?: Record<string, unknown> })
      .find((entry) => entry.msg === 'configuration');
    assert.equal(started?.config?.masterKey, 'environment');
    assert.equal(started?.config?.database, env.DATABASE_URL);
    assert.ok(!output.includes(masterKeyHex), 'the master key is never logged');
  });
});
