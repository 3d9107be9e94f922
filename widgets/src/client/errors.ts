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
    return new OkrApiError({
      status: response.status,
      code: body.error.code,
      message: body.error.message,
      details: body.error.details,
      requestId: body.error.requestId ?? response.headers.get('x-request-id'),
      retryAfter,
    });
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
