import type { QueryInterface } from 'sequelize';
import type { Database } from './db.js';
import * as initialSchema from '../migrations/001-initial-schema.js';
import * as goalTitleSearch from '../migrations/004-reads-goal-title-search.js';

interface Migration {
  name: string;
  up(qi: QueryInterface): Promise<void>;
}

/** In order; a migration, once released, is never edited: add a new one instead. */
const migrations: Migration[] = [initialSchema, goalTitleSearch];

/** Applies what is missing and records each in `schema_migrations`; returns what it applied. */
export async function migrate(db: Database): Promise<string[]> {
  await db.execute(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(255) NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)',
  );
  const rows = await db.select<{ name: string }>('SELECT name FROM schema_migrations');
  const applied = new Set(rows.map((row) => row.name));
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    await migration.up(db.sequelize.getQueryInterface());
    await db.execute('INSERT INTO schema_migrations (name, applied_at) VALUES (:name, :now)', {
      name: migration.name,
      now: Date.now(),
    });
    done.push(migration.name);
  }
  return done;
}
