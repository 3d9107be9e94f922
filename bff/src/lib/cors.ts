import type { NextFunction, Request, Response } from 'express';
import type { AuthContext, OriginGate } from './auth.js';
import { requestIdOf, type AnswerError } from './http.js';
import type { Logger } from './logger.js';
import type { OrgsRepository } from '../components/orgs/orgs.repository.js';

const allowedMethods = 'GET, POST, PATCH, DELETE, OPTIONS';
const allowedHeaders =
  'Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Request-Id';
const exposedHeaders = 'ETag, Retry-After, X-Request-Id, Idempotent-Replayed, WWW-Authenticate';

/** A page served from the BFF's own origin is not a cross-origin caller. */
function isSameOrigin(req: Request, origin: string): boolean {
  return origin === `${req.protocol}://${req.get('host')}`;
}

function grant(res: Response, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
}

/** Answers vary by Origin; the first to say so needs no parsing of what Vary said before. */
function varyByOrigin(res: Response): void {
  if (res.getHeader('Vary') === undefined) res.setHeader('Vary', 'Origin');
  else res.vary('Origin');
}

/**
 * What the host developer must do, in the words of the CLI. A page without an origin of its own
 * (`file://`, a sandboxed iframe) sends `null`, which no org can register.
 */
function remedy(slug: string, origin: string): { message: string; register: string | null } {
  if (origin === 'null') {
    return {
      message:
        'This page has no origin (file:// or a sandboxed iframe) and cannot be registered: serve it over http(s)',
      register: null,
    };
  }
  const register = `okr org update ${slug} --add-origin ${origin}`;
  return {
    message: `The origin ${origin} is not registered for this organization. Register it with: ${register}`,
    register,
  };
}

/**
 * Two checks, because a preflight carries no token and so cannot know the tenant:
 *
 * - `corsHeaders` answers every preflight with a grant, whatever the origin. That alone gives
 *   nothing away: the widgets send no cookies (no `Allow-Credentials`), so a page can only send
 *   a token it already holds, and the actual request is refused before any route runs. Refusing
 *   the preflight instead would leave the page an opaque "Failed to fetch" and the developer
 *   guessing; granting it lets the refusal below be read.
 * - `admitOrigin`, which authentication calls once the token has proved its org and before it
 *   looks up or writes the token's user (auth.ts), holds the actual request to its own org's
 *   origins: a refused page costs no user query and leaves no user row. Its refusal carries the
 *   CORS grant too, so the page can read why; it names only the origin the page sent and the
 *   token's own org, never another org or the org's list of origins.
 *
 * Other answers (data, and the 401 of a bad token) carry the grant only for an origin some org
 * has registered, as before.
 */
export function createCors(orgs: OrgsRepository, logger: Logger, answerError: AnswerError) {
  function grantIfRegistered(
    res: Response,
    next: NextFunction,
    origin: string,
    orgIds: string[],
  ): void {
    if (orgIds.length > 0) grant(res, origin);
    next();
  }

  /**
   * Both checks answer from the origin caches without waiting when they can: a browser's
   * request (every one carries Origin) goes on at once, not after a turn of the event loop.
   */
  function corsHeaders(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    varyByOrigin(res);
    const origin = req.get('origin');
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      if (origin !== undefined) grant(res, origin);
      res.set('Access-Control-Allow-Methods', allowedMethods);
      res.set('Access-Control-Allow-Headers', allowedHeaders);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    if (origin === undefined) return next();
    const allowing = orgs.orgsAllowing(origin);
    if (allowing instanceof Promise) {
      return allowing.then((orgIds) => grantIfRegistered(res, next, origin, orgIds));
    }
    grantIfRegistered(res, next, origin, allowing);
  }

  function holdToOrg(
    req: Request,
    res: Response,
    next: () => void | Promise<void>,
    origin: string,
    orgIds: string[],
    org: AuthContext['org'],
  ): void | Promise<void> {
    // The org's own origins are the common case; the same-origin page is the rare one.
    if (orgIds.includes(org.id) || isSameOrigin(req, origin)) return next();
    const { message, register } = remedy(org.slug, origin);
    logger.warn(
      {
        requestId: requestIdOf(req),
        org: org.slug,
        origin,
        reason: 'origin not registered for the org of the token',
      },
      'origin refused',
    );
    grant(res, origin);
    // Answered here, not thrown: a page (or a script) that keeps sending costs no Error each time.
    answerError(req, res, {
      status: 403,
      code: 'origin_not_allowed',
      message,
      details: { origin, register },
    });
  }

  /** The OriginGate of auth.ts: `next` only for a page the token's org allows. */
  const admitOrigin: OriginGate = (req, res, org, next) => {
    const origin = req.get('origin');
    if (origin === undefined) return next();
    const allowing = orgs.orgsAllowing(origin);
    if (allowing instanceof Promise) {
      return allowing.then((orgIds) => holdToOrg(req, res, next, origin, orgIds, org));
    }
    return holdToOrg(req, res, next, origin, allowing, org);
  };

  return { corsHeaders, admitOrigin };
}
