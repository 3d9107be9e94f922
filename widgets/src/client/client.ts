import type {
  Alignment,
  CheckIn,
  CheckInRequest,
  CheckInResult,
  Goal,
  GoalLevel,
  GoalSummary,
  Me,
  Page,
  ProgressHistory,
  ProgressStatus,
  Timeframe,
} from '@okr-embed/contract';
import { OkrApiError, abortError, errorFromResponse, isAbortError } from './errors.js';
import type { EventStream, LiveSubscriber } from './event-stream.js';
import { TokenCache } from './token.js';

export interface OkrClientOptions {
  /** Origin (and optional path prefix) of the BFF; requests go to `<baseUrl>/api/v1/…`. */
  baseUrl: string;
  /** Returns a fresh JWT for the page's user, usually by asking the host's own server. */
  tokenProvider: () => Promise<string>;
  /** Injected in tests; defaults to the page's `fetch`. */
  fetch?: typeof fetch;
  /** Injected in tests; defaults to `Date.now`. */
  now?: () => number;
  /** First reconnect delay of the event stream in ms (tests make it short); default 1 s. */
  retryMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface GoalQuery {
  owner?: string;
  team?: string;
  timeframe?: string;
  level?: GoalLevel;
  status?: ProgressStatus;
  parent?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface AlignmentQuery {
  timeframe?: string;
  root?: string;
  depth?: number;
}

/** A GET in flight, shared by every caller that asked for the same path meanwhile. */
interface SharedRequest {
  promise: Promise<unknown>;
  controller: AbortController;
  waiting: number;
}

/** How many ETag-validated answers are remembered; a page shows few resources at once. */
const CACHE_LIMIT = 200;

function withQuery(path: string, query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * The widgets' only way to the BFF. One instance serves every widget on a page, so the token,
 * the in-flight GETs and the ETag cache are shared: ten cards of one goal make one request.
 */
export class OkrClient {
  private readonly baseUrl: string;
  private readonly tokens: TokenCache;
  private readonly fetchImpl: typeof fetch;
  private readonly inFlight = new Map<string, SharedRequest>();
  private readonly cache = new Map<string, { etag: string; body: unknown }>();
  private readonly now: () => number;
  private readonly retryMs?: number;
  /** The BFF's last 429 and when its `Retry-After` ends: GETs until then fail without a request. */
  private rateLimit?: { until: number; error: OkrApiError };
  private events?: Promise<EventStream>;

  constructor(options: OkrClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.tokens = new TokenCache(options.tokenProvider, options.now);
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
    this.retryMs = options.retryMs;
  }

  /**
   * Hears the BFF's changes on the page's one event stream, opened by the first listener and
   * closed when the last one stops. Returns the function that stops listening. The stream's
   * code loads with the first listener: pages with live updates off never download it.
   */
  listen(subscriber: LiveSubscriber): () => void {
    const stream = (this.events ??= import('./event-stream.js').then(
      ({ EventStream }) =>
        new EventStream(
          this.baseUrl,
          this.fetchImpl,
          this.tokens,
          () => this.forget(),
          this.retryMs,
        ),
    ));
    // Both wait for the same stream, so a widget that leaves at once is added, then removed.
    void stream.then((events) => events.add(subscriber));
    return () => void stream.then((events) => events.remove(subscriber));
  }

  /**
   * After a write, a view cached or in flight may predate it, and the numbers it moved show in
   * many views (an ancestor's progress is in its children's cards, in lists and in the tree).
   * Forgetting them all costs a full body on the next GET instead of a 304, never a stale view;
   * a GET already in flight finishes for its callers, but later callers start a fresh one.
   */
  private forget(): void {
    this.cache.clear();
    this.inFlight.clear();
  }

  me(options?: RequestOptions): Promise<Me> {
    return this.get('/me', options);
  }

  timeframes(options?: RequestOptions): Promise<{ items: Timeframe[] }> {
    return this.get('/timeframes', options);
  }

  goals(query: GoalQuery, options?: RequestOptions): Promise<Page<GoalSummary>> {
    return this.get(withQuery('/goals', query), options);
  }

  goal(id: string, options?: RequestOptions): Promise<Goal> {
    return this.get(`/goals/${encodeURIComponent(id)}`, options);
  }

  alignment(query: AlignmentQuery, options?: RequestOptions): Promise<Alignment> {
    return this.get(withQuery('/alignment', query), options);
  }

  checkIns(keyResultId: string, options?: RequestOptions): Promise<Page<CheckIn>> {
    return this.get(`/key-results/${encodeURIComponent(keyResultId)}/check-ins`, options);
  }

  /** Progress over the timeframe of a key result or a goal, oldest point first. */
  history(
    subject: { type: ProgressHistory['subject']['type']; id: string },
    options?: RequestOptions,
  ): Promise<ProgressHistory> {
    const collection = subject.type === 'goal' ? 'goals' : 'key-results';
    return this.get(`/${collection}/${encodeURIComponent(subject.id)}/history`, options);
  }

  /** `idempotencyKey` must stay the same when the same submission is retried. */
  postCheckIn(
    keyResultId: string,
    body: CheckInRequest,
    idempotencyKey: string,
    options?: RequestOptions,
  ): Promise<CheckInResult> {
    const path = `/key-results/${encodeURIComponent(keyResultId)}/check-ins`;
    return this.send<CheckInResult>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      body: JSON.stringify(body),
      signal: options?.signal,
    });
  }

  /**
   * A write (the goal editor's): JSON in and out, `If-Match` carrying the version the edit was
   * made on, so the BFF answers 409 rather than undo another person's edit. The typed calls
   * live with the editor (goal-editor/editor-api.ts), so okr-embed.js does not carry them.
   */
  write<T>(
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    version?: number,
    options?: RequestOptions,
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (version !== undefined) headers['If-Match'] = `"${version}"`;
    return this.send<T>(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options?.signal,
    });
  }

  /**
   * A GET that joins an identical one already in flight. The shared request is aborted only
   * when every caller has aborted, so a removed widget never cancels its neighbour's data.
   */
  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError());
    const limited = this.rateLimited();
    if (limited) return Promise.reject(limited);
    let shared = this.inFlight.get(path);
    if (!shared) {
      const controller = new AbortController();
      const entry: SharedRequest = {
        controller,
        waiting: 0,
        promise: this.revalidate(path, controller.signal).finally(() => {
          if (this.inFlight.get(path) === entry) this.inFlight.delete(path);
        }),
      };
      this.inFlight.set(path, entry);
      shared = entry;
    }
    const request = shared;
    request.waiting += 1;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        if (settled) return;
        settled = true;
        request.waiting -= 1;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        leave();
        if (request.waiting === 0) {
          request.controller.abort();
          if (this.inFlight.get(path) === request) this.inFlight.delete(path);
        }
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort);
      request.promise.then(
        (value) => {
          if (settled) return;
          leave();
          resolve(value as T);
        },
        (error: unknown) => {
          if (settled) return;
          leave();
          reject(error);
        },
      );
    });
  }

  /**
   * Every widget's retry button would otherwise hit a BFF that asked for a pause; within the
   * `Retry-After` window the 429 is answered here, with the seconds still left.
   */
  private rateLimited(): OkrApiError | undefined {
    if (!this.rateLimit) return undefined;
    const left = Math.ceil((this.rateLimit.until - this.now()) / 1000);
    if (left <= 0) {
      this.rateLimit = undefined;
      return undefined;
    }
    const { status, code, message, details, requestId } = this.rateLimit.error;
    return new OkrApiError({ status, code, message, details, requestId, retryAfter: left });
  }

  /** A GET that sends the cached ETag and answers from the cache on 304. */
  private async revalidate(path: string, signal: AbortSignal): Promise<unknown> {
    const cached = this.cache.get(path);
    const headers: Record<string, string> = cached ? { 'If-None-Match': cached.etag } : {};
    const response = await this.authorized(path, { method: 'GET', headers, signal });
    if (response.status === 304 && cached) return cached.body;
    if (!response.ok) {
      const error = await errorFromResponse(response, this.now());
      if (error.status === 429 && error.retryAfter !== null) {
        this.rateLimit = { until: this.now() + error.retryAfter * 1000, error };
      }
      throw error;
    }
    const body: unknown = await response.json();
    const etag = response.headers.get('ETag');
    if (etag) {
      this.cache.delete(path);
      this.cache.set(path, { etag, body });
      if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    }
    return body;
  }

  private async send<T>(path: string, init: RequestInit): Promise<T> {
    const response = await this.authorized(path, init);
    if (!response.ok) throw await errorFromResponse(response, this.now());
    this.forget();
    // A DELETE answers 204 with no body.
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Adds the bearer token; on 401 gets one new token (shared by all callers) and retries once. */
  private async authorized(path: string, init: RequestInit): Promise<Response> {
    const url = `${this.baseUrl}/api/v1${path}`;
    const attempt = async (token: string) => {
      const headers = new Headers(init.headers);
      headers.set('Authorization', `Bearer ${token}`);
      headers.set('Accept', 'application/json');
      try {
        return await this.fetchImpl(url, { ...init, headers, credentials: 'omit' });
      } catch (error) {
        if (isAbortError(error) || init.signal?.aborted) throw abortError();
        throw new OkrApiError({
          status: 0,
          code: 'network',
          message: error instanceof Error ? error.message : 'Network error',
        });
      }
    };
    const token = await this.tokenOrError();
    const response = await attempt(token);
    if (response.status !== 401) return response;
    const renewed = await this.tokenOrError(token);
    return attempt(renewed);
  }

  private async tokenOrError(rejected?: string): Promise<string> {
    try {
      return await (rejected === undefined ? this.tokens.get() : this.tokens.invalidate(rejected));
    } catch (error) {
      throw new OkrApiError({
        status: 401,
        code: 'token_unavailable',
        message: error instanceof Error ? error.message : 'The token provider failed.',
      });
    }
  }
}
