import { randomUUID } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { Config } from './config.js';
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

/**
 * The client's address as Express reads it under TRUST_PROXY (X-Forwarded-For only from the
 * proxies it names). Without a proxy to trust it is the socket's address, read directly: a
 * flood of requests is answered without parsing a header that cannot change the answer.
 */
export function clientAddress(trustProxy: Config['trustProxy']): (req: Request) => string {
  if (trustProxy === false) return (req) => req.socket.remoteAddress ?? 'unknown';
  return (req) => req.ip ?? 'unknown';
}

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

/**
 * A write request's body, when it has one, is JSON, parsed within `limitBytes`. A request with
 * neither Content-Length nor Transfer-Encoding (every GET a browser sends) has no body, so it
 * skips the parser, which would only find that out itself.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes });
  return (req, res, next) => {
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (length === undefined && !chunked) return next();
    const hasBody = chunked || length !== '0';
    if (hasBody && ['POST', 'PATCH', 'PUT'].includes(req.method) && !req.is('application/json')) {
      throw new AppError('unsupported_media_type', 'Send the body as application/json', 415);
    }
    parse(req, res, next);
  };
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction) {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`, 404));
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** What an error answer says: its status and the body's `code`, `message` and `details`. */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

function describe(error: unknown): ErrorAnswer {
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

export type AnswerError = (req: Request, res: Response, answer: ErrorAnswer) => void;

/**
 * Writes the one error shape, counts 429s and keeps a refusal's reason for the request's log
 * line. The error middleware answers every thrown error with it; a refusal decided without an
 * exception (an address that has spent its failed authentications, flooding) is answered with
 * it directly, so the flood costs no Error object and no trip through the error middleware.
 */
export function errorAnswerer(metrics?: Metrics): AnswerError {
  return (req, res, { status, code, message, details }) => {
    if (status === 429) metrics?.countRefusal(refusingLimit(req, code));
    if (status === 401 || status === 403) {
      const origin = code === 'origin_not_allowed' ? req.get('origin') : undefined;
      refusals.set(req, { code, reason: message, ...(origin && { origin }) });
    }
    if (status === 401) {
      res.setHeader(
        'WWW-Authenticate',
        code === 'invalid_token'
          ? 'Bearer realm="okr-embed", error="invalid_token"'
          : 'Bearer realm="okr-embed"',
      );
    }
    const retryAfter = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (status === 429 && typeof retryAfter === 'number') {
      res.setHeader('Retry-After', String(retryAfter));
    }
    // Written as it is: an error answer is never revalidated, so it needs no ETag computed.
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(
      JSON.stringify({
        error: {
          code,
          message,
          ...(details === undefined ? {} : { details }),
          requestId: requestIdOf(req),
        },
      }),
    );
  };
}

export function errorHandler(logger: Logger, metrics?: Metrics): ErrorRequestHandler {
  const answerError = errorAnswerer(metrics);
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = describe(error);
    if (answer.status >= 500)
      logger.error({ err: error, requestId: requestIdOf(req) }, 'request failed');
    answerError(req, res, answer);
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
 * fetch() that sets If-None-Match by hand, as the widgets' client does. The body goes out as
 * the bytes already encoded; nothing is left for `res.send` to do.
 */
export function sendView(req: Request, res: Response, view: unknown): void {
  // Views from the view cache come serialised; one built for this request is serialised here.
  const { bytes, etag } = view instanceof ViewBody ? view : ViewBody.of(view);
  res.setHeader('ETag', etag);
  const ifNoneMatch = req.get('if-none-match');
  if (ifNoneMatch !== undefined) {
    const candidates = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (candidates.includes(etag.slice(2)) || candidates.includes('*')) {
      res.status(304).end();
      return;
    }
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  // A HEAD answer says what GET would send, without the body.
  if (req.method === 'HEAD') res.end();
  else res.end(bytes);
}
