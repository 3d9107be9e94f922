/**
 * The operator CLI: `npm run okr -- <command>` from the repository root. Output is for people,
 * or JSON with --json; bad flags print the usage and exit 2, failures exit 1, never a stack.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { KeyAlgorithm, OrgsService } from './components/orgs/orgs.service.js';
import { ConfigError, loadConfig, type Config } from './lib/config.js';
import type { Database } from './lib/db.js';
import { AppError } from './lib/errors.js';
import { withStoredMasterKey } from './lib/master-key.js';

const USAGE = `Usage: okr <command> [options]   (from the repository root: npm run okr -- <command>)

Commands:
  migrate                                   apply pending database migrations
  org create --slug S --name N [--issuer I] [--origin URL]...
                                            create an organization (tenant)
  key add --org S --alg HS256|ES256|RS256 [--public-key FILE]
                                            add an embed key; prints the kid (and an HS256 secret, once)
  key retire --kid K                        retire an embed key
  token --org S --sub ID [--name N] [--email E] [--teams a,b] [--scope "okr:read okr:checkin"] [--ttl SECONDS]
                                            sign a development token with the org's active HS256 key
  seed-demo [--org S] [--goals N] [--origin URL]...
                                            create a realistic demo organization (--goals 10000 for benchmarks)
  serve [--demo]                            run the BFF (--demo: seed two demo orgs, start their two sites)

Every command takes --json to print JSON. Environment: DATABASE_URL, OKR_MASTER_KEY, PORT (see README).`;

class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

const json = { json: { type: 'boolean' } } as const;

function parse(args: string[], options: Options, required: string[] = []): Values {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args,
      options: { ...options, ...json },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  for (const name of required) {
    if (values[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  return values;
}

const text = (values: Values, name: string) => values[name] as string | undefined;

function integer(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = text(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function print(values: Values, result: Record<string, unknown>, human: string) {
  process.stdout.write(`${values.json ? JSON.stringify(result, null, 2) : human}\n`);
}

/** Heavy modules load only once the flags are known good: a usage error answers at once. */
async function withDatabase<T>(
  config: Config,
  work: (db: Database, orgs: OrgsService) => Promise<T>,
): Promise<T> {
  const [{ createDatabase }, { migrate }, { createOrgsRepository }, { createOrgsService }] =
    await Promise.all([
      import('./lib/db.js'),
      import('./lib/migrate.js'),
      import('./components/orgs/orgs.repository.js'),
      import('./components/orgs/orgs.service.js'),
    ]);
  const db = createDatabase(config.databaseUrl);
  try {
    await migrate(db);
    return await work(db, createOrgsService(createOrgsRepository(db), config.masterKey));
  } finally {
    await db.close();
  }
}

function progressBar(done: number, total: number) {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} goals`,
  );
  if (done >= total) process.stderr.write('\n');
}

const commands: Record<string, (args: string[], config: Config) => Promise<void>> = {
  async migrate(args, config) {
    const values = parse(args, {});
    const [{ createDatabase }, { migrate }] = await Promise.all([
      import('./lib/db.js'),
      import('./lib/migrate.js'),
    ]);
    const db = createDatabase(config.databaseUrl);
    try {
      const applied = await migrate(db);
      print(values, { applied }, applied.length ? `Applied: ${applied.join(', ')}` : 'Up to date.');
    } finally {
      await db.close();
    }
  },

  async 'org create'(args, config) {
    const values = parse(
      args,
      {
        slug: { type: 'string' },
        name: { type: 'string' },
        issuer: { type: 'string' },
        origin: { type: 'string', multiple: true },
      },
      ['slug', 'name'],
    );
    const org = await withDatabase(config, (_db, orgs) =>
      orgs.createOrg({
        slug: text(values, 'slug') ?? '',
        name: text(values, 'name') ?? '',
        issuer: text(values, 'issuer'),
        origins: values.origin as string[] | undefined,
      }),
    );
    print(
      values,
      { ...org },
      `Created org ${org.slug} (${org.id})\n  issuer: ${org.issuer}\n  origins: ${org.allowedOrigins.join(' ') || '(none)'}`,
    );
  },

  async 'key add'(args, config) {
    const values = parse(
      args,
      { org: { type: 'string' }, alg: { type: 'string' }, 'public-key': { type: 'string' } },
      ['org', 'alg'],
    );
    const alg = text(values, 'alg');
    if (alg !== 'HS256' && alg !== 'ES256' && alg !== 'RS256')
      throw new UsageError('--alg must be HS256, ES256 or RS256');
    const file = text(values, 'public-key');
    let pem: string | undefined;
    if (file) {
      try {
        pem = readFileSync(file, 'utf8');
      } catch {
        throw new AppError('unreadable_file', `Cannot read ${file}`, 400);
      }
    }
    const key = await withDatabase(config, (_db, orgs) =>
      orgs.addKey(text(values, 'org') ?? '', alg as KeyAlgorithm, pem),
    );
    print(
      values,
      key,
      `kid: ${key.kid}\nalg: ${key.alg}${'secret' in key ? `\nsecret: ${key.secret}\n(Shown once. Store it on the host's server; it signs the users' tokens.)` : ''}`,
    );
  },

  async 'key retire'(args, config) {
    const values = parse(args, { kid: { type: 'string' } }, ['kid']);
    const result = await withDatabase(config, (_db, orgs) =>
      orgs.retireKey(text(values, 'kid') ?? ''),
    );
    print(values, result, `Retired ${result.kid}`);
  },

  async token(args, config) {
    const values = parse(
      args,
      {
        org: { type: 'string' },
        sub: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        teams: { type: 'string' },
        scope: { type: 'string' },
        ttl: { type: 'string' },
      },
      ['org', 'sub'],
    );
    const ttlSeconds = integer(values, 'ttl', 1, 3600);
    const teams = text(values, 'teams');
    const signed = await withDatabase(config, (_db, orgs) =>
      orgs.signToken(
        {
          org: text(values, 'org') ?? '',
          sub: text(values, 'sub') ?? '',
          name: text(values, 'name'),
          email: text(values, 'email'),
          teams:
            teams === undefined
              ? undefined
              : teams
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean),
          scope: text(values, 'scope'),
          ttlSeconds,
        },
        config.production,
      ),
    );
    print(values, signed, signed.token);
  },

  async 'seed-demo'(args, config) {
    const values = parse(args, {
      org: { type: 'string' },
      goals: { type: 'string' },
      origin: { type: 'string', multiple: true },
    });
    const goals = integer(values, 'goals', 0, 1_000_000) ?? 0;
    const { seedDemo } = await import('./components/demo/demo.seed.js');
    const seeded = await withDatabase(config, (db, orgs) =>
      seedDemo(db, orgs, {
        slug: text(values, 'org') ?? 'demo',
        goals,
        origins: values.origin as string[] | undefined,
        onProgress: progressBar,
      }),
    );
    print(
      values,
      seeded,
      `Seeded org ${seeded.org}: ${seeded.goals} goals, ${seeded.teams} teams, ${seeded.users} users; key ${seeded.kid}`,
    );
  },

  async serve(args, config) {
    const values = parse(args, { demo: { type: 'boolean' } });
    const demo = values.demo === true;
    const [
      { createLogger },
      { startServer },
      { seedDemo },
      { createOrgsRepository },
      { createOrgsService },
      { seedPartnerOrg, startDemoHosts },
    ] = await Promise.all([
      import('./lib/logger.js'),
      import('./server.js'),
      import('./components/demo/demo.seed.js'),
      import('./components/orgs/orgs.repository.js'),
      import('./components/orgs/orgs.service.js'),
      import('./demo-hosts/demo-hosts.js'),
    ]);
    const logger = createLogger(config.logLevel);
    const running = await startServer({
      config,
      logger,
      prepare: demo
        ? async (db) => {
            const repository = createOrgsRepository(db);
            const orgsService = createOrgsService(repository, config.masterKey);
            await seedPartnerOrg(db, orgsService);
            if (await repository.findOrgBySlug('demo')) return;
            await seedDemo(db, orgsService, { slug: 'demo' });
            logger.info('seeded the demo organization');
          }
        : undefined,
    });
    const url = `http://localhost:${running.port}`;
    // The demo's customer sites sit on the next two ports (any free ports when PORT=0).
    const hosts = demo
      ? await startDemoHosts({
          db: running.db,
          orgsService: createOrgsService(createOrgsRepository(running.db), config.masterKey),
          intranetOrg: 'demo',
          bffOrigin: url,
          intranetPort: config.port === 0 ? 0 : running.port + 1,
          partnerPort: config.port === 0 ? 0 : running.port + 2,
        })
      : undefined;
    const lines = [
      `okr-embed BFF listening on ${url}`,
      ...(hosts
        ? [
            `Demo page: ${hosts.intranet.origin}/   (Acme intranet, embeds the widgets cross-origin)`,
            `Partner demo: ${hosts.partner.origin}/   (white-label: dark, German, own wording)`,
          ]
        : []),
    ];
    print(
      values,
      { url, demo: hosts?.intranet.origin ?? null, partner: hosts?.partner.origin ?? null },
      lines.join('\n'),
    );
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        Promise.all([hosts?.close(), running.stop()]).then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  },
};

/** Commands that may create the demo's stored master key; the others only read one. */
const generatesMasterKey = (name: string, args: string[]) =>
  name === 'seed-demo' || (name === 'serve' && args.includes('--demo'));

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (argv.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const twoWords = `${argv[0]} ${argv[1] ?? ''}`;
  const name = commands[twoWords] ? twoWords : (argv[0] ?? '');
  const command = commands[name];
  const args = argv.slice(name.split(' ').length);
  try {
    if (!command) throw new UsageError(`Unknown command: ${argv.slice(0, 2).join(' ')}`);
    const config = withStoredMasterKey(loadConfig(), generatesMasterKey(name, args));
    await command(args, config);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof AppError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// `serve` keeps running; every other command ends here.
if (!(process.argv[2] === 'serve' && code === 0)) process.exit(code);
