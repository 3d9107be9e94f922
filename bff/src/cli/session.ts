import type { CliContext } from './args.js';
import type { Config } from '../lib/config.js';
import type { Database } from '../lib/db.js';
import type { OrgsRepository } from '../components/orgs/orgs.repository.js';
import type { OrgsService } from '../components/orgs/orgs.service.js';

export interface Session {
  db: Database;
  config: Config;
  orgsRepository: OrgsRepository;
  orgs: OrgsService;
}

/**
 * Opens the database for one command. Writers migrate first (under the migration lock); readers
 * never change the schema and say `okr migrate` instead. Either way the master key is held
 * against the database's check value before any secret is touched. Heavy modules load only
 * once the flags are known good, so a usage error answers at once.
 */
export async function withSession<T>(
  context: CliContext,
  mode: 'write' | 'read',
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const [
    { createDatabase },
    { migrate, requireMigrated },
    { checkMasterKey },
    { createOrgsRepository },
    { createOrgsService },
  ] = await Promise.all([
    import('../lib/db.js'),
    import('../lib/migrate.js'),
    import('../lib/master-key.js'),
    import('../components/orgs/orgs.repository.js'),
    import('../components/orgs/orgs.service.js'),
  ]);
  const db = createDatabase(context.config.databaseUrl);
  try {
    if (mode === 'write') await migrate(db);
    else await requireMigrated(db);
    const config = await checkMasterKey(db, context.config, context.masterKeySource, context.demo);
    const orgsRepository = createOrgsRepository(db);
    return await work({
      db,
      config,
      orgsRepository,
      orgs: createOrgsService(orgsRepository, config.masterKey),
    });
  } finally {
    await closeWithin(db, 5_000);
  }
}

/**
 * The command's work is committed by now; a pool that does not finish closing (seen once with
 * MariaDB on Node 24: a socket left in CLOSE-WAIT, the process idle for ever) must not keep the
 * operator's command from ending. `process.exit` in cli.ts then drops what is left.
 */
async function closeWithin(db: { close(): Promise<void> }, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      process.stderr.write(`warning: the database connection did not close within ${ms} ms\n`);
      resolve();
    }, ms);
  });
  try {
    await Promise.race([db.close(), late]);
  } finally {
    clearTimeout(timer);
  }
}
