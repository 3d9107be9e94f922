import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeEventStreams, createApp } from './app.js';
import { describeConfig, type Config } from './lib/config.js';
import { createDatabase, type Database } from './lib/db.js';
import type { Logger } from './lib/logger.js';
import { checkMasterKey, type MasterKeySource } from './lib/master-key.js';
import { createMetrics, listenForMetrics, type Metrics } from './lib/metrics.js';
import { migrate } from './lib/migrate.js';

export interface RunningServer {
  port: number;
  db: Database;
  /** The configuration it runs with: the master key only when the database's check value agrees. */
  config: Config;
  metrics: Metrics;
  /** The metrics listener's port (METRICS_PORT; a free one when 0), when this server opened it. */
  metricsPort: number | undefined;
  /** The HTTP server itself, for an embedder (the bench) that watches its requests. */
  http: HttpServer;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the pool. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  config: Config;
  logger: Logger;
  /** Where the master key came from; the demo's key file is trusted only by its own database. */
  masterKeySource?: MasterKeySource;
  demo?: boolean;
  homeLinks?: () => Record<string, string>;
  /** Runs after migrations and the master-key check, before listening (demo seeding). */
  prepare?: (db: Database, config: Config) => Promise<void>;
  /** Migrate before listening (default); a cluster worker leaves it to the primary. */
  migrate?: boolean;
  /**
   * Open METRICS_PORT's listener (default). A cluster worker does not: the primary serves the
   * sum of every worker's metrics there.
   */
  metricsListener?: boolean;
}

export async function startServer({
  config: given,
  logger,
  masterKeySource = 'environment',
  demo = false,
  homeLinks,
  prepare,
  migrate: migrateFirst = true,
  metricsListener = true,
}: ServeOptions): Promise<RunningServer> {
  const db = createDatabase(given.databaseUrl);
  let config: Config;
  try {
    if (migrateFirst) {
      const applied = await migrate(db);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    // A wrong master key would turn every HS256 token into a 401: refuse to start instead.
    config = await checkMasterKey(db, given, masterKeySource, demo);
    logger.info({ config: describeConfig(config, masterKeySource) }, 'configuration');
    await prepare?.(db, config);
  } catch (error) {
    await db.close();
    throw error;
  }
  const metrics = createMetrics({ processMetrics: true });
  const app = createApp({ config, db, logger, homeLinks, metrics });
  // Without HOST, Node picks every interface (IPv6 and IPv4 where the machine has both).
  const server = config.host ? app.listen(config.port, config.host) : app.listen(config.port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  let metricsServer: Awaited<ReturnType<typeof listenForMetrics>> | undefined;
  if (metricsListener && config.metricsPort !== undefined) {
    try {
      metricsServer = await listenForMetrics(config.metricsPort, config.host, async () => ({
        contentType: metrics.registry.contentType,
        body: await metrics.registry.metrics(),
      }));
    } catch (error) {
      server.close();
      await db.close();
      throw error;
    }
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down: no new connections, finishing requests in flight');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      closeEventStreams(app);
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await Promise.all([closed, metricsServer?.close()]);
      clearTimeout(grace);
      await db.close();
      logger.info('stopped');
    })();
    return stopping;
  };
  return {
    port: (server.address() as AddressInfo).port,
    db,
    config,
    metrics,
    metricsPort: metricsServer?.port,
    http: server,
    stop,
  };
}
