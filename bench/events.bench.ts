/**
 * SSE fan-out across instances, as figures (no budget): two `okr serve` processes (the built
 * code, as operators run it) on one database and one Redis, 1 000 event streams opened across
 * them by the org's users (the page's Origin, each user's own token), then one check-in on the
 * first. Reported: how long after the check-in was sent each stream had its event (p50, p99,
 * max), and each instance's resident memory per open stream (RSS after opening less before).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { nodeEnv, nodeFlags } from '../bff/bin/node-flags.mjs';
import type { ScratchDatabase } from './databases.js';
import type { Row } from './report.js';
import { startBenchServer } from './server-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '../bff/dist/cli.js');
const STREAMS = Number(process.env.BENCH_EVENT_STREAMS ?? '1000');
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Instance {
  baseUrl: string;
  rss(): number;
  stop(): Promise<void>;
}

/** `okr serve` from the built code, in a process of its own so its RSS is its own. */
async function serve(env: Record<string, string>): Promise<Instance> {
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, cli, 'serve'], {
    env: { ...process.env, ...nodeEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let stdout = '';
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const found = /listening on http:\/\/localhost:(\d+)/.exec(stdout)?.[1];
      if (found) resolve(found);
    });
    void exited.then((code) => reject(new Error(`okr serve exited ${code}: ${stdout}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface Listener {
  /** performance.now() when the check-in's event had arrived, once it has. */
  arrived: Promise<number>;
  close(): void;
}

/** A stream read only as far as it needs: the first check-in.created frame. */
async function listen(baseUrl: string, token: string, origin: string): Promise<Listener> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}`, origin, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`GET /events answered ${response.status}: ${await response.text()}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const arrived = (async () => {
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended before the event');
      text += value;
      if (text.includes('event: check-in.created')) return performance.now();
    }
  })();
  arrived.catch(() => {});
  return { arrived, close: () => abort.abort() };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function removeKeys(prefix: string) {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

export async function benchEvents(database: ScratchDatabase): Promise<Row[]> {
  if (!existsSync(cli)) throw new Error('the BFF is not built: run `npm run build` first');
  const masterKey = randomBytes(32).toString('hex');
  // The bench server seeds the org and signs its users' tokens, then makes way for okr serve.
  const seeder = await startBenchServer(database.url, [100], { OKR_MASTER_KEY: masterKey });
  const { origin } = seeder;
  const org = seeder.orgs[0];
  await seeder.stop();
  if (!org?.checkInTargets[0]) throw new Error('the bench server seeded no org to check in on');
  const prefix = `okrbench:events:${randomBytes(3).toString('hex')}:`;
  const env = {
    DATABASE_URL: database.url,
    OKR_MASTER_KEY: masterKey,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    // The streams this row opens per user are its own load, not a client misbehaving.
    EVENT_STREAMS_PER_USER: '100',
  };
  const instances = [await serve(env), await serve(env)];
  const listeners: Listener[] = [];
  try {
    // One stream first on each, so the memory measured next is the streams', not start-up's.
    const warm = await Promise.all(
      instances.map((instance) => listen(instance.baseUrl, org.users[0]?.token ?? '', origin)),
    );
    warm.forEach((listener) => listener.close());
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = instances.map((instance) => instance.rss());
    for (let i = 0; i < STREAMS; i += 50) {
      const batch = Array.from({ length: Math.min(50, STREAMS - i) }, (_, j) => {
        const user = org.users[(i + j) % org.users.length];
        const instance = instances[(i + j) % instances.length] as Instance;
        return listen(instance.baseUrl, user?.token ?? '', origin);
      });
      listeners.push(...(await Promise.all(batch)));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = instances.map((instance) => instance.rss());

    const target = org.checkInTargets[0];
    const sent = performance.now();
    const answer = await fetch(
      `${instances[0]?.baseUrl}/api/v1/key-results/${target.keyResultId}/check-ins`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${target.token}`,
          origin,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ value: 1 }),
      },
    );
    if (answer.status !== 201) throw new Error(`the check-in answered ${answer.status}`);
    const answered = performance.now() - sent;
    const delays = (await Promise.all(listeners.map((listener) => listener.arrived)))
      .map((at) => at - sent)
      .sort((a, b) => a - b);

    const perStream =
      (after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0)) / STREAMS;
    const section = `events, ${database.dialect}, ${STREAMS} streams on 2 instances + Redis`;
    return [
      // What the writer waited: the events below cannot come sooner than its commit.
      { section, name: 'check-in answered', value: answered, unit: 'ms' },
      { section, name: 'check-in to event, p50', value: percentile(delays, 50), unit: 'ms' },
      { section, name: 'check-in to event, p99', value: percentile(delays, 99), unit: 'ms' },
      { section, name: 'check-in to event, max', value: delays.at(-1) as number, unit: 'ms' },
      {
        section,
        name: 'memory per open stream',
        value: perStream / 1024,
        unit: 'KiB',
        note: `RSS delta over both instances / ${STREAMS}`,
      },
    ];
  } finally {
    listeners.forEach((listener) => listener.close());
    await Promise.all(instances.map((instance) => instance.stop()));
    await removeKeys(prefix);
  }
}
