import type { ApiErrorBody } from '@okr-embed/contract';

/**
 * A failed request, in the BFF's error shape. Network failures and answers that are not the
 * BFF's JSON get a synthetic code (`network`, `http_<status>`) so callers handle one type.
 */
export class OkrApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | null;
  /** Seconds to wait before asking again, from a 429's (or 503's) `Retry-After`; else null. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: unknown;
    requestId?: string | null;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.name = 'OkrApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
  }
}

/** `Retry-After` as whole seconds from now: it may be a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  const seconds = /^\d+$/.test(trimmed)
    ? Number(trimmed)
    : Math.ceil((Date.parse(trimmed) - now) / 1000);
  return Number.isNaN(seconds) ? null : Math.max(0, seconds);
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** What the BFF tells a page whose origin its org has not registered. */
export interface RefusedOrigin {
  origin: string;
  /** The CLI command that registers it; null for a page without an origin (`file://`). */
  register: string | null;
}

export function refusedOrigin(error: OkrApiError): RefusedOrigin | null {
  if (error.code !== 'origin_not_allowed') return null;
  const details = error.details as Partial<RefusedOrigin> | undefined;
  return {
    origin: typeof details?.origin === 'string' ? details.origin : globalThis.location?.origin,
    register: typeof details?.register === 'string' ? details.register : null,
  };
}

/**
 * Origins already explained in the console: every widget on the page hits the same refusal,
 * and the host developer needs the fix once, not once per widget. Lives as long as the page.
 */
const explainedOrigins = new Set<string>();

/** Tells the host developer, not the reader, which origin was refused and what to register. */
function explainInConsole(error: OkrApiError): void {
  const refused = refusedOrigin(error);
  if (!refused || explainedOrigins.has(refused.origin)) return;
  explainedOrigins.add(refused.origin);
  console.error(
    `okr-embed: the BFF refused this page's origin ${refused.origin} for the token's organization. ` +
      (refused.register ? `Register the origin with: ${refused.register}` : error.message),
  );
}

/** Maps a non-2xx response to an `OkrApiError`, reading the BFF's body when it has one. */
export async function errorFromResponse(
  response: Response,
  now = Date.now(),
): Promise<OkrApiError> {
  const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'), now);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) {
    const error = new OkrApiError({
      status: response.status,
      code: body.error.code,
      message: body.error.message,
      details: body.error.details,
      requestId: body.error.requestId ?? response.headers.get('x-request-id'),
      retryAfter,
    });
    explainInConsole(error);
    return error;
  }
  return new OkrApiError({
    status: response.status,
    code: `http_${response.status}`,
    message: response.statusText || `HTTP ${response.status}`,
    requestId: response.headers.get('x-request-id'),
    retryAfter,
  });
}

/** Any failure as an `OkrApiError`, so that widgets report one type; a stray throw is `client`. */
export function toApiError(error: unknown): OkrApiError {
  return error instanceof OkrApiError
    ? error
    : new OkrApiError({ status: 0, code: 'client', message: String(error) });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function abortError(): DOMException {
  return new DOMException('The request was aborted.', 'AbortError');
}
