import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import type { Database, StatementKind } from './db.js';
import { AppError } from './errors.js';
import { TtlCache } from './ttl-cache.js';

/**
 * What an operator watches, in one registry per app: never prom-client's global one, so two apps
 * in one process (tests) count apart. No label ever carries an org, a slug or a user: labels are
 * fixed sets (methods, status classes, statement kinds, cache names) or route templates.
 */
export interface Metrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string | null, status: number, seconds: number): void;
  /** A 429: `limit` says which limit (`per_user`, `auth_failures`, or another 429's code). */
  countRefusal(limit: string): void;
  /** Statement durations and pool state come from this database, read on scrape. */
  watchDatabase(db: Database): void;
  /** Hit and miss counters of every TtlCache in `caches`, named by their path (`views.card`). */
  watchCaches(caches: object): void;
  /** For the event streams: open streams on this instance, events published and delivered. */
  readonly eventStreamsOpen: Gauge;
  readonly eventsPublished: Counter<'type'>;
  readonly eventsDelivered: Counter<'type'>;
  /** Shared state's Redis: 1 up, 0 down; the series exists only once it is set (REDIS_URL). */
  setRedisUp(up: boolean): void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Requests no route matched (refused before routing, 404s, static files) share one label. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface MetricsOptions {
  /**
   * prom-client's process metrics (CPU, memory, event loop lag, `process_pid`…). Only for a
   * real server process: they are per process, not per app, and each set starts a monitor.
   */
  processMetrics?: boolean;
}

export function createMetrics({ processMetrics = false }: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const statements = new Histogram({
    name: 'db_statement_duration_seconds',
    help: 'SQL statements by dialect and kind; a statement batched behind others (db.inOrder) counts from when the one before it finished',
    labelNames: ['dialect', 'statement'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const refusals = new Counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests refused with 429, by the limit that refused them',
    labelNames: ['limit'] as const,
    registers,
  });
  const databases: Database[] = [];
  const poolGauge = (name: string, help: string, pick: (db: Database) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['dialect'] as const,
      registers,
      collect() {
        this.reset();
        for (const db of databases) this.inc({ dialect: db.dialect }, pick(db));
      },
    });
  poolGauge(
    'db_pool_in_use',
    'MySQL: pool connections lent out; SQLite: write transactions holding the write lock',
    (db) => db.poolState().inUse,
  );
  poolGauge(
    'db_pool_waiting',
    'MySQL: requests waiting for a pool connection; SQLite: write transactions queued for the write lock',
    (db) => db.poolState().waiting,
  );

  const cacheSources: object[] = [];
  const cacheCounter = (name: string, help: string, pick: (cache: TtlCache<unknown>) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['cache'] as const,
      registers,
      collect() {
        this.reset();
        for (const source of cacheSources) {
          for (const [cache, counted] of namedCaches(source)) this.inc({ cache }, pick(counted));
        }
      },
    });
  cacheCounter(
    'cache_hits_total',
    'In-memory cache lookups answered from the cache',
    (c) => c.hits,
  );
  cacheCounter('cache_misses_total', 'In-memory cache lookups that missed', (c) => c.misses);

  const eventStreamsOpen = new Gauge({
    name: 'event_streams_open',
    help: 'Server-Sent Event streams open on this instance',
    registers,
  });
  const eventsPublished = new Counter({
    name: 'events_published_total',
    help: 'Live events published by this instance, by type',
    labelNames: ['type'] as const,
    registers,
  });
  const eventsDelivered = new Counter({
    name: 'events_delivered_total',
    help: 'Live events written to streams on this instance, by type',
    labelNames: ['type'] as const,
    registers,
  });
  // Not registered until shared state reports: without REDIS_URL there is no such series.
  const redisUp = new Gauge({
    name: 'redis_up',
    help: 'Shared state in Redis: 1 up, 0 down (absent without REDIS_URL)',
    registers: [],
    // Across workers, Redis is up only if every worker reaches it.
    aggregator: 'min',
  });

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.observe(
        {
          method: METHODS.has(method) ? method : 'OTHER',
          route: route ?? UNMATCHED_ROUTE,
          status_class: `${Math.floor(status / 100)}xx`,
        },
        seconds,
      );
    },
    countRefusal(limit) {
      refusals.inc({ limit });
    },
    watchDatabase(db) {
      databases.push(db);
      db.onStatement((statement: StatementKind, seconds: number) =>
        statements.observe({ dialect: db.dialect, statement }, seconds),
      );
    },
    watchCaches(caches) {
      cacheSources.push(caches);
    },
    eventStreamsOpen,
    eventsPublished,
    eventsDelivered,
    setRedisUp(up) {
      if (!registry.getSingleMetric('redis_up')) registry.registerMetric(redisUp);
      redisUp.set(up ? 1 : 0);
    },
  };
}

/**
 * Every TtlCache under `source`, named by its path of keys: plain objects are walked, and an
 * object that keeps its caches inside shows them through a `ttlCaches` getter (ViewCache) or
 * its one cache through `ttlCache` (LookupTtlCache).
 */
export function namedCaches(source: object, prefix = ''): Array<[string, TtlCache<unknown>]> {
  const found: Array<[string, TtlCache<unknown>]> = [];
  for (const [key, value] of Object.entries(source)) {
    const name = `${prefix}${key}`;
    if (value instanceof TtlCache) found.push([name, value as TtlCache<unknown>]);
    else if (typeof value !== 'object' || value === null) continue;
    else if ('ttlCache' in value && value.ttlCache instanceof TtlCache)
      found.push([name, value.ttlCache as TtlCache<unknown>]);
    else if ('ttlCaches' in value && typeof value.ttlCaches === 'object' && value.ttlCaches)
      found.push(...namedCaches(value.ttlCaches, `${name}.`));
    else if (Object.getPrototypeOf(value) === Object.prototype)
      found.push(...namedCaches(value, `${name}.`));
  }
  return found;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // Compared in constant time; only the length (not secret) leaks.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `GET /metrics` on the API's port, for a bearer of METRICS_TOKEN only. */
export function metricsWithToken(metrics: Metrics, token: string): RequestHandler {
  return async (req, res) => {
    const given = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (given === undefined || !sameSecret(given, token)) {
      throw new AppError('unauthorized', 'The metrics need Authorization: Bearer <token>', 401);
    }
    res.set('Cache-Control', 'no-store').type(metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  };
}

/** What one registry reports as JSON: what a worker sends the primary to be summed. */
export type RegistryDump = MetricObjectWithValues<MetricValue<string>>[];

export interface MetricsListener {
  port: number;
  close(): Promise<void>;
}

/**
 * `GET /metrics` on a port of its own, beside the API (same host), so that only whoever can
 * reach that port scrapes; every other path is a 404 in the API's error shape.
 */
export async function listenForMetrics(
  port: number,
  host: string | undefined,
  render: () => Promise<{ contentType: string; body: string }>,
): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      render().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
          res.end(body);
        },
        () => {
          res.writeHead(503, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              error: {
                code: 'metrics_unavailable',
                message: 'The metrics could not be gathered',
                requestId: randomUUID(),
              },
            }),
          );
        },
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { code: 'not_found', message: 'Only GET /metrics here', requestId: randomUUID() },
      }),
    );
  });
  if (host) server.listen(port, host);
  else server.listen(port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
