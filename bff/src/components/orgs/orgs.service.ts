import { createPublicKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError, conflict, notFound } from '../../lib/errors.js';
import { decryptSecret, encryptSecret } from '../../lib/secrets.js';
import { isUniqueViolation } from '../../lib/db.js';
import type { EmbedKeyRecord, OrgRecord, OrgsRepository } from './orgs.repository.js';

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const AUDIENCE = 'okr-embed';
export type KeyAlgorithm = EmbedKeyRecord['alg'];

export interface OrgUpdate {
  name?: string;
  issuer?: string;
  addOrigins?: string[];
  removeOrigins?: string[];
  initiativesCount?: boolean;
}

export interface NewOrg {
  slug: string;
  name: string;
  issuer?: string;
  origins?: string[];
  initiativesCount?: boolean;
}

export interface TokenRequest {
  org: string;
  /** A particular key; by default the newest active HS256 key this master key can decrypt. */
  kid?: string;
  sub: string;
  name?: string;
  email?: string;
  teams?: string[];
  scope?: string;
  ttlSeconds?: number;
}

/**
 * An allowed origin is compared with the browser's `Origin` header byte for byte, so it must be
 * written exactly as a browser sends one: anything else would be stored but never match.
 */
export function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('invalid_origin', `Not an origin: ${value}`, 400);
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new AppError('invalid_origin', `Origins are http(s) only: ${value}`, 400);
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new AppError(
      'invalid_origin',
      `An origin is scheme://host[:port] with no path, query or fragment: ${value} (did you mean ${url.origin}?)`,
      400,
    );
  }
  if (value !== url.origin) {
    throw new AppError(
      'invalid_origin',
      `Write the origin as the browser sends it: ${url.origin}, not ${value}`,
      400,
    );
  }
  return value;
}

/** Without --issuer the host's own origin is the issuer, as the embedding guide signs with. */
export function defaultIssuer(slug: string, origins: string[] = []): string {
  return origins[0] ?? `https://${slug}.okr-embed.example`;
}

/** Checks a PEM public key against the algorithm it will verify. */
function checkPublicKey(alg: KeyAlgorithm, pem: string): string {
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AppError('invalid_public_key', 'The file is not a PEM public key', 400);
  }
  const fits =
    (alg === 'ES256' &&
      key.asymmetricKeyType === 'ec' &&
      key.asymmetricKeyDetails?.namedCurve === 'prime256v1') ||
    (alg === 'RS256' &&
      key.asymmetricKeyType === 'rsa' &&
      (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048);
  if (!fits) {
    throw new AppError(
      'invalid_public_key',
      alg === 'ES256'
        ? 'ES256 needs a P-256 EC public key'
        : 'RS256 needs an RSA public key of at least 2048 bits',
      400,
    );
  }
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export function createOrgsService(repo: OrgsRepository, masterKey: Buffer | undefined) {
  function requireMasterKey(): Buffer {
    if (!masterKey) {
      throw new AppError(
        'master_key_missing',
        'OKR_MASTER_KEY is not set: HS256 secrets cannot be stored or read without it',
        500,
      );
    }
    return masterKey;
  }

  async function orgBySlug(slug: string): Promise<OrgRecord> {
    const org = await repo.findOrgBySlug(slug);
    if (!org) throw notFound(`Organization "${slug}"`);
    return org;
  }

  return {
    orgBySlug,

    async createOrg(input: NewOrg): Promise<OrgRecord> {
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(input.slug)) {
        throw new AppError(
          'invalid_slug',
          'A slug is lower-case letters, digits and dashes (≤ 63)',
          400,
        );
      }
      const origins = (input.origins ?? []).map(parseOrigin);
      try {
        return await repo.insertOrg({
          slug: input.slug,
          name: input.name,
          issuer: input.issuer ?? defaultIssuer(input.slug, origins),
          settings: { initiativesCount: input.initiativesCount ?? false },
          allowedOrigins: origins,
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw conflict('org_exists', `Organization "${input.slug}" exists`);
        throw error;
      }
    },

    /** Returns the key and, for HS256, the secret: the only time it is shown. */
    async addKey(slug: string, alg: KeyAlgorithm, publicKeyPem?: string) {
      const org = await orgBySlug(slug);
      const kid = `${org.slug}-${randomBytes(6).toString('hex')}`;
      if (alg === 'HS256') {
        const secret = randomBytes(32);
        await repo.insertKey({
          kid,
          orgId: org.id,
          alg,
          secretEncrypted: encryptSecret(secret, requireMasterKey(), kid),
          publicKeyPem: null,
          status: 'active',
        });
        return { kid, alg, org: org.slug, secret: secret.toString('base64url') };
      }
      if (!publicKeyPem) {
        throw new AppError('public_key_required', `${alg} needs --public-key FILE`, 400);
      }
      await repo.insertKey({
        kid,
        orgId: org.id,
        alg,
        secretEncrypted: null,
        publicKeyPem: checkPublicKey(alg, publicKeyPem),
        status: 'active',
      });
      return { kid, alg, org: org.slug };
    },

    async retireKey(kid: string) {
      const key = await repo.findKey(kid);
      if (!key) throw notFound(`Key "${kid}"`);
      await repo.retireKey(kid);
      return { kid, status: 'retired' as const };
    },

    /** The HS256 secret of a stored key, for verification and for the development signer. */
    secretOf(key: EmbedKeyRecord): Buffer {
      if (!key.secretEncrypted) throw new Error(`key ${key.kid} has no secret`);
      return decryptSecret(key.secretEncrypted, requireMasterKey(), key.kid);
    },

    /**
     * The HS256 key to sign with and its secret. Keys that are there but cannot be used are named
     * with the reason, so an operator knows which kid to retire or which master key is missing.
     */
    async signingKey(
      org: OrgRecord,
      kid?: string,
    ): Promise<{ key: EmbedKeyRecord; secret: Buffer }> {
      let candidates = await repo.activeKeys(org.id, 'HS256');
      if (kid !== undefined) {
        const key = await repo.findKey(kid);
        if (!key || key.orgId !== org.id) throw notFound(`Key "${kid}" of "${org.slug}"`);
        if (key.status !== 'active') {
          throw new AppError('key_retired', `Key "${kid}" is retired`, 400);
        }
        if (key.alg !== 'HS256') {
          throw new AppError(
            'not_hs256',
            `Key "${kid}" is ${key.alg}: only the host holds its private key`,
            400,
          );
        }
        candidates = [key];
      }
      if (candidates.length === 0) {
        throw new AppError(
          'no_hs256_key',
          `Organization "${org.slug}" has no active HS256 key`,
          400,
        );
      }
      const unusable: string[] = [];
      for (const key of candidates) {
        try {
          return { key, secret: this.secretOf(key) };
        } catch (error) {
          if (error instanceof AppError) throw error;
          // AES-GCM says only "unable to authenticate data": in practice another master key.
          unusable.push(
            `${key.kid} (${reasonOf(error) === 'unknown secret format' ? 'the stored secret is damaged' : 'encrypted under another master key'})`,
          );
        }
      }
      throw new AppError(
        'key_unusable',
        `No active HS256 key of "${org.slug}" can be decrypted with this OKR_MASTER_KEY: ${unusable.join(', ')}; retire it with okr key retire --kid K and add a new one`,
        400,
      );
    },

    async listOrgs() {
      return repo.listOrgs();
    },

    async showOrg(slug: string) {
      const org = await orgBySlug(slug);
      return { ...org, keys: await repo.listKeys(org.id), counts: await repo.countsOf(org.id) };
    },

    async updateOrg(slug: string, update: OrgUpdate): Promise<OrgRecord> {
      const org = await orgBySlug(slug);
      const addOrigins = (update.addOrigins ?? []).map(parseOrigin);
      const missing = (update.removeOrigins ?? []).filter((o) => !org.allowedOrigins.includes(o));
      if (missing.length > 0) {
        throw new AppError(
          'unknown_origin',
          `Not an allowed origin of "${slug}": ${missing.join(', ')}`,
          400,
        );
      }
      await repo.updateOrg(org.id, {
        name: update.name,
        issuer: update.issuer,
        settings:
          update.initiativesCount === undefined
            ? undefined
            : { ...org.settings, initiativesCount: update.initiativesCount },
        addOrigins,
        removeOrigins: update.removeOrigins,
      });
      return orgBySlug(slug);
    },

    /** An org with goals goes only when the operator says its data goes too. */
    async deleteOrg(slug: string, withData: boolean) {
      const org = await orgBySlug(slug);
      const counts = await repo.countsOf(org.id);
      if (counts.goals > 0 && !withData) {
        throw conflict(
          'org_has_data',
          `Organization "${slug}" has ${counts.goals} goals: add --with-data to delete them too (okr export first keeps a copy)`,
        );
      }
      await repo.deleteOrg(org.id);
      return { slug, deleted: counts };
    },

    async listKeys(slug?: string) {
      return repo.listKeys(slug === undefined ? undefined : (await orgBySlug(slug)).id);
    },

    /** A development signer standing in for the host's server (CLI `token`, demo mode). */
    async signToken(request: TokenRequest, production: boolean) {
      if (production) {
        throw new AppError(
          'refused_in_production',
          'Tokens are signed by the host, not by okr-embed, in production',
          403,
        );
      }
      const org = await orgBySlug(request.org);
      const { key, secret } = await this.signingKey(org, request.kid);
      const ttl = request.ttlSeconds ?? 300;
      const claims: Record<string, unknown> = {
        sub: request.sub,
        name: request.name ?? request.sub,
        scope: request.scope ?? 'okr:read okr:checkin',
      };
      if (request.email) claims.email = request.email;
      if (request.teams) claims.teams = request.teams;
      const token = jwt.sign(claims, secret, {
        algorithm: 'HS256',
        keyid: key.kid,
        issuer: org.issuer,
        audience: AUDIENCE,
        expiresIn: ttl,
      });
      return { token, kid: key.kid, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;
