/**
 * The goal card's throughput as deployments scale out, as figures (no budget): with REDIS_URL
 * against without it (one process each), and `okr serve --workers 2` against `--workers 1`
 * (both with Redis, since more than one worker needs it). Each server is the built `okr serve`
 * in a process of its own over one seeded SQLite database; requests carry the page's Origin
 * and take turns among many users' tokens, as the card row of http.bench.ts does. Every
 * configuration runs in rounds, interleaved, and the median is reported, so drift in the
 * shared machine's load spreads over all of them.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Request } from 'autocannon';
import type { ScratchDatabase } from './databases.js';
import { median, type Row } from './report.js';
import { startBenchServer, type BenchServer } from './server-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const okrBin = path.join(here, '../bff/bin/okr.mjs');
const DURATION_S = Number(process.env.BENCH_SCALE_SECONDS ?? '5');
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? '2');
const CONNECTIONS = 10;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Served {
  baseUrl: string;
  stop(): Promise<void>;
}

/** `okr serve [--workers N]` from the built code, as an operator runs it. */
async function serve(env: Record<string, string>, workers: number): Promise<Served> {
  const child = spawn(process.execPath, [okrBin, 'serve', '--workers', String(workers)], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let stdout = '';
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const found = /listening on http:\/\/localhost:(\d+)/.exec(stdout)?.[1];
      if (found) resolve(found);
    });
    void exited.then((code) => reject(new Error(`okr serve exited ${code}: ${stdout}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function cardRate(baseUrl: string, origin: string, requests: Request[]): Promise<number> {
  // A second of warm-up fills the caches and lets V8 compile, as a long-running server has.
  await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: 1,
    headers: { origin },
    requests,
  });
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { origin },
    requests,
  });
  if (result.errors > 0 || result.timeouts > 0 || result['2xx'] !== result.requests.total) {
    throw new Error(
      `card: ${result['2xx']} of ${result.requests.total} answers were 2xx (errors ${result.errors}, 4xx ${result['4xx']}, 5xx ${result['5xx']})`,
    );
  }
  return result.requests.average;
}

export async function benchScale(
  make: () => ScratchDatabase | Promise<ScratchDatabase>,
  withDatabase: <T>(
    make: () => ScratchDatabase | Promise<ScratchDatabase>,
    work: (database: ScratchDatabase) => Promise<T>,
  ) => Promise<T>,
  goals: number,
): Promise<Row[]> {
  if (!existsSync(path.join(here, '../bff/dist/cli.js'))) {
    throw new Error('the BFF is not built: run `npm run build` (npm run bench does)');
  }
  return withDatabase(make, async (database) => {
    const masterKey = randomBytes(32).toString('hex');
    // The bench server seeds the org and signs its users' tokens, then makes way for okr serve.
    const seeder: BenchServer = await startBenchServer(database.url, [goals], {
      OKR_MASTER_KEY: masterKey,
    });
    const { origin } = seeder;
    const org = seeder.orgs[0];
    await seeder.stop();
    if (!org) throw new Error('the bench server has no org');
    const requests: Request[] = org.users.map((user) => ({
      path: `/api/v1/goals/${org.goalId}`,
      headers: { authorization: `Bearer ${user.token}` },
    }));
    const base = { DATABASE_URL: database.url, OKR_MASTER_KEY: masterKey };
    const withRedis = (tag: string) => ({
      ...base,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `okrbench:${tag}:${randomBytes(3).toString('hex')}:`,
    });
    const configs = {
      off: { env: () => base, workers: 1 },
      on: { env: () => withRedis('one'), workers: 1 },
      two: { env: () => withRedis('two'), workers: 2 },
    } as const;
    const rates: Record<keyof typeof configs, number[]> = { off: [], on: [], two: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(configs) as Array<keyof typeof configs>) {
        const served = await serve(configs[name].env(), configs[name].workers);
        try {
          rates[name].push(await cardRate(served.baseUrl, origin, requests));
        } finally {
          await served.stop();
        }
      }
    }
    const off = median(rates.off);
    const on = median(rates.on);
    const two = median(rates.two);
    const section = `scale, sqlite, ${requests.length} users`;
    const each = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
    return [
      {
        section,
        name: 'goal card, REDIS_URL on vs off',
        value: on,
        unit: 'req/s',
        baseline: { name: 'Redis off', value: off },
        ratio: on / off,
        note: `medians of ${ROUNDS} rounds of ${DURATION_S} s; on ${each(rates.on)}, off ${each(rates.off)}`,
      },
      {
        section,
        name: 'goal card, --workers 2 vs 1 (both with Redis)',
        value: two,
        unit: 'req/s',
        baseline: { name: '--workers 1', value: on },
        ratio: two / on,
        note: `2 workers ${each(rates.two)}; ${CONNECTIONS} connections from autocannon on the same cores`,
      },
    ];
  });
}
