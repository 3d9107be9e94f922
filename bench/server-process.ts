import { fork, type Serializable } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeEnv, nodeFlags } from '../bff/bin/node-flags.mjs';
import type { BenchServerReady } from './bff-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BenchServer extends BenchServerReady {
  pid: number;
  baseUrl: string;
  /** Resident set size of the server process, from /proc (bytes). */
  rss(): number;
  /** Live JavaScript heap after a full GC in the server (bytes). */
  heapAfterGc(): Promise<number>;
  /** The server's own `process.memoryUsage()`, without a GC first. */
  memoryUsage(): Promise<NodeJS.MemoryUsage>;
  /** CPU time the server process has used, user and system (seconds, from /proc). */
  cpuSeconds(): number;
  /** Writes a heap snapshot of the server to `file`; resolves to its path. */
  heapSnapshot(file: string): Promise<string>;
  /** SQL statements the server has sent since it started listening. */
  statements(): Promise<number>;
  /** Of those, the ones sent while handling a request (not a timer's, like the sweeper's). */
  requestStatements(): Promise<number>;
  /** Records a CPU profile of the server while `work` runs, written to `file`. */
  profile<T>(file: string, work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks bench/bff-server.ts over `databaseUrl` and waits until it listens, with one org per
 * entry of `goals` (that many generated goals each). `env` overrides the server's environment
 * (a master key that another server on the same database must share).
 */
export async function startBenchServer(
  databaseUrl: string,
  goals: number[],
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const child = fork(path.join(here, 'bff-server.ts'), [], {
    // The V8 flags and environment `okr serve` runs with, so that memory and throughput are the
    // product's.
    execArgv: ['--import', 'tsx', '--expose-gc', ...nodeFlags],
    env: {
      ...process.env,
      ...nodeEnv,
      TSX_TSCONFIG_PATH: path.join(here, 'tsconfig.json'),
      DATABASE_URL: databaseUrl,
      OKR_MASTER_KEY: randomBytes(32).toString('hex'),
      BENCH_GOALS: goals.join(','),
      NODE_ENV: 'development',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const ready = await new Promise<BenchServerReady>((resolve, reject) => {
      child.once('message', (message) => resolve(message as BenchServerReady));
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const ask = <T = number>(question: Serializable, field: string) =>
      new Promise<T>((resolve) => {
        const answer = (message: unknown) => {
          const value = (message as Record<string, T | undefined>)[field];
          if (value === undefined) return;
          child.off('message', answer);
          resolve(value);
        };
        child.on('message', answer);
        child.send(question);
      });
    const pid = child.pid;
    if (pid === undefined) throw new Error('bench server has no pid');
    return {
      ...ready,
      pid,
      baseUrl: `http://127.0.0.1:${ready.port}`,
      rss() {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
        if (!kb) throw new Error('no VmRSS for the bench server');
        return Number(kb) * 1024;
      },
      cpuSeconds() {
        // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [utime, stime] = stat
          .slice(stat.lastIndexOf(')') + 2)
          .split(' ')
          .slice(11, 13)
          .map(Number);
        return ((utime ?? 0) + (stime ?? 0)) / 100;
      },
      heapAfterGc: () => ask('heap', 'heapUsed'),
      memoryUsage: () => ask<NodeJS.MemoryUsage>('usage', 'usage'),
      statements: () => ask('statements', 'statements'),
      requestStatements: () => ask('request-statements', 'requestStatements'),
      heapSnapshot: (file) => ask<string>({ heapSnapshot: file }, 'snapshot'),
      async profile(file, work) {
        await ask<boolean>('profile-start', 'profiling');
        try {
          return await work();
        } finally {
          const written = await ask<string>({ profileStop: file }, 'profiled');
          process.stderr.write(`bench: CPU profile of the BFF: ${written}\n`);
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
