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
 * With `lookups` (the app's), a key or origin costs one query per cache lifetime whether it is
 * found or refused, and writes through this repository forget what they change at once.
 * Without them (the CLI, which looks a key up once) every lookup reads the database.
 */
export function createOrgsRepository(db: Database, lookups?: OrgLookupCaches) {
  /** Every org that allows an origin, in one query; refusals are remembered too. */
  async function orgsAllowing(origin: string): Promise<string[]> {
    if (lookups?.refusedOrigins.get(origin)) return [];
    const cached = lookups?.originOrgs.get(origin);
    if (cached) return cached;
    const rows = await db.select<{ org_id: string }>(
      'SELECT org_id FROM org_origins WHERE origin = :origin',
      { origin },
    );
    const orgIds = rows.map((row) => row.org_id);
    if (orgIds.length > 0) lookups?.originOrgs.set(origin, orgIds);
    else lookups?.refusedOrigins.set(origin, true);
    return orgIds;
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
      return { id, ...org };
    },

    async findOrgBySlug(slug: string): Promise<OrgRecord | null> {
      const [row] = await db.select<OrgRow>(
        'SELECT id, slug, name, issuer, settings FROM organizations WHERE slug = :slug',
        { slug },
      );
      return row ? toOrg(row, await originsOf(row.id)) : null;
    },

    async isOriginAllowedByAnyOrg(origin: string): Promise<boolean> {
      return (await orgsAllowing(origin)).length > 0;
    },

    async isOriginAllowedForOrg(orgId: string, origin: string): Promise<boolean> {
      return (await orgsAllowing(origin)).includes(orgId);
    },

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
    },

    async insertKey(key: EmbedKeyRecord, tx?: Tx): Promise<void> {
      await db.execute(
        `INSERT INTO embed_keys (kid, org_id, alg, secret_encrypted, public_key_pem, status, created_at)
         VALUES (:kid, :orgId, :alg, :secretEncrypted, :publicKeyPem, :status, :now)`,
        { ...key, now: Date.now() },
        tx,
      );
      lookups?.refusedKids.delete(key.kid);
    },

    async findKey(kid: string): Promise<EmbedKeyRecord | null> {
      const [row] = await db.select<KeyRow>(
        `SELECT kid, org_id, alg, secret_encrypted, public_key_pem, status
         FROM embed_keys WHERE kid = :kid`,
        { kid },
      );
      return row ? toKey(row) : null;
    },

    /** The key and its org in one query: token verification may ask nothing else first. */
    async findKeyWithOrg(kid: string): Promise<KeyWithOrg | null> {
      const cached = lookups?.activeKeys.get(kid);
      if (cached) return cached;
      if (lookups?.refusedKids.get(kid)) return null;
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
    },
  };
}

export type OrgsRepository = ReturnType<typeof createOrgsRepository>;
