import { createPublicKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError, conflict, notFound } from '../../lib/errors.js';
import { decryptSecret, encryptSecret } from '../../lib/secrets.js';
import { isUniqueViolation } from '../../lib/db.js';
import type { EmbedKeyRecord, OrgRecord, OrgsRepository } from './orgs.repository.js';

export const AUDIENCE = 'okr-embed';
export type KeyAlgorithm = EmbedKeyRecord['alg'];

export interface NewOrg {
  slug: string;
  name: string;
  issuer?: string;
  origins?: string[];
  initiativesCount?: boolean;
}

export interface TokenRequest {
  org: string;
  sub: string;
  name?: string;
  email?: string;
  teams?: string[];
  scope?: string;
  ttlSeconds?: number;
}

function normaliseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('invalid_origin', `Not an origin: ${value}`, 400);
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new AppError('invalid_origin', `Origins are http(s) only: ${value}`, 400);
  }
  return url.origin;
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
      try {
        return await repo.insertOrg({
          slug: input.slug,
          name: input.name,
          issuer: input.issuer ?? `https://${input.slug}.okr-embed.example`,
          settings: { initiativesCount: input.initiativesCount ?? false },
          allowedOrigins: (input.origins ?? []).map(normaliseOrigin),
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
      const [key] = await repo.activeKeys(org.id, 'HS256');
      if (!key) {
        throw new AppError(
          'no_hs256_key',
          `Organization "${org.slug}" has no active HS256 key`,
          400,
        );
      }
      const ttl = request.ttlSeconds ?? 300;
      const claims: Record<string, unknown> = {
        sub: request.sub,
        name: request.name ?? request.sub,
        scope: request.scope ?? 'okr:read okr:checkin',
      };
      if (request.email) claims.email = request.email;
      if (request.teams) claims.teams = request.teams;
      const token = jwt.sign(claims, this.secretOf(key), {
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
