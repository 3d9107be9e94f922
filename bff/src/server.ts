import type { AddressInfo } from 'node:net';
import { closeEventStreams, createApp } from './app.js';
import { describeConfig, type Config } from './lib/config.js';
import { createDatabase, type Database } from './lib/db.js';
import type { Logger } from './lib/logger.js';
import { checkMasterKey, type MasterKeySource } from './lib/master-key.js';
import { migrate } from './lib/migrate.js';

export interface RunningServer {
  port: number;
  db: Database;
  /** The configuration it runs with: the master key only when the database's check value agrees. */
  config: Config;
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
}

export async function startServer({
  config: given,
  logger,
  masterKeySource = 'environment',
  demo = false,
  homeLinks,
  prepare,
}: ServeOptions): Promise<RunningServer> {
  const db = createDatabase(given.databaseUrl);
  let config: Config;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    // A wrong master key would turn every HS256 token into a 401: refuse to start instead.
    config = await checkMasterKey(db, given, masterKeySource, demo);
    logger.info({ config: describeConfig(config, masterKeySource) }, 'configuration');
    await prepare?.(db, config);
  } catch (error) {
    await db.close();
    throw error;
  }
  const app = createApp({ config, db, logger, homeLinks });
  // Without HOST, Node picks every interface (IPv6 and IPv4 where the machine has both).
  const server = config.host ? app.listen(config.port, config.host) : app.listen(config.port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down: no new connections, finishing requests in flight');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      closeEventStreams(app);
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      await db.close();
      logger.info('stopped');
    })();
    return stopping;
  };
  return { port: (server.address() as AddressInfo).port, db, config, stop };
}
