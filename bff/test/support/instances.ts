/**
 * Several real `okr serve` processes (the built CLI, as production runs it) over one database
 * and, when given, one Redis: what a deploy behind a load balancer is. Tests that need more
 * than one instance start them here and seed orgs straight into the shared database.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createOrgsService } from '../../src/components/orgs/orgs.service.js';
import { createTimeframesRepository } from '../../src/components/timeframes/timeframes.repository.js';
import { loadConfig } from '../../src/lib/config.js';
import { createDatabase } from '../../src/lib/db.js';
import { migrate } from '../../src/lib/migrate.js';
import type { HttpAnswer, RequestOptions } from './harness.js';
import { masterKeyHex, requestTo } from './harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const okrBin = path.join(repoRoot, 'bff/bin/okr.mjs');

export interface Instance {
  name: string;
  baseUrl: string;
  pid: number;
  request(method: string, urlPath: string, options?: RequestOptions): Promise<HttpAnswer>;
  output(): string;
  /** SIGTERM, and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
}

export interface InstancesOptions {
  databaseUrl: string;
  redisUrl?: string;
  /** More environment for every instance (RATE_LIMIT_PER_MINUTE, …). */
  env?: Record<string, string>;
}

/** The environment `okr` commands of these instances run with: the same database and Redis. */
export function instanceEnv({ databaseUrl, redisUrl, env }: InstancesOptions): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  // A REDIS_URL from the caller's own environment must not leak into an instance without one.
  delete base.REDIS_URL;
  return {
    ...base,
    DATABASE_URL: databaseUrl,
    OKR_MASTER_KEY: masterKeyHex,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '0',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...env,
  };
}

export const request = requestTo;

function startInstance(name: string, env: NodeJS.ProcessEnv): Promise<Instance> {
  const child: ChildProcess = spawn(process.execPath, [okrBin, 'serve'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`instance ${name} did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening on http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (!port) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.on('data', (more: Buffer) => (output += more.toString()));
      const baseUrl = `http://127.0.0.1:${port}`;
      resolve({
        name,
        baseUrl,
        pid: child.pid ?? 0,
        request: (method, urlPath, options) => request(baseUrl, method, urlPath, options),
        output: () => output,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance ${name} exited with ${code}:\n${output}`));
    });
  });
}

/** N instances named A, B, C, … ; the database must be migrated (see `seedOrg`). */
export async function startInstances(n: number, options: InstancesOptions): Promise<Instance[]> {
  const env = instanceEnv(options);
  return Promise.all(
    Array.from({ length: n }, (_, i) => startInstance(String.fromCharCode(65 + i), env)),
  );
}

/** Stops them all; resolves with their exit codes (0: a clean shutdown, Redis closed too). */
export async function stopInstances(instances: Instance[]): Promise<Array<number | null>> {
  return Promise.all(instances.map((instance) => instance.stop()));
}

/** Runs `okr <args>` like an operator would, next to the instances; resolves with its output. */
export function runOkr(args: string[], options: InstancesOptions) {
  const result = spawnSync(process.execPath, [okrBin, ...args], {
    cwd: repoRoot,
    env: instanceEnv(options),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface SeededOrg {
  id: string;
  slug: string;
  /** Its HS256 keys, oldest first; tokens are signed with the first unless told. */
  kids: string[];
  timeframeId: string;
  /** A token for `sub` (a user of the org), signed as the host's server would. */
  token(sub: string, options?: { kid?: string; claims?: Record<string, unknown> }): Promise<string>;
}

/** Migrates the database and makes an org with `keys` HS256 keys and a timeframe of this year. */
export async function seedOrg(databaseUrl: string, keys = 1): Promise<SeededOrg> {
  const db = createDatabase(databaseUrl);
  try {
    await migrate(db);
    const config = loadConfig({ DATABASE_URL: databaseUrl, OKR_MASTER_KEY: masterKeyHex });
    const orgs = createOrgsService(createOrgsRepository(db), config.masterKey);
    const slug = `multi-${randomBytes(3).toString('hex')}`;
    const org = await orgs.createOrg({ slug, name: 'Many instances' });
    const secrets = new Map<string, Uint8Array>();
    for (let i = 0; i < keys; i += 1) {
      const key = await orgs.addKey(slug, 'HS256');
      const secret = 'secret' in key ? (key.secret ?? '') : '';
      secrets.set(key.kid, new Uint8Array(Buffer.from(secret, 'base64url')));
    }
    const kids = [...secrets.keys()];
    const year = new Date().getUTCFullYear();
    const timeframeId = await createTimeframesRepository(db).insertTimeframe({
      orgId: org.id,
      name: 'This year',
      startDate: `${year}-01-01`,
      endDate: `${year}-12-31`,
    });
    return {
      id: org.id,
      slug,
      kids,
      timeframeId,
      token(sub, { kid = kids[0] ?? '', claims = {} } = {}) {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({
          sub,
          name: sub,
          scope: 'okr:read okr:checkin okr:write',
          iss: org.issuer,
          aud: 'okr-embed',
          iat: now,
          exp: now + 1800,
          ...claims,
        })
          .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
          .sign(secrets.get(kid) ?? new Uint8Array());
      },
    };
  } finally {
    await db.close();
  }
}
