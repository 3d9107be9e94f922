import type { Sequelize } from 'sequelize';

/** The parts of node-sqlite3's `Database` that are used here. */
interface SqliteHandle {
  configure(option: 'busyTimeout', ms: number): void;
  run(sql: string, done: (error: Error | null) => void): void;
  close(done?: (error: Error | null) => void): void;
}

/** The parts of Sequelize's SQLite connection manager that are replaced here. */
interface SqliteConnectionManager {
  connections: Record<string, SqliteHandle>;
  getConnection(options?: { uuid?: string }): Promise<SqliteHandle>;
  releaseConnection(connection: SqliteHandle, force?: boolean): void;
  destroyConnection(connection: SqliteHandle): Promise<void>;
}

/** Every transaction's handle: this process runs one SQLite transaction at a time. */
const WRITER = 'okr-writer';

/** Long enough for the CLI next to a running server to finish its write. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Sequelize's SQLite driver opens a new database handle for every transaction and closes it at
 * the end, so each check-in paid an open, the schema's parse and a fresh page cache (and left
 * the native heap fragmented); and it never runs the `afterConnect` hook, so no handle got a
 * busy timeout or WAL. Here every handle is set up once when it opens, and transactions share
 * one writer handle that stays open: `Database.transaction` queues SQLite writers, so it is
 * never in two transactions at once. Reads outside transactions keep their own handle, which
 * WAL lets go on while the writer commits.
 */
export function useLastingSqliteHandles(sequelize: Sequelize): void {
  const manager = sequelize.connectionManager as unknown as SqliteConnectionManager;
  const open = manager.getConnection.bind(manager);
  const release = manager.releaseConnection.bind(manager);
  const destroy = manager.destroyConnection.bind(manager);
  const ready = new WeakMap<SqliteHandle, Promise<void>>();

  manager.getConnection = async (options = {}) => {
    const inTransaction = options.uuid !== undefined && options.uuid !== 'default';
    const handle = await open({ ...options, uuid: inTransaction ? WRITER : options.uuid });
    let setUp = ready.get(handle);
    if (!setUp) {
      handle.configure('busyTimeout', BUSY_TIMEOUT_MS);
      // WAL is kept in the file, so one handle that sets it is enough. Switching needs the
      // file to itself and answers SQLITE_BUSY at once, without the busy timeout, while another
      // process holds a lock (two `okr migrate` on a new file): this handle then works in the
      // file's mode, and the next handle to open switches it.
      setUp = new Promise<void>((resolve, reject) =>
        handle.run('PRAGMA journal_mode = WAL', (error) =>
          error && (error as { code?: string }).code !== 'SQLITE_BUSY' ? reject(error) : resolve(),
        ),
      );
      ready.set(handle, setUp);
    }
    await setUp;
    return handle;
  };

  // A transaction hands its handle back when it ends; the writer's stays open for the next one.
  manager.releaseConnection = (connection, force) => {
    if (connection === manager.connections[WRITER] && force !== true) return;
    release(connection, force);
  };

  // A transaction whose COMMIT or ROLLBACK failed is in a state nobody knows: its handle goes,
  // and the next transaction opens a new one.
  manager.destroyConnection = async (connection) => {
    if (connection !== manager.connections[WRITER]) return destroy(connection);
    delete manager.connections[WRITER];
    await new Promise<void>((resolve) => connection.close(() => resolve()));
  };
}
