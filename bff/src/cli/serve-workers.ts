import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import type { Config } from '../lib/config.js';
import { createDatabase } from '../lib/db.js';
import type { Logger } from '../lib/logger.js';
import { checkMasterKey, type MasterKeySource } from '../lib/master-key.js';
import { listenForMetrics, type MetricsListener } from '../lib/metrics.js';
import { migrate } from '../lib/migrate.js';

/** More than this many restarts within the window is a crash loop: give up, exit 1. */
export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 60_000;

export interface PrimaryOptions {
  config: Config;
  logger: Logger;
  masterKeySource: MasterKeySource;
  workers: number;
  /** Told the API's URL (and the metrics', with METRICS_PORT) once every worker listens. */
  onListening(url: string, metricsUrl: string | undefined): void;
}

/**
 * The primary of `okr serve --workers N`: it migrates once, forks N workers that share the API's
 * port (each builds its own app), restarts one that dies, serves the sum of every worker's
 * metrics on METRICS_PORT, and on SIGTERM or SIGINT lets every worker drain, then exits 0.
 */
export async function runPrimary({
  config,
  logger,
  masterKeySource,
  workers,
  onListening,
}: PrimaryOptions): Promise<void> {
  // Once, before any worker starts: N workers migrating at once would only queue on the lock,
  // and a wrong master key should stop the start here with one message, not N.
  const db = createDatabase(config.databaseUrl);
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    await checkMasterKey(db, config, masterKeySource, false);
  } finally {
    await db.close();
  }

  const registry = new Registry();
  const alive = new Gauge({ name: 'cluster_workers', help: 'Workers running', registers: [] });
  const restarts = new Counter({
    name: 'cluster_worker_restarts_total',
    help: 'Workers that died and were started again',
    registers: [],
  });
  registry.registerMetric(alive);
  registry.registerMetric(restarts);
  const aggregator = new AggregatorRegistry();

  let metrics: MetricsListener | undefined;
  if (config.metricsPort !== undefined) {
    metrics = await listenForMetrics(config.metricsPort, config.host, async () => ({
      contentType: aggregator.contentType,
      body: `${await aggregator.clusterMetrics()}\n${await registry.metrics()}`,
    }));
  }

  const recentRestarts: number[] = [];
  let stopping = false;
  let announced = false;
  const listening = new Set<number>();

  const fork = () => {
    const worker = cluster.fork();
    worker.on('listening', (address) => {
      listening.add(worker.id);
      alive.set(listening.size);
      if (!announced && listening.size === workers) {
        announced = true;
        onListening(
          `http://localhost:${address.port}`,
          metrics && `http://localhost:${metrics.port}/metrics`,
        );
      }
    });
    return worker;
  };

  await new Promise<void>((resolve, reject) => {
    cluster.on('exit', (worker: Worker, code, signal) => {
      listening.delete(worker.id);
      alive.set(listening.size);
      if (stopping) {
        // A worker whose IPC channel closes after its exit is still listed at its 'exit', so
        // count the dead rather than the listed (the last exit once left the primary waiting).
        if (Object.values(cluster.workers ?? {}).every((other) => !other || other.isDead())) {
          resolve();
        }
        return;
      }
      const now = Date.now();
      recentRestarts.push(now);
      while (recentRestarts[0]! < now - RESTART_WINDOW_MS) recentRestarts.shift();
      if (recentRestarts.length > MAX_RESTARTS) {
        stopping = true;
        for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
        reject(
          new Error(
            `workers keep dying (${recentRestarts.length} exits within ${RESTART_WINDOW_MS / 1000} s, the last with ${signal ?? `code ${code}`}); stopped. Their log lines above say why.`,
          ),
        );
        return;
      }
      logger.warn({ pid: worker.process.pid, code, signal }, 'a worker died; starting another');
      restarts.inc();
      fork();
    });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        if (stopping) return;
        stopping = true;
        logger.info({ workers: listening.size }, 'shutting down: draining every worker');
        const running = Object.values(cluster.workers ?? {});
        if (running.length === 0) resolve();
        for (const worker of running) worker?.process.kill('SIGTERM');
        // Each worker drains within SHUTDOWN_GRACE_MS itself; one that hangs past it goes.
        setTimeout(() => {
          for (const worker of Object.values(cluster.workers ?? {}))
            worker?.process.kill('SIGKILL');
        }, config.shutdownGraceMs + 5_000).unref();
      });
    }
    for (let i = 0; i < workers; i++) fork();
  }).finally(() => metrics?.close());
  logger.info('stopped');
}

/** In a worker: answer the primary's requests for this worker's metrics. */
export function answerMetricsRequests(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  // The constructor is what installs the worker's listener for the primary's requests.
  new AggregatorRegistry();
}
