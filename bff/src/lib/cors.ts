import type { NextFunction, Request, Response } from 'express';
import { authOf } from './auth.js';
import { AppError } from './errors.js';
import type { OrgsRepository } from '../components/orgs/orgs.repository.js';

const allowedMethods = 'GET, POST, PATCH, DELETE, OPTIONS';
const allowedHeaders =
  'Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Request-Id';
const exposedHeaders = 'ETag, Retry-After, X-Request-Id, Idempotent-Replayed, WWW-Authenticate';

/**
 * A preflight carries no token, so it cannot know the tenant: it is answered for an origin that
 * any org allows (exact match). The actual request is then held to its own org's origins by
 * `requireOrgOrigin`, after authentication.
 */
/** A page served from the BFF's own origin is not a cross-origin caller. */
function isSameOrigin(req: Request, origin: string): boolean {
  return origin === `${req.protocol}://${req.get('host')}`;
}

export function createCors(orgs: OrgsRepository) {
  async function corsHeaders(req: Request, res: Response, next: NextFunction) {
    res.vary('Origin');
    const origin = req.get('origin');
    const allowed = origin !== undefined && (await orgs.isOriginAllowedByAnyOrg(origin));
    if (allowed) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Expose-Headers', exposedHeaders);
    }
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      if (!allowed)
        throw new AppError('origin_not_allowed', 'This origin may not call the API', 403);
      res.set('Access-Control-Allow-Methods', allowedMethods);
      res.set('Access-Control-Allow-Headers', allowedHeaders);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  }

  async function requireOrgOrigin(req: Request, _res: Response, next: NextFunction) {
    const origin = req.get('origin');
    if (
      origin !== undefined &&
      !isSameOrigin(req, origin) &&
      !(await orgs.isOriginAllowedForOrg(authOf(req).org.id, origin))
    ) {
      throw new AppError(
        'origin_not_allowed',
        "This origin is not one of the org's allowed origins",
        403,
      );
    }
    next();
  }

  return { corsHeaders, requireOrgOrigin };
}
