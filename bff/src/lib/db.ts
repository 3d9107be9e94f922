import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConnectionError, QueryTypes, Sequelize, Transaction } from 'sequelize';
import { repoRoot } from './paths.js';

export type Dialect = 'sqlite' | 'mysql';
export type Tx = Transaction;
type Params = Record<string, unknown>;

export interface Database {
  readonly dialect: Dialect;
  readonly sequelize: Sequelize;
  /** ` FOR UPDATE` on MySQL; SQLite serialises writers itself (see `transaction`). */
  readonly forUpdate: string;
  select<T>(sql: string, params?: Params, tx?: Tx): Promise<T[]>;
  execute(sql: string, params?: Params, tx?: Tx): Promise<void>;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `sqlite:relative/or/absolute.sqlite` → an absolute path (relative to the repository root). */
export function sqlitePath(url: string): string {
  const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return file === ':memory:' ? file : path.resolve(repoRoot, file);
}

/** A promise chain that lets one SQLite write transaction run at a time in this process. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export function createDatabase(url: string): Database {
  const dialect: Dialect = url.startsWith('sqlite:') ? 'sqlite' : 'mysql';
  let sequelize: Sequelize;
  if (dialect === 'sqlite') {
    const storage = sqlitePath(url);
    if (storage !== ':memory:') mkdirSync(path.dirname(storage), { recursive: true });
    sequelize = new Sequelize({
      dialect: 'sqlite',
      storage,
      logging: false,
      hooks: {
        // Other processes (the CLI next to a running server) may hold the write lock briefly.
        // WAL lets readers go on while a check-in commits.
        afterConnect: (connection) => {
          const sqlite = connection as {
            configure(option: 'busyTimeout', ms: number): void;
            run(sql: string): void;
          };
          sqlite.configure('busyTimeout', 10_000);
          sqlite.run('PRAGMA journal_mode = WAL');
        },
      },
    });
  } else {
    sequelize = new Sequelize(url.replace(/^mariadb:/, 'mysql:'), {
      dialect: 'mysql',
      logging: false,
      timezone: '+00:00',
      dialectOptions: { decimalNumbers: true, connectTimeout: 5_000 },
      pool: { max: 10, min: 0, acquire: 10_000, idle: 10_000 },
    });
  }
  const writers = new Mutex();

  return {
    dialect,
    sequelize,
    forUpdate: dialect === 'mysql' ? ' FOR UPDATE' : '',
    async select<T>(sql: string, params: Params = {}, tx?: Tx) {
      const rows = await sequelize.query(sql, {
        replacements: params,
        type: QueryTypes.SELECT,
        transaction: tx,
      });
      return rows as T[];
    },
    async execute(sql: string, params: Params = {}, tx?: Tx) {
      await sequelize.query(sql, { replacements: params, transaction: tx, raw: true });
    },
    transaction<T>(work: (tx: Tx) => Promise<T>) {
      if (dialect === 'sqlite') {
        // Sequelize gives each SQLite transaction its own connection; concurrent ones would
        // fail with SQLITE_BUSY, so writers queue here and take the lock up front.
        return writers.run(() =>
          sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, work),
        );
      }
      // READ COMMITTED: after waiting for a row lock, a statement sees what the other
      // transaction committed, so progress propagation never computes from a stale snapshot.
      return retryOnDeadlock(() =>
        sequelize.transaction(
          { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED },
          work,
        ),
      );
    },
    async ping() {
      await sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
    },
    async close() {
      await sequelize.close();
    },
  };
}

/** InnoDB may pick a transaction as a deadlock victim; running it again is the documented fix. */
async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { parent?: { code?: string } }).parent?.code;
      if (attempt >= attempts || code !== 'ER_LOCK_DEADLOCK') throw error;
    }
  }
}

/** True when the database refused a row because of a unique index. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && error.name === 'SequelizeUniqueConstraintError';
}

const unavailableCodes = new Set([
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_MISUSE',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'EPIPE',
  'ER_SERVER_SHUTDOWN',
]);

/** True when the database, not the request, is the problem: answer 503, not 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  if (!(error instanceof Error)) return false;
  const cause = (error as { parent?: { code?: string; fatal?: boolean } }).parent;
  const code = cause?.code ?? (error as { code?: string }).code;
  // mysql2 marks errors that leave the connection unusable as fatal; some have no code, such as
  // a pooled connection the server dropped being asked for one more query.
  const fatal = cause?.fatal === true || (error as { fatal?: boolean }).fatal === true;
  return (
    fatal ||
    (code !== undefined && unavailableCodes.has(code)) ||
    /connection manager was closed|database is closed|in closed state/i.test(error.message)
  );
}
