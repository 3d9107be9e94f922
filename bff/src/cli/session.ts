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
  /** Marks an org as changed by this command (its views and lookups), for `announceChanges`. */
  orgChanged(orgId: string | null): void;
}

/**
 * With REDIS_URL, what a command changed reaches every running instance at once: the orgs'
 * view generations move and every instance forgets its key and origin lookups. Without it
 * (or with Redis not answering) instances see the change when their caches expire (5 s).
 */
async function announceChanges(config: Config, changed: Set<string | null>): Promise<void> {
  if (!config.redisUrl || changed.size === 0) return;
  const [{ createSharedState }, { orgChangeAnnouncer, whenShared }, { createLogger }] =
    await Promise.all([
      import('../lib/shared-state/index.js'),
      import('../lib/org-changes.js'),
      import('../lib/logger.js'),
    ]);
  const shared = createSharedState(config, createLogger('silent'));
  try {
    if (!(await whenShared(shared, 2_000))) {
      process.stderr.write(
        'warning: Redis does not answer; running instances see this change within 5 s\n',
      );
      return;
    }
    const announce = orgChangeAnnouncer(shared, (orgId) => shared.bumpGeneration(orgId));
    for (const orgId of changed) await announce(orgId);
  } finally {
    await shared.close();
  }
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
    const changed = new Set<string | null>();
    const orgChanged = (orgId: string | null) => void changed.add(orgId);
    const orgsRepository = createOrgsRepository(db, undefined, async (orgId) => orgChanged(orgId));
    const result = await work({
      db,
      config,
      orgsRepository,
      orgs: createOrgsService(orgsRepository, config.masterKey),
      orgChanged,
    });
    await announceChanges(config, changed);
    return result;
  } finally {
    await closeWithin(db, 5_000);
  }
}

/**
 * The command's work is committed by now; a pool that does not finish closing (seen once with
 * MariaDB on Node 24: a socket left in CLOSE-WAIT, the process idle for ever) must not keep the
 * operator's command from ending. cli.ts's `process.exit` fallback, 2 s later, drops the rest.
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
