import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { SCOPES, type Scope, type TeamSummary } from '@okr-embed/contract';
import { AppError } from './errors.js';
import type { Logger } from './logger.js';
import type { Caches } from './caches.js';
import type { OrgRecord, OrgsRepository } from '../components/orgs/orgs.repository.js';
import { AUDIENCE, type OrgsService } from '../components/orgs/orgs.service.js';
import type {
  UserClaims,
  UserRecord,
  UsersRepository,
} from '../components/users/users.repository.js';

export interface AuthContext {
  org: Omit<OrgRecord, 'allowedOrigins'>;
  user: UserRecord;
  teams: TeamSummary[];
  scopes: Set<Scope>;
  /** When the token stops being valid by its own claims (no skew), in ms: event streams end then. */
  tokenExpiresAtMs: number;
}

const MAX_TOKEN_AGE_SECONDS = 3600;
const CLOCK_SKEW_SECONDS = 30;
/**
 * Far above any real token (a hundred team keys fit), far below Node's 16 KB header limit: a
 * bigger one is refused before it is decoded, hashed or looked up.
 */
const MAX_TOKEN_LENGTH = 8_192;
/** An `Authorization` header with a token; the failure limiter reads tokens the same way. */
export const BEARER_TOKEN = /^Bearer ([A-Za-z0-9_\-.=]+)$/;
/** The longest a token can verify: its greatest age plus the skew. */
export const MAX_TOKEN_LIFETIME_MS = (MAX_TOKEN_AGE_SECONDS + CLOCK_SKEW_SECONDS) * 1000;

/** What a token proved once its signature and claims checked out; nothing here can change. */
export interface VerifiedToken {
  kid: string;
  orgId: string;
  issuer: string;
  userClaims: UserClaims;
  claimsKey: string;
  scopes: Set<Scope>;
  /** When jsonwebtoken would first refuse it (exp or iat + max age, plus the skew), in ms. */
  expiresAtMs: number;
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(255),
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  // A picture that is not an http(s) URL is dropped, not a reason to refuse the user.
  picture: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional()
    .catch(undefined),
  teams: z.array(z.string().min(1).max(64)).max(100).optional(),
  scope: z.string().max(1000).optional(),
  iat: z.number(),
  exp: z.number(),
});

const contexts = new WeakMap<Request, AuthContext>();

/** The verified caller; only routes behind `authenticate` may ask. */
export function authOf(req: Request): AuthContext {
  const context = contexts.get(req);
  if (!context) throw new Error('authOf() called on a route without authentication');
  return context;
}

/** The caller, when authentication has run and passed; for the request log, which never throws. */
export function authIfKnown(req: Request): AuthContext | undefined {
  return contexts.get(req);
}

export function invalidToken(message: string): AppError {
  return new AppError('invalid_token', message, 401);
}

export interface AuthDeps {
  orgs: OrgsRepository;
  orgsService: OrgsService;
  users: UsersRepository;
  logger: Logger;
  caches: Pick<Caches, 'verifiedTokens' | 'publicKeys' | 'secrets' | 'knownUsers'>;
}

export function createAuthenticator({ orgs, orgsService, users, logger, caches }: AuthDeps) {
  const { verifiedTokens, publicKeys, secrets, knownUsers } = caches;

  async function contextOf(
    { orgId, userClaims, claimsKey, scopes, expiresAtMs }: VerifiedToken,
    org: Omit<OrgRecord, 'allowedOrigins'>,
  ): Promise<AuthContext> {
    const known = knownUsers.get(claimsKey) ?? (await users.upsertFromClaims(orgId, userClaims));
    knownUsers.set(claimsKey, known);
    const tokenExpiresAtMs = expiresAtMs - CLOCK_SKEW_SECONDS * 1000;
    return { org, user: known.user, teams: known.teams, scopes, tokenExpiresAtMs };
  }

  return async function authenticate(req: Request, _res: Response, next: NextFunction) {
    const header = req.get('authorization') ?? '';
    const match = BEARER_TOKEN.exec(header);
    if (!match?.[1]) {
      throw new AppError('missing_token', 'An Authorization: Bearer token is required', 401);
    }
    const token = match[1];
    if (token.length > MAX_TOKEN_LENGTH) throw invalidToken('The token is too large');

    const verified = verifiedTokens.get(token);
    if (verified) {
      // A hit still looks its key up (cached for at most 5 s), so a retired key stops its tokens
      // within that window, and the user goes through the same 30 s cache. Anything that
      // changed since (time, the key, its org's issuer) goes through the full check below,
      // which refuses it with the usual reason.
      const found =
        verified.expiresAtMs > Date.now() ? await orgs.findKeyWithOrg(verified.kid) : null;
      if (
        found?.key.status === 'active' &&
        found.org.id === verified.orgId &&
        found.org.issuer === verified.issuer
      ) {
        contexts.set(req, await contextOf(verified, found.org));
        next();
        return;
      }
      verifiedTokens.delete(token);
    }

    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string')
      throw invalidToken('The token is malformed');
    const kid = decoded.header.kid;
    if (typeof kid !== 'string' || kid.length === 0 || kid.length > 64) {
      throw invalidToken('The token has no usable kid');
    }

    const found = await orgs.findKeyWithOrg(kid);
    if (!found || found.key.status !== 'active') throw invalidToken('Unknown or retired key');
    const { key, org } = found;

    // A KeyObject, not a Buffer: given raw bytes, jsonwebtoken first tries (and fails, slowly)
    // to read them as a public key on every request.
    let verificationKey: KeyObject;
    if (key.alg === 'HS256') {
      try {
        const cipherText = key.secretEncrypted ?? '';
        verificationKey = secrets.get(cipherText) ?? createSecretKey(orgsService.secretOf(key));
        secrets.set(cipherText, verificationKey);
      } catch (error) {
        logger.error(
          { err: error, kid },
          'cannot decrypt the HS256 secret: is OKR_MASTER_KEY right?',
        );
        throw invalidToken('The key cannot be used');
      }
    } else {
      const pem = key.publicKeyPem ?? '';
      verificationKey = publicKeys.get(pem) ?? createPublicKey(pem);
      publicKeys.set(pem, verificationKey);
    }

    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, verificationKey, {
        algorithms: [key.alg],
        audience: AUDIENCE,
        issuer: org.issuer,
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxAge: MAX_TOKEN_AGE_SECONDS,
      }) as jwt.JwtPayload;
    } catch (error) {
      throw invalidToken(error instanceof Error ? error.message : 'The token does not verify');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw invalidToken('The token lacks required claims (sub, iat, exp)');
    const { iat, exp } = claims.data;
    const now = Date.now() / 1000;
    if (iat > now + CLOCK_SKEW_SECONDS) throw invalidToken('The token was issued in the future');
    if (exp - iat > MAX_TOKEN_AGE_SECONDS) throw invalidToken('The token lives longer than 1 h');

    const userClaims: UserClaims = {
      sub: claims.data.sub,
      name: claims.data.name ?? claims.data.sub,
      email: claims.data.email ?? null,
      avatarUrl: claims.data.picture ?? null,
      teams: claims.data.teams,
    };
    const requested = (claims.data.scope ?? '').split(/\s+/);
    const fresh: VerifiedToken = {
      kid,
      orgId: org.id,
      issuer: org.issuer,
      userClaims,
      claimsKey: JSON.stringify([org.id, userClaims]),
      scopes: new Set(SCOPES.filter((scope) => requested.includes(scope))),
      expiresAtMs: (Math.min(exp, iat + MAX_TOKEN_AGE_SECONDS) + CLOCK_SKEW_SECONDS) * 1000,
    };
    contexts.set(req, await contextOf(fresh, org));
    verifiedTokens.set(token, fresh);
    next();
  };
}

/** `okr:admin` grants every scope. */
export function hasScope(auth: AuthContext, scope: Scope): boolean {
  return auth.scopes.has(scope) || auth.scopes.has('okr:admin');
}

export function requireScope(scope: Scope) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!hasScope(authOf(req), scope)) {
      throw new AppError('insufficient_scope', `This needs the ${scope} scope`, 403);
    }
    next();
  };
}
