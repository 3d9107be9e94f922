import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDatabase, type Database, type Tx } from '../../src/lib/db.js';

/** The node-sqlite3 handle a transaction runs on. */
const handleOf = (tx: Tx) => (tx as unknown as { connection: object }).connection;

describe('SQLite handles: set up when they open, one lasting handle for transactions', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'okr-sqlite-handles-'));
  const url = `sqlite:${path.join(dir, 'okr.sqlite')}`;
  let db: Database;

  before(async () => {
    db = createDatabase(url);
    await db.execute('CREATE TABLE probe (id TEXT PRIMARY KEY, value INTEGER NOT NULL)');
  });

  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the database opens, then it is in WAL mode and every handle waits 10 s for a lock', async () => {
    assert.deepEqual(await db.select('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
    assert.deepEqual(await db.select('PRAGMA busy_timeout'), [{ timeout: 10_000 }]);
    const inside = await db.transaction((tx) => db.select('PRAGMA busy_timeout', {}, tx));
    assert.deepEqual(inside, [{ timeout: 10_000 }]);
  });

  it('when transactions follow one another, then they run on one handle that stays open, apart from the readers', async () => {
    const handles: object[] = [];
    for (let i = 0; i < 3; i += 1) {
      await db.transaction(async (tx) => {
        handles.push(handleOf(tx));
        await db.execute('INSERT INTO probe VALUES (:id, :i)', { id: `same-${i}`, i }, tx);
      });
    }
    assert.equal(new Set(handles).size, 1);
    const manager = db.sequelize.connectionManager as unknown as {
      connections: Record<string, object>;
    };
    const reader = manager.connections.default;
    assert.ok(reader, 'reads have their own handle');
    assert.notEqual(handles[0], reader);
    const counted = await db.select<{ rows: number }>(
      "SELECT COUNT(*) AS rows FROM probe WHERE id LIKE 'same-%'",
    );
    assert.deepEqual(counted, [{ rows: 3 }]);
  });

  it('when a transaction fails, then nothing of it is kept and the next one commits on the same handle', async () => {
    let failedOn: object | undefined;
    await assert.rejects(
      db.transaction(async (tx) => {
        failedOn = handleOf(tx);
        await db.execute("INSERT INTO probe VALUES ('failed', 1)", {}, tx);
        throw new Error('the work failed');
      }),
      /the work failed/,
    );
    const nextOn = await db.transaction(async (tx) => {
      await db.execute("INSERT INTO probe VALUES ('after-failure', 1)", {}, tx);
      return handleOf(tx);
    });
    assert.equal(nextOn, failedOn);
    const ids = await db.select<{ id: string }>(
      "SELECT id FROM probe WHERE id IN ('failed', 'after-failure')",
    );
    assert.deepEqual(ids, [{ id: 'after-failure' }]);
  });

  it('when the writer handle is destroyed (a COMMIT that failed), then the next transaction opens a new one', async () => {
    const first = await db.transaction(async (tx) => handleOf(tx));
    await db.sequelize.connectionManager.destroyConnection(first as never);
    const second = await db.transaction(async (tx) => {
      await db.execute("INSERT INTO probe VALUES ('new-handle', 1)", {}, tx);
      return handleOf(tx);
    });
    assert.notEqual(second, first);
    assert.equal((await db.select("SELECT id FROM probe WHERE id = 'new-handle'")).length, 1);
  });

  it('when another process holds the write lock for longer than a second, then a transaction waits for it instead of failing', async () => {
    // As the CLI next to a running server: its own handles on the same file.
    const other = createDatabase(url);
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = other.transaction(async (tx) => {
        await other.execute("INSERT INTO probe VALUES ('holder', 1)", {}, tx);
        locked();
        await held;
      });
      await isLocked;
      const waiter = db.transaction((tx) =>
        db.execute("INSERT INTO probe VALUES ('waiter', 1)", {}, tx),
      );
      // Longer than node-sqlite3's own busy timeout (1 s), which the handles no longer keep.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      release();
      await holder;
      await waiter;
      const ids = await db.select<{ id: string }>(
        "SELECT id FROM probe WHERE id IN ('holder', 'waiter') ORDER BY id",
      );
      assert.deepEqual(ids, [{ id: 'holder' }, { id: 'waiter' }]);
    } finally {
      await other.close();
    }
  });
});
