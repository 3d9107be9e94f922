import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialects, masterKeyHex, type TestDatabase } from '../support/harness.js';
import { bin, okr, okrJson, okrOk } from '../cli/run-cli.js';
import { parseSamples, valueOf } from './prom-text.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `okr serve --workers N` as an operator starts it: the built bin, its output read as it comes. */
class Served {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [bin, 'serve', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk) => (this.stdout += chunk));
    this.child.stderr?.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** The JSON log lines so far. */
  logLines(): Array<Record<string, unknown>> {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async until<T>(what: string, find: () => T | undefined, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(`no ${what}; stdout: ${this.stdout}\nstderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  workerPids(): number[] {
    return this.logLines()
      .filter((line) => line.msg === 'worker listening')
      .map((line) => line.pid as number);
  }
}

/** A GET on a connection of its own, so the primary hands each to the next worker. */
function freshGet(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

for (const spec of dialects()) {
  describe(`[${spec.name}] okr serve --workers 2`, () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    let token: string;
    let served: Served | undefined;

    before(async () => {
      database = await spec.create();
      env = {
        DATABASE_URL: database.url,
        OKR_MASTER_KEY: masterKeyHex,
        OKR_DATA_DIR: '/nonexistent-okr-data',
        LOG_LEVEL: 'info',
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        METRICS_PORT: '0',
        RATE_LIMIT_PER_MINUTE: '0',
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: `okrtest:${randomBytes(4).toString('hex')}:`,
      };
      await okrOk(['migrate'], env);
      await okrOk(['org', 'create', '--slug', 'workers', '--name', 'Workers'], env);
      const key = await okrJson<{ kid: string }>(
        ['key', 'add', '--org', 'workers', '--alg', 'HS256'],
        env,
      );
      token = (
        await okrOk(['token', '--org', 'workers', '--sub', 'w1', '--kid', key.kid], env)
      ).stdout.trim();
    });
    after(async () => {
      if (served?.child.exitCode === null) served.child.kill('SIGKILL');
      await database?.drop();
    });

    it('when started, then two workers answer on one port, a dead one is replaced, metrics add up and SIGTERM stops them all', async () => {
      served = new Served(['--workers', '2'], env);
      const s = served;
      const [url, metricsUrl] = await s.until('listening line', () => {
        const match = /listening on (\S+) \(2 workers\)\nMetrics: (\S+)/.exec(s.stdout);
        return match ? [match[1] as string, match[2] as string] : undefined;
      });
      const pids = await s.until('two workers', () => {
        const found = s.workerPids();
        return found.length === 2 ? found : undefined;
      });
      assert.notEqual(pids[0], pids[1]);

      for (let i = 0; i < 20; i++) assert.equal(await freshGet(`${url}/api/v1/me`, token), 200);
      const answeredBy = await s.until('20 request lines', () => {
        const lines = s.logLines().filter((line) => line.msg === 'request');
        return lines.length >= 20 ? new Set(lines.map((line) => line.pid)) : undefined;
      });
      assert.deepEqual([...answeredBy].sort(), [...pids].sort(), 'both workers answered');

      const scrape = async () => {
        const response = await fetch(metricsUrl);
        assert.equal(response.status, 200);
        return parseSamples(await response.text());
      };
      let samples = await scrape();
      const meCount = { route: '/api/v1/me', status_class: '2xx' };
      assert.equal(valueOf(samples, 'http_request_duration_seconds_count', meCount), 20);
      assert.equal(valueOf(samples, 'cluster_workers'), 2);
      assert.ok(valueOf(samples, 'db_statement_duration_seconds_count') > 0);

      process.kill(pids[0] as number, 'SIGKILL');
      const replacement = await s.until('a replacement worker', () =>
        s.workerPids().find((pid) => !pids.includes(pid)),
      );
      assert.equal(await freshGet(`${url}/api/v1/me`, token), 200);
      samples = await scrape();
      assert.equal(valueOf(samples, 'cluster_worker_restarts_total'), 1);
      assert.equal(valueOf(samples, 'cluster_workers'), 2);

      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0, s.stderr);
      for (const pid of [pids[1] as number, replacement]) assert.equal(alive(pid), false);
      assert.ok(s.logLines().filter((line) => line.msg === 'stopped').length >= 3);
    });
  });
}

describe('okr serve --workers: refusals', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'okr-workers-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const sqliteEnv = () => ({
    DATABASE_URL: `sqlite:${dir}/refused.sqlite`,
    OKR_MASTER_KEY: masterKeyHex,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    REDIS_URL: redisUrl,
  });

  it('when --workers is not a whole number from 1 to 64, then it exits 2 and says so', async () => {
    for (const value of ['0', '65', 'two', '-1', '1.5']) {
      const run = await okr(['serve', `--workers=${value}`], sqliteEnv());
      assert.equal(run.code, 2, `${value}: ${run.stderr}`);
      assert.match(run.stderr, /--workers must be a whole number from 1 to 64/);
    }
  });

  it('when more than one worker is asked for without REDIS_URL, then it exits 2 and says why', async () => {
    const run = await okr(['serve', '--workers', '2'], { ...sqliteEnv(), REDIS_URL: undefined });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--workers 2 needs REDIS_URL/);
    assert.match(run.stderr, /rate limits and caches/);
  });

  it('when workers would serve metrics by token on the API port, then it exits 2 and names METRICS_PORT', async () => {
    const run = await okr(['serve', '--workers', '2'], {
      ...sqliteEnv(),
      METRICS_TOKEN: 'a-metrics-token-of-some-length',
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--workers needs METRICS_PORT/);
  });

  it('when every worker dies at start, then the primary gives up with exit 1 and a clear message', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const served = new Served(['--workers', '2'], {
        ...sqliteEnv(),
        PORT: String(port),
        HOST: '127.0.0.1',
      });
      assert.equal(await served.exited, 1, served.stdout);
      assert.match(served.stderr, /workers keep dying \(6 exits within 60 s/);
    } finally {
      taken.close();
    }
  });
});
