import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { SCOPES, type Scope, type TeamSummary } from '@okr-embed/contract';
import { AppError } from './errors.js';
import type { Logger } from './logger.js';
import type { Caches } from './caches.js';
import type { KeyWithOrg, OrgRecord, OrgsRepository } from '../components/orgs/orgs.repository.js';
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
export const MAX_TOKEN_LENGTH = 8_192;
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

/** A user as the just-in-time write left it, with their teams. */
type KnownUser = { user: UserRecord; teams: TeamSummary[] };

/** From this age a known user is read again behind the answer (caches.ts: it lives 22.5-30 s). */
const KNOWN_USER_REFRESH_MS = 20_000;

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

/**
 * Runs once a token has proved its org and before its user is looked up or written: a page
 * that org does not allow is answered there (`cors.ts`), so a refused origin costs no SQL for a
 * person the caches have not seen, and writes no user row. `next` goes on to the user.
 */
export type OriginGate = (
  req: Request,
  res: Response,
  org: AuthContext['org'],
  next: () => void | Promise<void>,
) => void | Promise<void>;

export interface AuthDeps {
  orgs: OrgsRepository;
  orgsService: OrgsService;
  users: UsersRepository;
  logger: Logger;
  caches: Pick<Caches, 'verifiedTokens' | 'publicKeys' | 'secrets' | 'knownUsers'>;
  /** Required: an authenticator that could be built without it would skip the origin check. */
  admitOrigin: OriginGate;
}

/** The token of an `Authorization: Bearer` header; a refusal (thrown) if none, or too large. */
export function bearerTokenOf(req: Request): string {
  const token = BEARER_TOKEN.exec(req.get('authorization') ?? '')?.[1];
  if (!token) {
    throw new AppError('missing_token', 'An Authorization: Bearer token is required', 401);
  }
  if (token.length > MAX_TOKEN_LENGTH) throw invalidToken('The token is too large');
  return token;
}

/**
 * A token's header, decoded alone: the key lookup needs only its `kid`, and a token whose key is
 * refused is never decoded further. Undefined when it is not a JSON object.
 */
export function headerOf(token: string): Record<string, unknown> | undefined {
  const end = token.indexOf('.');
  if (end <= 0) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, end), 'base64url').toString());
    return typeof header === 'object' && header !== null && !Array.isArray(header)
      ? (header as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

type MaybePromise<T> = T | Promise<T>;

/** Runs `then` on a value now, or once its promise settles: cached answers never wait. */
function andThen<T, U>(
  value: MaybePromise<T>,
  then: (value: T) => MaybePromise<U>,
): MaybePromise<U> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** A token whose signature and claims checked out, with its key as found; not yet its user. */
interface Proven {
  verified: VerifiedToken;
  found: KeyWithOrg;
  /** Verified just now: cached once its user is in hand. */
  fresh: boolean;
}

/**
 * `authenticate` answers from the caches without waiting whenever they know the answer: a
 * token verified before, whose key and user are cached, goes on to the next handler at once
 * (no promise, no turn of the event loop), and a token whose kid the caches refuse is refused
 * the same way. Only what the caches cannot tell waits for the database.
 */
export function createAuthenticator({
  orgs,
  orgsService,
  users,
  logger,
  caches,
  admitOrigin,
}: AuthDeps) {
  const { verifiedTokens, publicKeys, secrets, knownUsers } = caches;
  /**
   * The context last built for each verified token, reused while the key (with its org) and the
   * user it was built from are the very objects the caches hold now: a widget sending one token
   * for an hour gets one context, not one per request. Goes with the cache entry it is keyed by.
   */
  const builtContexts = new WeakMap<VerifiedToken, AuthContext>();

  function contextFor(verified: VerifiedToken, org: KeyWithOrg['org'], known: KnownUser) {
    const built = builtContexts.get(verified);
    if (built?.org === org && built.user === known.user && built.teams === known.teams) {
      return built;
    }
    const tokenExpiresAtMs = verified.expiresAtMs - CLOCK_SKEW_SECONDS * 1000;
    const context = {
      org,
      user: known.user,
      teams: known.teams,
      scopes: verified.scopes,
      tokenExpiresAtMs,
    };
    builtContexts.set(verified, context);
    return context;
  }

  /** Claims whose user is being read again behind the answer, so that it is read once. */
  const refreshing = new Set<string>();

  /** Reads the user again without holding up the request that found it due. */
  function refreshKnown(verified: VerifiedToken) {
    const key = verified.claimsKey;
    if (refreshing.has(key)) return;
    refreshing.add(key);
    users
      .upsertFromClaims(verified.orgId, verified.userClaims)
      .then((written) => knownUsers.set(key, written))
      // The entry still serves until its lifetime ends; then a request reads it itself.
      .catch((error: unknown) => logger.warn({ err: error }, 'known user refresh failed'))
      .finally(() => refreshing.delete(key));
  }

  function contextOf(verified: VerifiedToken, { org }: KeyWithOrg): MaybePromise<AuthContext> {
    const known = knownUsers.get(verified.claimsKey);
    if (known) {
      // An entry lives 22.5-30 s from its write, never renewed by use (else a caller who never
      // pauses would never see a membership changed elsewhere). From 20 s it is read again
      // behind the answer, so an active caller does not wait on the database when it ends.
      if ((knownUsers.ageOf(verified.claimsKey) ?? 0) >= KNOWN_USER_REFRESH_MS) {
        refreshKnown(verified);
      }
      return contextFor(verified, org, known);
    }
    return users.upsertFromClaims(verified.orgId, verified.userClaims).then((written) => {
      knownUsers.set(verified.claimsKey, written);
      return contextFor(verified, org, written);
    });
  }

  function verificationKeyOf(key: KeyWithOrg['key'], kid: string): KeyObject {
    // A KeyObject, not a Buffer: given raw bytes, jsonwebtoken first tries (and fails, slowly)
    // to read them as a public key on every request.
    if (key.alg !== 'HS256') {
      const pem = key.publicKeyPem ?? '';
      const publicKey = publicKeys.get(pem) ?? createPublicKey(pem);
      publicKeys.set(pem, publicKey);
      return publicKey;
    }
    try {
      const cipherText = key.secretEncrypted ?? '';
      const secret = secrets.get(cipherText) ?? createSecretKey(orgsService.secretOf(key));
      secrets.set(cipherText, secret);
      return secret;
    } catch (error) {
      logger.error(
        { err: error, kid },
        'cannot decrypt the HS256 secret: is OKR_MASTER_KEY right?',
      );
      throw invalidToken('The key cannot be used');
    }
  }

  /** The signature and the claims, checked against the key the token's kid names. */
  function verifyWithKey(token: string, kid: string, found: KeyWithOrg | null): Proven {
    if (!found || found.key.status !== 'active') throw invalidToken('Unknown or retired key');
    const { key, org } = found;
    const verificationKey = verificationKeyOf(key, kid);
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
    return { verified: fresh, found, fresh: true };
  }

  function verifyAfresh(token: string): MaybePromise<Proven> {
    const header = headerOf(token);
    if (!header) throw invalidToken('The token is malformed');
    const kid = header.kid;
    if (typeof kid !== 'string' || kid.length === 0 || kid.length > 64) {
      throw invalidToken('The token has no usable kid');
    }
    return andThen(orgs.keyWithOrg(kid), (found) => verifyWithKey(token, kid, found));
  }

  /** What a token proves, or a refusal (thrown) with the reason. */
  function verify(token: string): MaybePromise<Proven> {
    const verified = verifiedTokens.get(token);
    if (!verified) return verifyAfresh(token);
    // A hit still looks its key up (cached for at most 5 s), so a retired key stops its tokens
    // within that window, and the user goes through the same 30 s cache. Anything that
    // changed since (time, the key, its org's issuer) goes through the full check, which
    // refuses it with the usual reason.
    if (verified.expiresAtMs <= Date.now()) {
      verifiedTokens.delete(token);
      return verifyAfresh(token);
    }
    const found = orgs.keyWithOrg(verified.kid);
    return found instanceof Promise
      ? found.then((key) => stillValid(token, verified, key))
      : stillValid(token, verified, found);
  }

  /** A verified token's key as found now: the same active key of the same org and issuer? */
  function stillValid(
    token: string,
    verified: VerifiedToken,
    found: KeyWithOrg | null,
  ): MaybePromise<Proven> {
    if (
      found?.key.status === 'active' &&
      found.org.id === verified.orgId &&
      found.org.issuer === verified.issuer
    ) {
      return { verified, found, fresh: false };
    }
    verifiedTokens.delete(token);
    return verifyAfresh(token);
  }

  /** The caller a proven token stands for: its user, from the cache or written from its claims. */
  function identify(token: string, { verified, found, fresh }: Proven): MaybePromise<AuthContext> {
    // Cached once its user is in hand: a token whose user could not be written is checked again.
    return andThen(contextOf(verified, found), (context) => {
      if (fresh) verifiedTokens.set(token, verified);
      return context;
    });
  }

  return function authenticate(
    req: Request,
    res: Response,
    next: NextFunction,
  ): void | Promise<void> {
    const token = bearerTokenOf(req);
    const admitUser = (proven: Proven): void | Promise<void> => {
      const context = identify(token, proven);
      if (context instanceof Promise) return context.then((known) => admit(req, known, next));
      admit(req, context, next);
    };
    const gate = (proven: Proven) =>
      admitOrigin(req, res, proven.found.org, () => admitUser(proven));
    const proven = verify(token);
    return proven instanceof Promise ? proven.then(gate) : gate(proven);
  };
}

function admit(req: Request, context: AuthContext, next: NextFunction): void {
  contexts.set(req, context);
  next();
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
