/**
 * Scratch databases for one benchmark run: a SQLite file in a temporary folder, and a uniquely
 * named MariaDB database on the server in BENCH_MYSQL_URL (default: the local test server).
 * Each is dropped by its `drop()`, which run.ts calls even when a measurement fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Sequelize } from 'sequelize';

export interface ScratchDatabase {
  dialect: 'sqlite' | 'mariadb';
  url: string;
  drop(): Promise<void>;
}

export const mysqlServerUrl =
  process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export function scratchSqlite(): ScratchDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'okr-bench-'));
  return {
    dialect: 'sqlite',
    url: `sqlite:${path.join(dir, 'bench.sqlite')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function scratchMariaDb(): Promise<ScratchDatabase> {
  const name = `okr_bench_${randomBytes(6).toString('hex')}`;
  const admin = new Sequelize(mysqlServerUrl, { dialect: 'mysql', logging: false });
  try {
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  } finally {
    await admin.close();
  }
  const url = new URL(mysqlServerUrl);
  url.pathname = `/${name}`;
  return {
    dialect: 'mariadb',
    url: url.toString(),
    async drop() {
      const dropper = new Sequelize(mysqlServerUrl, { dialect: 'mysql', logging: false });
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await dropper.close();
      }
    },
  };
}

/** The SQLite the sqlite3 binding was built with: plans differ between builds. */
export async function sqliteVersion(): Promise<string> {
  const db = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  try {
    const [rows] = await db.query('SELECT sqlite_version() AS v');
    return (rows as Array<{ v: string }>)[0]?.v ?? 'unknown';
  } finally {
    await db.close();
  }
}
