import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from './paths.js';

const masterKey = z
  .string()
  .transform((value, ctx) => {
    const bytes = /^[0-9a-fA-F]{64}$/.test(value)
      ? Buffer.from(value, 'hex')
      : Buffer.from(value, 'base64');
    if (bytes.length !== 32) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)',
      });
      return z.NEVER;
    }
    return bytes;
  })
  .optional();

/**
 * Whose `X-Forwarded-For` to believe, in Express's `trust proxy` terms: unset or `false` means
 * nobody (the client address is the socket's), a number is how many proxies stand in front, and
 * a list names them (addresses, subnets, `loopback`, `linklocal`, `uniquelocal`). `true` trusts
 * any sender, which lets every client choose its own address: only behind a proxy that
 * overwrites the header.
 */
const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx): boolean | number | string[] => {
    if (value === undefined || value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    const bad = entries.filter((entry) => {
      if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return false;
      const [address = '', prefix, ...rest] = entry.split('/');
      const family = isIP(address);
      if (family === 0 || rest.length > 0) return true;
      return (
        prefix !== undefined &&
        !(/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
      );
    });
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `true, false, a hop count, or addresses/subnets/loopback/linklocal/uniquelocal; not ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return entries;
  });
/** A master key as the environment gives one (OKR_MASTER_KEY, OKR_NEW_MASTER_KEY). */
export function parseMasterKey(name: string, value: string): Buffer {
  const parsed = masterKey.safeParse(value);
  if (!parsed.success || !parsed.data) {
    throw new ConfigError(
      `Invalid configuration:\n  ${name}: ${parsed.error?.issues[0]?.message ?? 'missing'}`,
    );
  }
  return parsed.data;
}

const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite: or mysql://')
    .default('sqlite:data/okr-embed.sqlite'),
  OKR_MASTER_KEY: masterKey,
  OKR_DATA_DIR: z.string().min(1).optional(),
  WIDGETS_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  TRUST_PROXY: trustProxy,
  JSON_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,32}$/, 'letters, digits, colon, dash or underscore; at most 32')
    .default('okr:'),
  EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  EVENT_STREAMS_PER_INSTANCE: z.coerce.number().int().min(1).max(100_000).default(5_000),
  EVENT_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(25_000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
});

export interface Config {
  port: number;
  host: string | undefined;
  databaseUrl: string;
  /** 32 bytes for AES-256-GCM; undefined until the operator sets OKR_MASTER_KEY. */
  masterKey: Buffer | undefined;
  dataDir: string;
  widgetsDir: string;
  logLevel: z.infer<typeof environment>['LOG_LEVEL'];
  production: boolean;
  /** Requests per minute per (org, user); 0 turns the limit off (benchmarks). */
  rateLimitPerMinute: number;
  /** Failed authentications per minute per client address before 429; 0 turns it off. */
  authFailuresPerMinute: number;
  /** Express's `trust proxy`: whose X-Forwarded-For gives the client address (`req.ip`). */
  trustProxy: boolean | number | string[];
  jsonBodyLimitBytes: number;
  shutdownGraceMs: number;
  /** Shared state for every instance; undefined keeps it in this process (one instance). */
  redisUrl: string | undefined;
  /** Every Redis key and channel starts with it, so several deployments can share a Redis. */
  redisKeyPrefix: string;
  /** Open event streams one user may hold, and one instance; 429 beyond. */
  eventStreamsPerUser: number;
  eventStreamsPerInstance: number;
  /** How often an idle event stream gets a comment, so proxies keep it open. */
  eventHeartbeatMs: number;
  /** `/metrics` on a listener of its own; undefined serves it only with METRICS_TOKEN. */
  metricsPort: number | undefined;
  /** A bearer token for `/metrics` on the API's port; neither set means no metrics. */
  metricsToken: string | undefined;
}

export class ConfigError extends Error {}

/** Reads the environment once; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    masterKey: e.OKR_MASTER_KEY,
    dataDir: path.resolve(repoRoot, e.OKR_DATA_DIR ?? 'data'),
    widgetsDir: path.resolve(repoRoot, e.WIDGETS_DIR ?? 'widgets/dist'),
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    jsonBodyLimitBytes: e.JSON_BODY_LIMIT_BYTES,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    eventStreamsPerUser: e.EVENT_STREAMS_PER_USER,
    eventStreamsPerInstance: e.EVENT_STREAMS_PER_INSTANCE,
    eventHeartbeatMs: e.EVENT_HEARTBEAT_MS,
    metricsPort: e.METRICS_PORT,
    metricsToken: e.METRICS_TOKEN,
  };
}

/**
 * The configuration as start-up logs it: what an operator needs to see which settings won,
 * never a secret (the master key only says where it came from, a database URL loses its password).
 */
export function describeConfig(config: Config, masterKeySource: string): Record<string, unknown> {
  let database = config.databaseUrl;
  if (!database.startsWith('sqlite:')) {
    database = redactedUrl(database);
  }
  return {
    port: config.port,
    host: config.host ?? null,
    database,
    masterKey: config.masterKey ? masterKeySource : 'not set',
    dataDir: config.dataDir,
    widgetsDir: config.widgetsDir,
    logLevel: config.logLevel,
    production: config.production,
    rateLimitPerMinute: config.rateLimitPerMinute,
    jsonBodyLimitBytes: config.jsonBodyLimitBytes,
    shutdownGraceMs: config.shutdownGraceMs,
    // Where shared state lives, without the password; never the metrics token.
    redis: config.redisUrl ? redactedUrl(config.redisUrl) : 'in process',
    metrics:
      config.metricsPort !== undefined
        ? `port ${config.metricsPort}`
        : config.metricsToken
          ? 'bearer token'
          : 'off',
  };
}

function redactedUrl(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = 'redacted';
  return url.toString();
}
