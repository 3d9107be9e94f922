import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { isDatabaseUnavailable } from './db.js';
import { authIfKnown } from './auth.js';
import { AppError } from './errors.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { HeaderDeclaration } from './openapi.js';
import { ifMatchHeader } from './schemas.js';
import { ViewBody } from './view-body.js';

const requestIds = new WeakMap<Request, string>();
/** Why a request was refused, for its log line: what the caller was told, and the origin. */
const refusals = new WeakMap<Request, { code: string; reason: string; origin?: string }>();

/**
 * The route's template (`/api/v1/goals/:id`), never the path with ids and query in it; before a
 * route matched (a 401 in authentication, a 404) there is none, and the line says so.
 */
function routeOf(req: Request): string | null {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return null;
  return `${mounts.get(req) ?? req.baseUrl}${path === '/' ? '' : path}`;
}

/**
 * Where a router is mounted, remembered while the request is inside it: Express resets
 * `req.baseUrl` when the request leaves the router, so an error answered by the app's error
 * handler would otherwise log (and count) `/goals/:id` instead of `/api/v1/goals/:id`.
 */
const mounts = new WeakMap<Request, string>();

export const rememberMount: RequestHandler = (req, _res, next) => {
  mounts.set(req, req.baseUrl);
  next();
};

export function requestIdOf(req: Request): string {
  return requestIds.get(req) ?? 'unknown';
}

/**
 * Keeps a caller's `X-Request-Id` when it looks like one, so logs join up across services; logs
 * each request and times it for the metrics, under the same route template.
 */
export function requestContext(logger: Logger, metrics?: Metrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && /^[A-Za-z0-9._-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    requestIds.set(req, id);
    res.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const auth = authIfKnown(req);
      const refusal = refusals.get(req);
      const route = routeOf(req);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      metrics?.observeRequest(req.method, route, res.statusCode, ms / 1000);
      logger.info(
        {
          requestId: id,
          method: req.method,
          route,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms,
          // Ids only: a token or an email never reaches a log line.
          org: auth?.org.slug,
          userId: auth?.user.id,
          ...(refusal && { error: refusal }),
        },
        'request',
      );
    });
    next();
  };
}

/** A write request's body, when it has one, is JSON. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (['POST', 'PATCH', 'PUT'].includes(req.method)) {
    const length = req.get('content-length');
    const hasBody =
      req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
    if (hasBody && !req.is('application/json')) {
      throw new AppError('unsupported_media_type', 'Send the body as application/json', 415);
    }
  }
  next();
};

export function notFoundHandler(req: Request, _res: Response, next: NextFunction) {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`, 404));
}

interface BodyParserError {
  type?: string;
  status?: number;
}

function describe(error: unknown): {
  status: number;
  code: string;
  message: string;
  details?: unknown;
} {
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case 'entity.too.large':
      return { status: 413, code: 'payload_too_large', message: 'The request body is too large' };
    case 'entity.parse.failed':
      return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON' };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { status: 415, code: 'unsupported_media_type', message: 'Unsupported body encoding' };
  }
  if (
    typeof parserError?.status === 'number' &&
    parserError.status >= 400 &&
    parserError.status < 500
  ) {
    return {
      status: parserError.status,
      code: 'bad_request',
      message: 'The request cannot be read',
    };
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, code: 'database_unavailable', message: 'The database is unavailable' };
  }
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side' };
}

/**
 * Which limit refused a 429: `rate_limited` after authentication is the per-user limit, before
 * it the failed-authentication budget of the address; any other 429 is named by its code.
 */
function refusingLimit(req: Request, code: string): string {
  if (code !== 'rate_limited') return code;
  return authIfKnown(req) ? 'per_user' : 'auth_failures';
}

export function errorHandler(logger: Logger, metrics?: Metrics): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const requestId = requestIdOf(req);
    const { status, code, message, details } = describe(error);
    if (status >= 500) logger.error({ err: error, requestId }, 'request failed');
    if (status === 429) metrics?.countRefusal(refusingLimit(req, code));
    if (status === 401 || status === 403) {
      const origin = code === 'origin_not_allowed' ? req.get('origin') : undefined;
      refusals.set(req, { code, reason: message, ...(origin && { origin }) });
    }
    if (status === 401) {
      res.set(
        'WWW-Authenticate',
        code === 'invalid_token'
          ? 'Bearer realm="okr-embed", error="invalid_token"'
          : 'Bearer realm="okr-embed"',
      );
    }
    if (status === 429 && error instanceof AppError) {
      res.set(
        'Retry-After',
        String((error.details as { retryAfterSeconds: number }).retryAfterSeconds),
      );
    }
    res.status(status).json({
      error: { code, message, ...(details === undefined ? {} : { details }), requestId },
    });
  };
}

/**
 * The version a PATCH or DELETE expects, declared once for every route that edits a versioned
 * row: without If-Match an edit could silently undo another, so it is required (428).
 */
export const ifMatch = {
  'If-Match': {
    schema: ifMatchHeader,
    required: true,
    description: 'the version you last saw, e.g. "3"',
  },
} as const satisfies Record<string, HeaderDeclaration>;

/**
 * Sends a read with a weak ETag and answers If-None-Match with 304 itself. Express's own check
 * treats `Cache-Control: no-cache` as "always stale", and browsers add exactly that to any
 * fetch() that sets If-None-Match by hand, as the widgets' client does.
 */
export function sendView(req: Request, res: Response, view: unknown): void {
  // Views from the view cache come serialised; one built for this request is serialised here.
  const { bytes, etag } = view instanceof ViewBody ? view : ViewBody.of(view);
  res.set('ETag', etag);
  const ifNoneMatch = req.get('if-none-match');
  if (ifNoneMatch !== undefined) {
    const candidates = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (candidates.includes(etag.slice(2)) || candidates.includes('*')) {
      res.status(304).end();
      return;
    }
  }
  res.type('application/json').send(bytes);
}
