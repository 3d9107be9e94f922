import { Transaction, type Sequelize } from 'sequelize';
import { formatSql, type SqlDialect } from './sql-template.js';

/*
 * MySQL statement batches: the statements a transaction's `inOrder` starts go to the server as
 * one multi-statement query, i.e. one packet and one round trip, instead of one each. The server
 * runs them in order and stops at the first that fails, so a lock taken by one holds for the
 * ones after it and nothing waits on Node between them. What this saves is what a check-in spends
 * holding its chain's locks: before, mysql2 sent each queued statement only once the one before
 * had answered, a round trip and a socket write per statement.
 *
 * The SQL is the same as one statement at a time: each is formatted with Sequelize's own
 * replacement escaping (sql-template.ts) before the batch is joined, and only statements the BFF
 * wrote itself are ever batched (the connection's `multipleStatements` flag is why no value may
 * be spliced into SQL by hand anywhere: every value goes through replacements).
 */

type Params = Record<string, unknown>;

type BatchResult = unknown[] | { affectedRows: number };

/** A statement started while a batch was being gathered, answered when the batch answers. */
interface Gathered {
  sql: string;
  params: Params;
  resolve(result: BatchResult): void;
  reject(error: unknown): void;
}

interface RawConnection {
  query(
    options: { sql: string; values: null },
    done: (error: (Error & { errno?: number }) | null, results: BatchResult[]) => void,
  ): void;
}

/** What Sequelize's MySQL dialect offers to turn a driver error into its own error classes. */
interface DialectQuery {
  formatError(error: Error, stack?: string): Error;
}

/** Transactions whose START TRANSACTION goes out in front of their first statement. */
const beginPending = new WeakSet<Transaction>();

/**
 * A transaction on a pooled connection whose START TRANSACTION is not sent on its own: it goes
 * out in front of the transaction's first statement, in the same query. A transaction that
 * sends nothing never starts; its COMMIT or ROLLBACK is then a no-op on the server.
 */
export async function lazyTransaction(sequelize: Sequelize): Promise<Transaction> {
  const tx = new Transaction(sequelize, {});
  // Sequelize acquires the connection and calls `begin`; here `begin` only marks it.
  (tx as unknown as { begin(): Promise<void> }).begin = async () => {
    beginPending.add(tx);
  };
  await (
    tx as unknown as { prepareEnvironment(useCls: boolean): Promise<void> }
  ).prepareEnvironment(false);
  return tx;
}

/** True while a transaction has sent nothing yet: its next query must start it. */
export function beginIsPending(tx: Transaction): boolean {
  return beginPending.has(tx);
}

/** Transactions whose COMMIT went out at the end of a batch: nothing is left to send for them. */
const committedInBatch = new WeakSet<Transaction>();

/** True once, for a transaction a batch committed; the caller then releases its connection. */
export function takeBatchCommit(tx: Transaction): boolean {
  return committedInBatch.delete(tx);
}

export class StatementBatch {
  private readonly gathered: Gathered[] = [];

  /** `commit`: the transaction this batch ends with COMMIT, after its last statement. */
  constructor(
    private tx?: Transaction,
    private commit = false,
  ) {}

  /** Keeps a statement for the batch; its promise settles when the batch has run. */
  add(sql: string, params: Params, tx: Transaction): Promise<BatchResult> {
    if (this.tx && this.tx !== tx) {
      return Promise.reject(new Error('a statement batch belongs to one transaction'));
    }
    this.tx = tx;
    return new Promise((resolve, reject) => {
      this.gathered.push({ sql, params, resolve, reject });
    });
  }

  /** Sends nothing after all: a task of the batch failed before the batch went out. */
  abandon(): void {
    const error = new Error('a statement of this batch failed before it was sent');
    for (const statement of this.gathered.splice(0)) statement.reject(error);
    this.commit = false;
  }

  /** The statements gathered, each as sent (START and COMMIT included), for the metrics. */
  get statements(): string[] {
    const sql = this.gathered.map((statement) => statement.sql);
    if (this.tx && beginPending.has(this.tx)) sql.unshift('START TRANSACTION');
    return this.commit ? [...sql, 'COMMIT'] : sql;
  }

  /**
   * Sends every gathered statement as one query over the transaction's connection; each
   * statement's promise gets its own result (rows for a SELECT, a header for a write), or the
   * error of the statement that failed, as Sequelize would have reported it. Resolves once the
   * server has answered; rejects only when a COMMIT asked for did not happen.
   */
  send(sequelize: Sequelize): Promise<void> {
    const { gathered, tx, commit } = this;
    if (!tx || (gathered.length === 0 && !commit)) return Promise.resolve();
    // Kept unformatted: its stack is read only for an error, as Sequelize does.
    const origin = new Error();
    let formatted: string[];
    try {
      const { finished } = tx as unknown as { finished?: string };
      if (finished) throw new Error(`${finished} has been called on this transaction`);
      const { dialect } = sequelize as unknown as { dialect: SqlDialect };
      formatted = gathered.map((statement) =>
        formatSql(statement.sql.trim(), dialect, statement.params),
      );
      if (commit) formatted.push('COMMIT');
    } catch (error) {
      for (const statement of gathered) statement.reject(error);
      return Promise.reject(error);
    }
    // Taken only now that the batch goes out: a batch refused above leaves the START pending.
    const begins = beginPending.delete(tx);
    if (begins) formatted.unshift('START TRANSACTION');
    const connection = (tx as unknown as { connection: RawConnection & { uuid?: string } })
      .connection;
    // Logged one line a statement, as Sequelize logs its own: what counts statements counts these.
    const log = (sequelize as unknown as { log(line: string): void }).log.bind(sequelize);
    for (const sql of formatted) log(`Executing (${connection.uuid ?? 'default'}): ${sql}`);
    return new Promise((settled, failed) => {
      // `values: null`: the text is final, so mysql2 need not scan it for `?` placeholders.
      connection.query({ sql: formatted.join(';\n'), values: null }, (error, results) => {
        if (error) {
          const { Query } = (
            sequelize as unknown as { dialect: { Query: new (...args: unknown[]) => DialectQuery } }
          ).dialect;
          const reported = new Query(connection, sequelize, { transaction: tx }).formatError(
            error,
            origin.stack,
          );
          for (const statement of gathered) statement.reject(reported);
          if (commit) failed(reported);
          else settled();
          return;
        }
        // One statement answers with its result, several with an array of them; a START
        // TRANSACTION in front answers first.
        const each = formatted.length === 1 ? [results as unknown as BatchResult] : results;
        const offset = begins ? 1 : 0;
        gathered.forEach((statement, i) => statement.resolve(each[i + offset] as BatchResult));
        if (commit) {
          // As Sequelize's own commit marks it: no statement may follow on this transaction.
          (tx as unknown as { finished: string }).finished = 'commit';
          committedInBatch.add(tx);
        }
        settled();
      });
    });
  }
}
