import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '../../lib/db.js';

export interface OrgSettings {
  initiativesCount: boolean;
}

export interface OrgRecord {
  id: string;
  slug: string;
  name: string;
  issuer: string;
  settings: OrgSettings;
  allowedOrigins: string[];
}

export interface EmbedKeyRecord {
  kid: string;
  orgId: string;
  alg: 'HS256' | 'ES256' | 'RS256';
  secretEncrypted: string | null;
  publicKeyPem: string | null;
  status: 'active' | 'retired';
}

interface OrgRow {
  id: string;
  slug: string;
  name: string;
  issuer: string;
  settings: string;
}

interface KeyRow {
  kid: string;
  org_id: string;
  alg: string;
  secret_encrypted: string | null;
  public_key_pem: string | null;
  status: string;
}

export function parseSettings(raw: string): OrgSettings {
  const parsed = JSON.parse(raw) as Partial<OrgSettings>;
  return { initiativesCount: parsed.initiativesCount === true };
}

function toOrg(row: OrgRow, origins: string[]): OrgRecord {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    issuer: row.issuer,
    settings: parseSettings(row.settings),
    allowedOrigins: origins,
  };
}

function toKey(row: KeyRow): EmbedKeyRecord {
  return {
    kid: row.kid,
    orgId: row.org_id,
    alg: row.alg as EmbedKeyRecord['alg'],
    secretEncrypted: row.secret_encrypted,
    publicKeyPem: row.public_key_pem,
    status: row.status === 'active' ? 'active' : 'retired',
  };
}

/** A key as an operator sees it: never its secret, only whether it has one. */
export interface KeyListing {
  kid: string;
  org: string;
  alg: EmbedKeyRecord['alg'];
  status: EmbedKeyRecord['status'];
  createdAt: string;
  retiredAt: string | null;
}

export interface OrgCounts {
  timeframes: number;
  teams: number;
  users: number;
  goals: number;
  keyResults: number;
  checkIns: number;
}

export interface OrgChange {
  name?: string;
  issuer?: string;
  settings?: OrgSettings;
  addOrigins?: string[];
  removeOrigins?: string[];
}

/** Every table that holds an org's rows, children before parents. */
const orgTables = [
  'check_ins',
  'key_results',
  'goals',
  'idempotency_records',
  'memberships',
  'teams',
  'timeframes',
  'users',
  'embed_keys',
  'org_origins',
] as const;

const iso = (millis: number | string | null) =>
  millis === null ? null : new Date(Number(millis)).toISOString();

export type KeyWithOrg = { key: EmbedKeyRecord; org: Omit<OrgRecord, 'allowedOrigins'> };

/** The small part of a cache these lookups use, so a shared (Redis) one can stand in. */
export interface LookupCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  clear(): void;
}

/**
 * The app's caches for what every API request looks up (see lib/caches.ts). Found and refused
 * answers are kept apart, each with its own bound, so a flood of made-up kids or origins
 * evicts only other made-up ones.
 */
export interface OrgLookupCaches {
  /** Active keys with their org, by kid. */
  activeKeys: LookupCache<KeyWithOrg>;
  /** Kids that are unknown or retired. */
  refusedKids: LookupCache<true>;
  /** The ids of the orgs that allow an origin, for origins some org allows. */
  originOrgs: LookupCache<string[]>;
  /** Origins no org allows. */
  refusedOrigins: LookupCache<true>;
}

/**
 * Tells every instance that an org (`null`: some org, e.g. by a kid) changed its name, issuer,
 * settings, origins or keys, once the write is committed (see lib/org-changes.ts).
 */
export type AnnounceOrgChange = (orgId: string | null) => Promise<void>;

/**
 * With `lookups` (the app's), a key or origin costs one query per cache lifetime whether it is
 * found or refused, and writes through this repository forget what they change at once.
 * Without them (the CLI, which looks a key up once) every lookup reads the database. With
 * `announce`, every write tells the other instances too.
 */
export function createOrgsRepository(
  db: Database,
  lookups?: OrgLookupCaches,
  announce: AnnounceOrgChange = async () => {},
) {
  /**
   * Every org that allows an origin, in one query; refusals are remembered too. A cached answer
   * comes back as it is, not in a promise: the request it serves goes on at once.
   */
  function orgsAllowing(origin: string): string[] | Promise<string[]> {
    // Allowed first: every request from a widget asks for an origin its org allows.
    const cached = lookups?.originOrgs.get(origin);
    if (cached) return cached;
    if (lookups?.refusedOrigins.get(origin)) return [];
    return queryOrgsAllowing(origin);
  }

  async function queryOrgsAllowing(origin: string): Promise<string[]> {
    const rows = await db.select<{ org_id: string }>(
      'SELECT org_id FROM org_origins WHERE origin = :origin',
      { origin },
    );
    const orgIds = rows.map((row) => row.org_id);
    if (orgIds.length > 0) lookups?.originOrgs.set(origin, orgIds);
    else lookups?.refusedOrigins.set(origin, true);
    return orgIds;
  }

  /**
   * The key and its org in one query: token verification may ask nothing else first. A cached
   * answer comes back as it is, not in a promise, so a token checked from the caches costs its
   * request no turn of the event loop.
   */
  function keyWithOrg(kid: string): KeyWithOrg | null | Promise<KeyWithOrg | null> {
    const cached = lookups?.activeKeys.get(kid);
    if (cached) return cached;
    if (lookups?.refusedKids.get(kid)) return null;
    return queryKeyWithOrg(kid);
  }

  async function queryKeyWithOrg(kid: string): Promise<KeyWithOrg | null> {
    const [row] = await db.select<
      KeyRow & { slug: string; name: string; issuer: string; settings: string }
    >(
      `SELECT k.kid, k.org_id, k.alg, k.secret_encrypted, k.public_key_pem, k.status,
              o.slug, o.name, o.issuer, o.settings
       FROM embed_keys k JOIN organizations o ON o.id = k.org_id
       WHERE k.kid = :kid`,
      { kid },
    );
    if (!row) {
      lookups?.refusedKids.set(kid, true);
      return null;
    }
    const found: KeyWithOrg = {
      key: toKey(row),
      org: {
        id: row.org_id,
        slug: row.slug,
        name: row.name,
        issuer: row.issuer,
        settings: parseSettings(row.settings),
      },
    };
    if (found.key.status === 'active') lookups?.activeKeys.set(kid, found);
    else lookups?.refusedKids.set(kid, true);
    return found;
  }

  /** Origins are few and change rarely: forgetting every cached answer is simplest. */
  function forgetOrigins() {
    lookups?.originOrgs.clear();
    lookups?.refusedOrigins.clear();
  }

  async function originsOf(orgId: string): Promise<string[]> {
    const rows = await db.select<{ origin: string }>(
      'SELECT origin FROM org_origins WHERE org_id = :orgId ORDER BY origin',
      { orgId },
    );
    return rows.map((row) => row.origin);
  }

  return {
    async insertOrg(org: Omit<OrgRecord, 'id'>, tx?: Tx): Promise<OrgRecord> {
      const id = randomUUID();
      const now = Date.now();
      await db.execute(
        `INSERT INTO organizations (id, slug, name, issuer, settings, created_at, updated_at)
         VALUES (:id, :slug, :name, :issuer, :settings, :now, :now)`,
        { id, ...org, settings: JSON.stringify(org.settings), now },
        tx,
      );
      for (const origin of new Set(org.allowedOrigins)) {
        await db.execute(
          'INSERT INTO org_origins (org_id, origin) VALUES (:id, :origin)',
          { id, origin },
          tx,
        );
      }
      forgetOrigins();
      // Inside a caller's transaction nothing is committed yet: that caller announces.
      if (!tx) await announce(id);
      return { id, ...org };
    },

    async findOrgBySlug(slug: string): Promise<OrgRecord | null> {
      const [row] = await db.select<OrgRow>(
        'SELECT id, slug, name, issuer, settings FROM organizations WHERE slug = :slug',
        { slug },
      );
      return row ? toOrg(row, await originsOf(row.id)) : null;
    },

    keyWithOrg,
    orgsAllowing,

    /** Replaces an org's allowed origins (CORS) in one transaction. */
    async replaceOrigins(orgId: string, origins: string[]): Promise<void> {
      await db.transaction(async (tx) => {
        await db.execute('DELETE FROM org_origins WHERE org_id = :orgId', { orgId }, tx);
        for (const origin of new Set(origins)) {
          await db.execute(
            'INSERT INTO org_origins (org_id, origin) VALUES (:orgId, :origin)',
            { orgId, origin },
            tx,
          );
        }
      });
      forgetOrigins();
      await announce(orgId);
    },

    async listOrgs(): Promise<OrgRecord[]> {
      const rows = await db.select<OrgRow>(
        'SELECT id, slug, name, issuer, settings FROM organizations ORDER BY slug',
      );
      const origins = await db.select<{ org_id: string; origin: string }>(
        'SELECT org_id, origin FROM org_origins ORDER BY origin',
      );
      return rows.map((row) =>
        toOrg(
          row,
          origins.filter((o) => o.org_id === row.id).map((o) => o.origin),
        ),
      );
    },

    async countsOf(orgId: string): Promise<OrgCounts> {
      const count = async (table: string) => {
        const [row] = await db.select<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM ${table} WHERE org_id = :orgId`,
          { orgId },
        );
        return Number(row?.n ?? 0);
      };
      return {
        timeframes: await count('timeframes'),
        teams: await count('teams'),
        users: await count('users'),
        goals: await count('goals'),
        keyResults: await count('key_results'),
        checkIns: await count('check_ins'),
      };
    },

    /** Name, issuer, settings and origins change together or not at all. */
    async updateOrg(orgId: string, change: OrgChange): Promise<void> {
      await db.transaction(async (tx) => {
        const now = Date.now();
        for (const [column, value] of [
          ['name', change.name],
          ['issuer', change.issuer],
          ['settings', change.settings && JSON.stringify(change.settings)],
        ] as const) {
          if (value === undefined) continue;
          await db.execute(
            `UPDATE organizations SET ${column} = :value, updated_at = :now WHERE id = :orgId`,
            { value, now, orgId },
            tx,
          );
        }
        for (const origin of new Set(change.removeOrigins)) {
          await db.execute(
            'DELETE FROM org_origins WHERE org_id = :orgId AND origin = :origin',
            { orgId, origin },
            tx,
          );
        }
        for (const origin of new Set(change.addOrigins)) {
          await db.execute(
            'DELETE FROM org_origins WHERE org_id = :orgId AND origin = :origin',
            { orgId, origin },
            tx,
          );
          await db.execute(
            'INSERT INTO org_origins (org_id, origin) VALUES (:orgId, :origin)',
            { orgId, origin },
            tx,
          );
        }
      });
      // An issuer, settings or origin change must reach the next request, not the next expiry.
      lookups?.activeKeys.clear();
      forgetOrigins();
      await announce(orgId);
    },

    /** The org and every row it owns, in one transaction. */
    async deleteOrg(orgId: string): Promise<void> {
      await db.transaction(async (tx) => {
        for (const table of orgTables) {
          await db.execute(`DELETE FROM ${table} WHERE org_id = :orgId`, { orgId }, tx);
        }
        await db.execute('DELETE FROM organizations WHERE id = :orgId', { orgId }, tx);
      });
      lookups?.activeKeys.clear();
      forgetOrigins();
      await announce(orgId);
    },

    async listKeys(orgId?: string): Promise<KeyListing[]> {
      const rows = await db.select<{
        kid: string;
        slug: string;
        alg: string;
        status: string;
        created_at: number | string;
        retired_at: number | string | null;
      }>(
        `SELECT k.kid, o.slug, k.alg, k.status, k.created_at, k.retired_at
         FROM embed_keys k JOIN organizations o ON o.id = k.org_id
         ${orgId === undefined ? '' : 'WHERE k.org_id = :orgId'}
         ORDER BY o.slug, k.created_at, k.kid`,
        { orgId },
      );
      return rows.map((row) => ({
        kid: row.kid,
        org: row.slug,
        alg: row.alg as EmbedKeyRecord['alg'],
        status: row.status === 'active' ? 'active' : 'retired',
        createdAt: iso(row.created_at) ?? '',
        retiredAt: iso(row.retired_at),
      }));
    },

    /** Every stored HS256 secret, for re-encryption under a new master key. */
    async encryptedSecrets(tx?: Tx): Promise<Array<{ kid: string; secretEncrypted: string }>> {
      const rows = await db.select<{ kid: string; secret_encrypted: string }>(
        'SELECT kid, secret_encrypted FROM embed_keys WHERE secret_encrypted IS NOT NULL ORDER BY kid',
        {},
        tx,
      );
      return rows.map((row) => ({ kid: row.kid, secretEncrypted: row.secret_encrypted }));
    },

    async replaceSecret(kid: string, secretEncrypted: string, tx: Tx): Promise<void> {
      await db.execute(
        'UPDATE embed_keys SET secret_encrypted = :secretEncrypted WHERE kid = :kid',
        { kid, secretEncrypted },
        tx,
      );
    },

    async insertKey(key: EmbedKeyRecord, tx?: Tx): Promise<void> {
      await db.execute(
        `INSERT INTO embed_keys (kid, org_id, alg, secret_encrypted, public_key_pem, status, created_at)
         VALUES (:kid, :orgId, :alg, :secretEncrypted, :publicKeyPem, :status, :now)`,
        { ...key, now: Date.now() },
        tx,
      );
      lookups?.refusedKids.delete(key.kid);
      // Inside a caller's transaction nothing is committed yet: that caller announces.
      if (!tx) await announce(key.orgId);
    },

    async findKey(kid: string): Promise<EmbedKeyRecord | null> {
      const [row] = await db.select<KeyRow>(
        `SELECT kid, org_id, alg, secret_encrypted, public_key_pem, status
         FROM embed_keys WHERE kid = :kid`,
        { kid },
      );
      return row ? toKey(row) : null;
    },

    async activeKeys(orgId: string, alg?: string): Promise<EmbedKeyRecord[]> {
      const rows = await db.select<KeyRow>(
        `SELECT kid, org_id, alg, secret_encrypted, public_key_pem, status FROM embed_keys
         WHERE org_id = :orgId AND status = 'active' ORDER BY created_at DESC`,
        { orgId },
      );
      return rows.map(toKey).filter((key) => alg === undefined || key.alg === alg);
    },

    async retireKey(kid: string): Promise<void> {
      lookups?.activeKeys.delete(kid);
      await db.execute(
        "UPDATE embed_keys SET status = 'retired', retired_at = :now WHERE kid = :kid",
        { kid, now: Date.now() },
      );
      lookups?.refusedKids.set(kid, true);
      await announce(null);
    },
  };
}

export type OrgsRepository = ReturnType<typeof createOrgsRepository>;
