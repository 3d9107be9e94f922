import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConnectionError, QueryTypes, Sequelize, Transaction } from 'sequelize';
import { repoRoot } from './paths.js';

export type Dialect = 'sqlite' | 'mysql';
export type Tx = Transaction;
type Params = Record<string, unknown>;

/** A statement's kind for the metrics; `WITH` (the recursive tree query) reads. */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'other';
export type StatementListener = (kind: StatementKind, seconds: number) => void;

/** What the pool is doing now, for the metrics (see `poolState`). */
export interface PoolState {
  inUse: number;
  waiting: number;
}

export interface Database {
  readonly dialect: Dialect;
  readonly sequelize: Sequelize;
  /** ` FOR UPDATE` on MySQL; SQLite serialises writers itself (see `transaction`). */
  readonly forUpdate: string;
  select<T>(sql: string, params?: Params, tx?: Tx): Promise<T[]>;
  execute(sql: string, params?: Params, tx?: Tx): Promise<void>;
  /**
   * Runs `work` in one transaction. It runs again (a bounded number of times) when InnoDB picks
   * it as a deadlock victim or when `work` throws `RetryTransaction`.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs statements of one transaction in the order given. MySQL: all are sent at once and the
   * connection runs them one after another (mysql2 queues a connection's queries first in,
   * first out), so a lock taken by one holds for the ones after it and no round trip to Node
   * sits between them. SQLite: one after another, as its driver does not promise the order.
   * Each task must start its statement without awaiting anything first.
   */
  inOrder<T extends readonly unknown[]>(tasks: { [K in keyof T]: () => Promise<T[K]> }): Promise<T>;
  ping(): Promise<void>;
  /** Tells `listener` each statement's kind and duration, once it has answered. */
  onStatement(listener: StatementListener): void;
  /**
   * MySQL: the pool's connections lent out, and the requests waiting for one. SQLite has no
   * pool; what waits there is a writer: the write transaction holding this process's write
   * lock (0 or 1), and those queued behind it.
   */
  poolState(): PoolState;
  /** Runs `listener` when the database closes: work that lives as long as the pool stops with it. */
  onClose(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * Thrown by a transaction's work when what it read before taking its locks has changed since
 * (a re-parent moved the goal chain it locked): the transaction rolls back and runs again.
 */
export class RetryTransaction extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryTransaction';
  }
}

/** `sqlite:relative/or/absolute.sqlite` → an absolute path (relative to the repository root). */
export function sqlitePath(url: string): string {
  const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return file === ':memory:' ? file : path.resolve(repoRoot, file);
}

/** A promise chain that lets one SQLite write transaction run at a time in this process. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  /** Work given and not yet settled: the one holding the lock and those queued behind it. */
  pending = 0;
  run<T>(work: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(work);
    this.tail = result.then(
      () => {
        this.pending -= 1;
      },
      () => {
        this.pending -= 1;
      },
    );
    return result;
  }
}

function kindOf(sql: string): StatementKind {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  if (word === 'select' || word === 'with') return 'select';
  if (word === 'insert' || word === 'update' || word === 'delete') return word;
  return 'other';
}

/** Statements sent together by `inOrder`, which the connection runs one after another. */
interface Batch {
  lastDone: number;
}

interface PoolCounts {
  using: number;
  waiting: number;
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
      hooks: {
        // READ COMMITTED, once per connection rather than one more statement per transaction:
        // after waiting for a row lock, a statement sees what the other transaction committed,
        // so a roll-up never computes from a stale snapshot, and no gap locks are taken.
        afterConnect: (connection) =>
          new Promise<void>((resolve, reject) => {
            (connection as { query(sql: string, done: (error: Error | null) => void): void }).query(
              'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
              (error) => (error ? reject(error) : resolve()),
            );
          }),
      },
    });
  }
  const closeListeners: Array<() => void> = [];
  const statementListeners: StatementListener[] = [];
  const writers = new Mutex();
  // Set only while `inOrder` starts its tasks (each starts its statement at once, see there).
  let startingBatch: Batch | undefined;

  /**
   * Times a statement from its start to its answer. In a batch the connection runs statement n
   * only once n − 1 has answered, so its own time starts there, not when it was queued.
   */
  function timed<T>(sql: string, run: () => Promise<T>): Promise<T> {
    if (statementListeners.length === 0) return run();
    const batch = startingBatch;
    const started = performance.now();
    const report = () => {
      const done = performance.now();
      const from = batch ? Math.max(started, batch.lastDone) : started;
      if (batch) batch.lastDone = done;
      const kind = kindOf(sql);
      for (const listener of statementListeners) listener(kind, (done - from) / 1000);
    };
    return run().then(
      (result) => {
        report();
        return result;
      },
      (error: unknown) => {
        report();
        throw error;
      },
    );
  }

  return {
    dialect,
    sequelize,
    forUpdate: dialect === 'mysql' ? ' FOR UPDATE' : '',
    async select<T>(sql: string, params: Params = {}, tx?: Tx) {
      const rows = await timed(sql, () =>
        sequelize.query(sql, { replacements: params, type: QueryTypes.SELECT, transaction: tx }),
      );
      return rows as T[];
    },
    async execute(sql: string, params: Params = {}, tx?: Tx) {
      await timed(sql, () =>
        sequelize.query(sql, { replacements: params, transaction: tx, raw: true }),
      );
    },
    transaction<T>(work: (tx: Tx) => Promise<T>) {
      if (dialect === 'sqlite') {
        // Sequelize gives each SQLite transaction its own connection; concurrent ones would
        // fail with SQLITE_BUSY, so writers queue here and take the lock up front. The
        // transaction is exclusive from its first statement: nothing it read can move.
        return retry(() =>
          writers.run(() => sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, work)),
        );
      }
      // The isolation level was set when the connection was made (see afterConnect).
      return retry(() => sequelize.transaction(work));
    },
    async inOrder<T extends readonly unknown[]>(tasks: {
      [K in keyof T]: () => Promise<T[K]>;
    }): Promise<T> {
      const list = tasks as unknown as Array<() => Promise<unknown>>;
      if (dialect === 'mysql') {
        startingBatch = { lastDone: 0 };
        let sent: Array<Promise<unknown>>;
        try {
          sent = list.map((task) => task());
        } finally {
          startingBatch = undefined;
        }
        return (await Promise.all(sent)) as unknown as T;
      }
      const results: unknown[] = [];
      for (const task of list) results.push(await task());
      return results as unknown as T;
    },
    async ping() {
      await sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
    },
    onStatement(listener) {
      statementListeners.push(listener);
    },
    poolState() {
      if (dialect === 'sqlite') {
        return { inUse: Math.min(1, writers.pending), waiting: Math.max(0, writers.pending - 1) };
      }
      const pool = (sequelize.connectionManager as unknown as { pool?: PoolCounts }).pool;
      return { inUse: pool?.using ?? 0, waiting: pool?.waiting ?? 0 };
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    async close() {
      for (const listener of closeListeners.splice(0)) listener();
      statementListeners.length = 0;
      await sequelize.close();
    },
  };
}

/**
 * InnoDB may pick a transaction as a deadlock victim; running it again is the documented fix.
 * A transaction that found its locked rows moved runs again the same way.
 */
async function retry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { parent?: { code?: string } }).parent?.code;
      const again = code === 'ER_LOCK_DEADLOCK' || error instanceof RetryTransaction;
      if (attempt >= attempts || !again) throw error;
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
