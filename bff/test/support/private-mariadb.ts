/**
 * A MariaDB server of the test's own: its own data directory, socket and loopback port, so a
 * fault test may kill and restart it without touching the shared server on 3306.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Sequelize } from 'sequelize';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface PrivateMariaDb {
  port: number;
  /** `mysql://root@127.0.0.1:<port>/<database>` */
  url(database: string): string;
  /** Resolves once the server answers a query. */
  start(): Promise<void>;
  /** SIGKILL: a crash, not a shutdown; committed transactions must survive it. */
  kill(): Promise<void>;
  /** Stops the server if it runs and removes the data directory. */
  destroy(): Promise<void>;
}

export async function createPrivateMariaDb(): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'okr-mariadb-'));
  const datadir = path.join(dir, 'data');
  const port = await freePort();
  const install = spawnSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
    ],
    { encoding: 'utf8' },
  );
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  }
  let server: ChildProcess | undefined;
  const url = (database: string) => `mysql://root@127.0.0.1:${port}/${database}`;

  async function answers(): Promise<boolean> {
    const probe = new Sequelize(url(''), {
      dialect: 'mysql',
      logging: false,
      dialectOptions: { connectTimeout: 1_000 },
    });
    try {
      await probe.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await probe.close().catch(() => undefined);
    }
  }

  async function stopServer(signal: NodeJS.Signals) {
    const running = server;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
    server = undefined;
  }

  return {
    port,
    url,
    async start() {
      server = spawn(
        '/usr/sbin/mariadbd',
        [
          '--no-defaults',
          `--datadir=${datadir}`,
          `--socket=${path.join(dir, 'mariadb.sock')}`,
          `--pid-file=${path.join(dir, 'mariadb.pid')}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          '--user=root',
          '--skip-name-resolve',
          '--skip-log-bin',
          '--innodb-buffer-pool-size=64M',
          '--innodb-flush-log-at-trx-commit=1',
        ],
        { stdio: 'ignore' },
      );
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        if (server.exitCode !== null) throw new Error(`mariadbd exited with ${server.exitCode}`);
        if (await answers()) return;
        await sleep(50);
      }
      throw new Error('mariadbd did not answer within 30 s');
    },
    kill: () => stopServer('SIGKILL'),
    async destroy() {
      await stopServer('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
