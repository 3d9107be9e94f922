import type { QueryInterface, Transaction } from 'sequelize';
import type { Database, Tx } from './db.js';
import { AppError } from './errors.js';
import * as initialSchema from '../migrations/001-initial-schema.js';
import * as instanceSettings from '../migrations/002-instance-settings.js';
import * as goalTitleSearch from '../migrations/003-goal-title-search.js';
import * as authoring from '../migrations/004-authoring.js';

interface Migration {
  name: string;
  up(qi: QueryInterface, options?: { transaction?: Transaction }): Promise<void>;
}

/** In order; a migration, once released, is never edited: add a new one instead. */
const migrations: Migration[] = [initialSchema, instanceSettings, goalTitleSearch, authoring];

/** Every migration's name, in the order they apply. */
export const migrationNames: readonly string[] = migrations.map((m) => m.name);

/** How long a second process waits for the first to finish migrating. */
const LOCK_WAIT_SECONDS = 120;

async function appliedNames(db: Database, tx?: Tx): Promise<Set<string>> {
  const rows = await db.select<{ name: string }>('SELECT name FROM schema_migrations', {}, tx);
  return new Set(rows.map((row) => row.name));
}

/** The migrations this database still lacks; a database never migrated lacks them all. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  let applied: Set<string>;
  try {
    applied = await appliedNames(db);
  } catch (error) {
    // Only a missing table means "never migrated"; anything else (the server is down) is news.
    if (!/no such table|doesn't exist/i.test(error instanceof Error ? error.message : '')) {
      throw error;
    }
    applied = new Set();
  }
  return migrations.map((m) => m.name).filter((name) => !applied.has(name));
}

/** For commands that only read: they never change the schema, they say what to run instead. */
export async function requireMigrated(db: Database): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new AppError(
      'not_migrated',
      `The database lacks migrations (${pending.join(', ')}): run okr migrate first`,
      503,
    );
  }
}

/**
 * Holds the migration lock while `work` runs. MySQL: a named lock (GET_LOCK) on one pooled
 * connection, kept by a transaction that does nothing else, because DDL commits implicitly and
 * must run outside it. SQLite: an immediate transaction, which takes the file's write lock; its
 * DDL is transactional, so every migration runs inside it and a failed one leaves nothing behind.
 */
async function withMigrationLock<T>(
  db: Database,
  work: (tx: Tx | undefined) => Promise<T>,
): Promise<T> {
  if (db.dialect === 'sqlite') return db.transaction((tx) => work(tx));
  return db.sequelize.transaction(async (lockTx) => {
    // GET_LOCK names are server-wide; the database's name keeps two databases apart.
    const [row] = await db.select<{ acquired: number | null }>(
      "SELECT GET_LOCK(CONCAT('okr-embed-migrate:', DATABASE()), :wait) AS acquired",
      { wait: LOCK_WAIT_SECONDS },
      lockTx,
    );
    if (row?.acquired !== 1) {
      throw new AppError(
        'migration_locked',
        `Another process has held the migration lock for ${LOCK_WAIT_SECONDS} s`,
        503,
      );
    }
    try {
      return await work(undefined);
    } finally {
      await db.select(
        "SELECT RELEASE_LOCK(CONCAT('okr-embed-migrate:', DATABASE())) AS released",
        {},
        lockTx,
      );
    }
  });
}

/**
 * Applies what is missing and records each in `schema_migrations`; returns what it applied.
 * Two processes may start at once: the second waits for the lock, then finds nothing to do.
 */
export async function migrate(db: Database): Promise<string[]> {
  await db.execute(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(255) NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)',
  );
  return withMigrationLock(db, async (tx) => {
    const applied = await appliedNames(db, tx);
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await migration.up(db.sequelize.getQueryInterface(), { transaction: tx });
      await db.execute(
        'INSERT INTO schema_migrations (name, applied_at) VALUES (:name, :now)',
        { name: migration.name, now: Date.now() },
        tx,
      );
      done.push(migration.name);
    }
    return done;
  });
}
