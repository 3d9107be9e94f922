import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConnectionError, QueryTypes, Sequelize, Transaction } from 'sequelize';
import { beginIsPending, lazyTransaction, StatementBatch, takeBatchCommit } from './db-batch.js';
import { repoRoot } from './paths.js';
import { useLastingSqliteHandles } from './sqlite-connections.js';

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
   * Runs statements of one transaction in the order given. MySQL: the statements the tasks
   * start go to the server as one multi-statement query (db-batch.ts), so a lock taken by one
   * holds for the ones after it and neither a round trip nor Node sits between them. SQLite:
   * one after another, as its driver does not promise the order. Each task must start its
   * statement, with the transaction, without awaiting anything first; an `inOrder` inside a
   * task joins the batch being started. A statement a task sends after awaiting is sent alone.
   * `commit`: these are the transaction's last statements; on MySQL its COMMIT goes out with
   * them, so its locks are released without one more round trip (SQLite commits as usual when
   * the transaction's work returns). Nothing may be sent on the transaction afterwards.
   */
  inOrder<T extends readonly unknown[]>(
    tasks: { [K in keyof T]: () => Promise<T[K]> },
    options?: { commit?: Tx },
  ): Promise<T>;
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
    sequelize = new Sequelize({ dialect: 'sqlite', storage, logging: false });
    useLastingSqliteHandles(sequelize);
  } else {
    sequelize = new Sequelize(url.replace(/^mariadb:/, 'mysql:'), {
      dialect: 'mysql',
      logging: false,
      timezone: '+00:00',
      // multipleStatements: `inOrder` sends a transaction's statements as one query (db-batch.ts).
      // typeCast: mysql2's own. Sequelize's hook only re-parses DATE, DATETIME and GEOMETRY,
      // which no column here has, yet it made mysql2 build a wrapper object with three closures
      // for every field of every row. DATE stays a string, as Sequelize gives it.
      dialectOptions: {
        decimalNumbers: true,
        connectTimeout: 5_000,
        multipleStatements: true,
        typeCast: true,
        dateStrings: ['DATE'],
      },
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
  let startingBatch: StatementBatch | undefined;

  /** Times statements from their start to their answer; a batch's time is shared evenly. */
  function timed<T>(statements: string[], run: () => Promise<T>): Promise<T> {
    if (statementListeners.length === 0 || statements.length === 0) return run();
    const started = performance.now();
    const report = () => {
      const each = (performance.now() - started) / 1000 / statements.length;
      for (const sql of statements) {
        const kind = kindOf(sql);
        for (const listener of statementListeners) listener(kind, each);
      }
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

  /**
   * MySQL: a statement of `tx` goes in a batch while `inOrder` starts one, or while `tx` has not
   * started yet (its START TRANSACTION then goes in front of it, in the same query).
   */
  const goesInBatch = (tx: Tx | undefined): tx is Tx =>
    tx !== undefined && (startingBatch !== undefined || beginIsPending(tx));

  async function batched(sql: string, params: Params, tx: Tx) {
    if (startingBatch) return startingBatch.add(sql, params, tx);
    const batch = new StatementBatch(tx);
    const result = batch.add(sql, params, tx);
    // Awaited below, once the batch has answered.
    result.catch(() => undefined);
    await timed(batch.statements, () => batch.send(sequelize));
    return result;
  }

  return {
    dialect,
    sequelize,
    forUpdate: dialect === 'mysql' ? ' FOR UPDATE' : '',
    async select<T>(sql: string, params: Params = {}, tx?: Tx) {
      if (goesInBatch(tx)) return (await batched(sql, params, tx)) as T[];
      const rows = await timed([sql], () =>
        sequelize.query(sql, { replacements: params, type: QueryTypes.SELECT, transaction: tx }),
      );
      return rows as T[];
    },
    async execute(sql: string, params: Params = {}, tx?: Tx) {
      if (goesInBatch(tx)) {
        await batched(sql, params, tx);
        return;
      }
      await timed([sql], () =>
        sequelize.query(sql, { replacements: params, transaction: tx, raw: true }),
      );
    },
    transaction<T>(work: (tx: Tx) => Promise<T>) {
      if (dialect === 'sqlite') {
        // Writers queue here (they share one handle, see sqlite-connections.ts) and take the
        // lock up front: the transaction is exclusive from its first statement, so nothing it
        // read can move, and another process's writer waits for it rather than failing.
        return retry(() =>
          writers.run(() => sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, work)),
        );
      }
      // The isolation level was set when the connection was made (see afterConnect). Managed
      // here rather than by Sequelize: a batch may have sent the COMMIT already (`inOrder`).
      return retry(async () => {
        const tx = await lazyTransaction(sequelize);
        const finished = () => (tx as unknown as { finished?: string }).finished !== undefined;
        try {
          const result = await work(tx);
          if (!finished()) await tx.commit();
          return result;
        } catch (error) {
          // Sequelize has rolled a deadlock victim back already.
          if (!finished()) await tx.rollback().catch(() => undefined);
          throw error;
        } finally {
          // Its connection back to the pool, as Sequelize's own commit would have done.
          if (takeBatchCommit(tx)) await (tx as unknown as { cleanup(): Promise<void> }).cleanup();
        }
      });
    },
    async inOrder<T extends readonly unknown[]>(
      tasks: { [K in keyof T]: () => Promise<T[K]> },
      options: { commit?: Tx } = {},
    ): Promise<T> {
      const list = tasks as unknown as Array<() => Promise<unknown>>;
      if (dialect === 'mysql') {
        // Inside a task of an outer `inOrder`: these statements join its batch, in order.
        if (startingBatch) return (await Promise.all(list.map((task) => task()))) as unknown as T;
        const batch = new StatementBatch(options.commit, options.commit !== undefined);
        startingBatch = batch;
        let started: Array<Promise<unknown>>;
        try {
          // A task that throws before its statement fails in its place; the rest still run.
          started = list.map((task) => {
            try {
              return task();
            } catch (error) {
              return Promise.reject(error);
            }
          });
        } finally {
          startingBatch = undefined;
        }
        const results = Promise.all(started);
        // Awaited below, once the batch has answered: a task that failed early is not unhandled.
        let failedEarly = false;
        results.catch(() => {
          failedEarly = true;
        });
        if (options.commit) {
          // A COMMIT goes out only if no task failed before its statement was sent: every
          // promise chain started above has settled once the microtask queue has run dry.
          await new Promise((resolve) => setImmediate(resolve));
          if (failedEarly) batch.abandon();
        }
        await timed(batch.statements, () => batch.send(sequelize));
        return (await results) as unknown as T;
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
