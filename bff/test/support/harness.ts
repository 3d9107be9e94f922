/**
 * Test harness: a real BFF on port 0 over a real database — a fresh SQLite file per run, and a
 * uniquely named MariaDB database when TEST_MYSQL_URL is set — so every test goes over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { Sequelize } from 'sequelize';
import { createApp, type AppDeps } from '../../src/app.js';
import { createOrgsRepository } from '../../src/components/orgs/orgs.repository.js';
import { createOrgsService, type KeyAlgorithm } from '../../src/components/orgs/orgs.service.js';
import { createTimeframesRepository } from '../../src/components/timeframes/timeframes.repository.js';
import { createCaches } from '../../src/lib/caches.js';
import { loadConfig, type Config } from '../../src/lib/config.js';
import { createDatabase, type Database } from '../../src/lib/db.js';
import { createLogger } from '../../src/lib/logger.js';
import { migrate } from '../../src/lib/migrate.js';
import { createSharedState } from '../../src/lib/shared-state/index.js';

export interface TestDatabase {
  name: 'sqlite' | 'mariadb';
  url: string;
  drop(): Promise<void>;
}

export interface DialectSpec {
  name: 'sqlite' | 'mariadb';
  create(): Promise<TestDatabase>;
}

/** SQLite always; MariaDB too when TEST_MYSQL_URL names a server. */
export function dialects(): DialectSpec[] {
  const specs: DialectSpec[] = [
    {
      name: 'sqlite',
      async create() {
        const dir = mkdtempSync(path.join(tmpdir(), 'okr-test-'));
        return {
          name: 'sqlite',
          url: `sqlite:${path.join(dir, 'test.sqlite')}`,
          drop: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
  const server = process.env.TEST_MYSQL_URL;
  if (server) {
    specs.push({
      name: 'mariadb',
      async create() {
        const name = `okr_test_${randomBytes(6).toString('hex')}`;
        const admin = new Sequelize(server, { dialect: 'mysql', logging: false });
        await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
        await admin.close();
        const url = new URL(server);
        url.pathname = `/${name}`;
        return {
          name: 'mariadb',
          url: url.toString(),
          async drop() {
            const dropper = new Sequelize(server, { dialect: 'mysql', logging: false });
            await dropper.query(`DROP DATABASE IF EXISTS ${name}`);
            await dropper.close();
          },
        };
      },
    });
  }
  return specs;
}

export const masterKeyHex = randomBytes(32).toString('hex');

export function testConfig(url: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: url,
    OKR_MASTER_KEY: masterKeyHex,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    // Suites that send refusals by the hundred from one address turn it on where they test it.
    AUTH_FAILURES_PER_MINUTE: '0',
    WIDGETS_DIR: path.join(tmpdir(), 'okr-test-widgets-missing'),
    ...overrides,
  });
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read JSON freely
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestOrg {
  id: string;
  slug: string;
  issuer: string;
  kid: string;
  secret: Uint8Array;
  /** Signs a token like the host's server would; claims and header may be overridden. */
  token(
    claims?: Record<string, unknown>,
    options?: { kid?: string; ttl?: number; iatOffset?: number },
  ): Promise<string>;
  timeframeId: string;
}

export interface TestApp {
  dialect: 'sqlite' | 'mariadb';
  baseUrl: string;
  db: Database;
  config: Config;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpAnswer>;
  createOrg(options?: { origins?: string[]; alg?: KeyAlgorithm }): Promise<TestOrg>;
  addKey(slug: string, alg: KeyAlgorithm, pem?: string): Promise<{ kid: string; secret?: string }>;
  retireKey(kid: string): Promise<void>;
  close(): Promise<void>;
}

/** One HTTP request to `baseUrl`, its JSON body parsed when it is JSON. */
export async function requestTo(
  baseUrl: string,
  method: string,
  urlPath: string,
  req: RequestOptions = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  let body: string | undefined = req.rawBody;
  if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${urlPath}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

let orgCounter = 0;

export async function startTestApp(
  spec: DialectSpec,
  options: {
    config?: Record<string, string>;
    app?: Partial<AppDeps>;
    /** Lets a test watch what the app asks the database (the harness keeps the real one). */
    wrapDb?: (db: Database) => Database;
  } = {},
): Promise<TestApp> {
  const database = await spec.create();
  const config = testConfig(database.url, options.config);
  const db = createDatabase(database.url);
  await migrate(db);
  // The harness retires keys as code in the app's own process would: through the app's caches,
  // made over the app's shared state (Redis when the config names one).
  const sharedState = options.app?.sharedState ?? createSharedState(config, createLogger('silent'));
  const caches = options.app?.caches ?? createCaches(sharedState);
  const app = createApp({
    config,
    db: options.wrapDb ? options.wrapDb(db) : db,
    logger: createLogger('silent'),
    caches,
    sharedState,
    ...options.app,
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const orgs = createOrgsService(createOrgsRepository(db, caches.orgLookups), config.masterKey);
  const timeframes = createTimeframesRepository(db);

  const request = (method: string, urlPath: string, req: RequestOptions = {}) =>
    requestTo(baseUrl, method, urlPath, req);

  return {
    dialect: spec.name,
    baseUrl,
    db,
    config,
    request,
    async createOrg({ origins, alg } = {}) {
      orgCounter += 1;
      const slug = `org-${orgCounter}-${randomBytes(3).toString('hex')}`;
      const org = await orgs.createOrg({ slug, name: `Org ${orgCounter}`, origins });
      const key = await orgs.addKey(slug, alg ?? 'HS256');
      const secret = new Uint8Array(
        Buffer.from('secret' in key ? (key.secret ?? '') : '', 'base64url'),
      );
      const timeframeId = await timeframes.insertTimeframe({
        orgId: org.id,
        name: 'This year',
        startDate: `${new Date().getUTCFullYear()}-01-01`,
        endDate: `${new Date().getUTCFullYear()}-12-31`,
      });
      return {
        id: org.id,
        slug,
        issuer: org.issuer,
        kid: key.kid,
        secret,
        timeframeId,
        async token(claims = {}, opts = {}) {
          const now = Math.floor(Date.now() / 1000) + (opts.iatOffset ?? 0);
          const payload: Record<string, unknown> = {
            sub: 'user-1',
            name: 'User One',
            scope: 'okr:read okr:checkin okr:write',
            iss: org.issuer,
            aud: 'okr-embed',
            iat: now,
            exp: now + (opts.ttl ?? 300),
            ...claims,
          };
          for (const name of Object.keys(payload))
            if (payload[name] === undefined) delete payload[name];
          return new SignJWT(payload)
            .setProtectedHeader({ alg: 'HS256', kid: opts.kid ?? key.kid, typ: 'JWT' })
            .sign(secret);
        },
      };
    },
    async addKey(slug, alg, pem) {
      const key = await orgs.addKey(slug, alg, pem);
      return { kid: key.kid, secret: 'secret' in key ? key.secret : undefined };
    },
    async retireKey(kid) {
      await orgs.retireKey(kid);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
      if (!options.app?.sharedState) await sharedState.close();
      await database.drop();
    },
  };
}
