/**
 * The operator CLI: `npm run okr -- <command>` from the repository root. Output is for people,
 * or JSON with --json; bad flags exit 2, failures exit 1, never with a stack. With --json an
 * error is JSON on stderr too, so a script can read it.
 */
import { parse, print, UsageError, type Command } from './cli/args.js';
import { demoCommands } from './cli/demo-commands.js';
import { directoryCommands } from './cli/directory-commands.js';
import { rotateMasterKey } from './cli/master-key-command.js';
import { orgCommands } from './cli/org-commands.js';
import { serve } from './cli/serve-command.js';
import { transferCommands } from './cli/transfer-commands.js';
import { ConfigError, loadConfig } from './lib/config.js';
import { AppError } from './lib/errors.js';
import { withStoredMasterKey } from './lib/master-key.js';

const USAGE = `Usage: okr <command> [options]   (from the repository root: npm run okr -- <command>)

Commands:
  migrate                                   apply pending database migrations (under a lock)
  org create --slug S --name N [--issuer I] [--origin URL]... [--initiatives-count on|off]
                                            create an organization (tenant); the issuer defaults
                                            to the first --origin
  org list                                  every organization
  org show S                                one organization: issuer, origins, keys, data counts
  org update S [--name N] [--issuer I] [--add-origin URL]... [--remove-origin URL]...
               [--initiatives-count on|off]  change an organization
  org delete S --yes [--with-data]          delete an organization (--with-data: its goals too)
  key list [--org S]                        embed keys: kid, org, algorithm, status
  key add --org S --alg HS256|ES256|RS256 [--public-key FILE]
                                            add an embed key; prints the kid (and an HS256 secret, once)
  key retire --kid K                        retire an embed key
  token --org S --sub ID [--kid K] [--name N] [--email E] [--teams a,b]
        [--scope "okr:read okr:checkin"] [--ttl SECONDS]
                                            sign a development token with an active HS256 key
  export --org S [--format json|csv] [--out FILE]
                                            the org's OKRs: JSON (complete, versioned) or CSV (goals
                                            and key results, one row per key result)
  import --org S FILE [--format json|csv] [--dry-run]
                                            JSON into an empty org; CSV adds goals and key results
                                            (--dry-run: what would change and every bad row)
  users import --org S FILE [--dry-run]     provision people from a CSV (external_id,name,email,teams;
                                            teams ;-separated keys); all rows or none
  teams import --org S FILE [--dry-run]     provision teams from a CSV (key,name,parent,members;
                                            members ;-separated external ids); all rows or none
  rotate-master-key [--generate]            re-encrypt every HS256 secret under OKR_NEW_MASTER_KEY
                                            (or a generated key, printed once), in one transaction
  seed-demo [--org S] [--goals N] [--origin URL]...
                                            fill an org (new or existing) with realistic demo OKRs;
                                            prints a new key's secret once (--goals 10000: benchmarks)
  serve [--demo] [--workers N]              run the BFF (--demo: seed two demo orgs, start their two
                                            sites; --workers N: N processes on one port, needs REDIS_URL)

Origins are exactly scheme://host[:port]. Scopes: okr:read okr:checkin okr:write okr:admin.
Every command takes --json to print JSON. Environment: DATABASE_URL, OKR_MASTER_KEY, PORT (see README).`;

const commands: Record<string, Command> = {
  async migrate(args, context) {
    const { values } = parse(args, {});
    const [{ createDatabase }, { migrate }] = await Promise.all([
      import('./lib/db.js'),
      import('./lib/migrate.js'),
    ]);
    const db = createDatabase(context.config.databaseUrl);
    try {
      const applied = await migrate(db);
      print(values, { applied }, applied.length ? `Applied: ${applied.join(', ')}` : 'Up to date.');
    } finally {
      await db.close();
    }
  },
  ...orgCommands,
  ...demoCommands,
  ...transferCommands,
  ...directoryCommands,
  'rotate-master-key': rotateMasterKey,
  serve,
};

/** Commands that may create and trust the demo's stored master key; the others only read one. */
const isDemo = (name: string, args: string[]) =>
  name === 'seed-demo' || (name === 'serve' && args.includes('--demo'));

function fail(asJson: boolean, code: string, message: string, usage: boolean) {
  if (asJson) {
    process.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
  } else {
    process.stderr.write(`error: ${message}\n${usage ? `\n${USAGE}\n` : ''}`);
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const asJson = argv.includes('--json');
  if (argv.length === 0 || (asJson && argv.length === 1)) {
    fail(asJson, 'usage', 'a command is required', true);
    return 2;
  }
  const twoWords = `${argv[0]} ${argv[1] ?? ''}`;
  const name = commands[twoWords] ? twoWords : (argv[0] ?? '');
  const command = commands[name];
  const args = argv.slice(name.split(' ').length);
  try {
    if (!command) throw new UsageError(`Unknown command: ${argv.slice(0, 2).join(' ')}`);
    const demo = isDemo(name, args);
    const { config, source } = withStoredMasterKey(loadConfig(), demo);
    await command(args, { config, masterKeySource: source, demo });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      fail(asJson, error.code, error.message, error.showUsage);
      return 2;
    }
    if (error instanceof AppError) {
      fail(asJson, error.code, error.message, false);
      return 1;
    }
    if (error instanceof ConfigError) {
      fail(asJson, 'invalid_configuration', error.message, false);
      return 1;
    }
    const { isDatabaseUnavailable } = await import('./lib/db.js');
    if (isDatabaseUnavailable(error)) {
      fail(asJson, 'database_unavailable', `The database does not answer: ${reason(error)}`, false);
      return 1;
    }
    fail(asJson, 'failed', reason(error), false);
    return 1;
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

const code = await main(process.argv.slice(2));
// `serve` keeps running; every other command ends here, by letting the event loop empty rather
// than by process.exit: on Node 24 that could hang for ever (gdb: the exit joins a V8 worker
// thread that waits for a GC which the exiting main thread never runs). Whatever is still open
// after 2 s (a pool slow to close, see cli/session.ts) is dropped by process.exit after all.
if (!(process.argv[2] === 'serve' && code === 0)) {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2_000).unref();
}
