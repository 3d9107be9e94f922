import {
  LIVE_EVENT_TYPES,
  STREAM_EVENTS,
  type Change,
  type LiveEventType,
} from '@okr-embed/contract';
import type { TokenCache } from './token.js';

/** What a widget hears from the page's stream. */
export interface LiveSubscriber {
  /** A committed write; patch what is shown from it. */
  change(change: Change, type: LiveEventType): void;
  /** Events were missed beyond the BFF's replay window: load what is shown again. */
  reset(): void;
}

const MAX_DELAY_MS = 30_000;
/** The BFF sends heartbeats far more often; this much silence means a dead connection. */
const SILENCE_MS = 90_000;
/** Ids remembered to drop an event delivered twice (a replay overlapping what was seen). */
const SEEN_IDS = 64;

type Pending = { type: string; data: string[]; id?: string };

/**
 * The page's one `GET /api/v1/events` per client, read with `fetch` so the token travels in
 * `Authorization` and never in a URL (EventSource cannot send headers). Open while someone
 * listens, closed with the last listener; it resumes with `Last-Event-ID` after a drop. A
 * failure is never shown: widgets keep their last view until the stream is back.
 */
export class EventStream {
  private readonly subscribers = new Set<LiveSubscriber>();
  private controller?: AbortController;
  private lastId?: string;
  private readonly seen: string[] = [];

  /**
   * `tokens` is the client's own cache (one token per page); `changed` runs once per change
   * before the subscribers, so the client forgets cached views; `retryMs` is the first
   * reconnect delay, doubled per failure up to 30 s.
   */
  constructor(
    private readonly baseUrl: string,
    private readonly fetch: typeof globalThis.fetch,
    private readonly tokens: TokenCache,
    private readonly changed: () => void,
    private readonly retryMs = 1000,
  ) {}

  add(subscriber: LiveSubscriber): void {
    this.subscribers.add(subscriber);
    if (!this.controller) {
      this.controller = new AbortController();
      void this.run(this.controller.signal);
    }
  }

  remove(subscriber: LiveSubscriber): void {
    this.subscribers.delete(subscriber);
    // A widget moved in the DOM leaves and comes back in one task: keep the stream for it.
    queueMicrotask(() => {
      if (this.subscribers.size === 0) {
        this.controller?.abort();
        this.controller = undefined;
      }
    });
  }

  private async run(signal: AbortSignal): Promise<void> {
    let rejected: string | undefined;
    let renewed = false;
    for (let failures = 0; !signal.aborted;) {
      let wait: number | undefined;
      try {
        const token = await (rejected ? this.tokens.invalidate(rejected) : this.tokens.get());
        rejected = undefined;
        const headers: Record<string, string> = {
          Authorization: `Bearer ${token}`,
          Accept: 'text/event-stream',
        };
        if (this.lastId !== undefined) headers['Last-Event-ID'] = this.lastId;
        const response = await this.fetch(`${this.baseUrl}/api/v1/events`, {
          headers,
          signal,
          credentials: 'omit',
          cache: 'no-store',
        });
        const { status, body } = response;
        if (response.ok && body) {
          failures = 0;
          renewed = false;
          // Ended by `token-expired`: open again at once with a fresh token.
          if (await this.read(body)) {
            rejected = token;
            continue;
          }
        } else if (status === 401) {
          rejected = token;
          // One fresh token at once; a second refusal waits like any failure.
          if (!renewed) {
            renewed = true;
            continue;
          }
        } else if (status === 429) {
          wait = Number(response.headers.get('Retry-After')) * 1000 || undefined;
        } else if (status >= 400 && status < 500 && status !== 408) {
          // Forbidden or no such endpoint (an older BFF): trying again will not help.
          return;
        }
      } catch {
        // A network failure or a dropped connection: reconnect below.
      }
      if (signal.aborted) return;
      // Exponential backoff with jitter, so that pages dropped together do not return together.
      const ceiling = Math.min(MAX_DELAY_MS, this.retryMs * 2 ** failures++);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, wait ?? ceiling * (0.5 + Math.random() / 2));
        signal.addEventListener('abort', () => resolve(clearTimeout(timer)), { once: true });
      });
    }
  }

  /** Reads events until the stream ends (false) or says its token expired (true). */
  private async read(body: ReadableStream<Uint8Array>): Promise<boolean> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let pending: Pending = { type: '', data: [] };
    let silence: ReturnType<typeof setTimeout> | undefined;
    try {
      for (;;) {
        clearTimeout(silence);
        silence = setTimeout(() => void reader.cancel(), SILENCE_MS);
        const { value, done } = await reader.read();
        if (done) return false;
        const lines = (buffer + decoder.decode(value, { stream: true })).split('\n');
        buffer = lines.pop()!;
        for (const raw of lines) {
          const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
          if (line === '') {
            if (this.dispatch(pending)) return true;
            pending = { type: '', data: [] };
          } else if (!line.startsWith(':')) {
            // `field: value`; a line starting with `:` is a comment (the BFF's heartbeat).
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
            if (field === 'data') pending.data.push(text);
            else if (field === 'event') pending.type = text;
            else if (field === 'id' && !text.includes('\0')) pending.id = text;
          }
        }
      }
    } finally {
      clearTimeout(silence);
      reader.cancel().catch(() => undefined);
    }
  }

  /** Hands one event to the subscribers; true when it says the token expired. */
  private dispatch({ type, data, id }: Pending): boolean {
    if (id !== undefined) this.lastId = id;
    if (type === STREAM_EVENTS.tokenExpired) return true;
    const subscribers = [...this.subscribers];
    if (type === STREAM_EVENTS.reset) {
      for (const subscriber of subscribers) subscriber.reset();
      return false;
    }
    // Unknown types come from a newer BFF: skipped, so old pages keep working.
    if (!LIVE_EVENT_TYPES.includes(type as LiveEventType) || data.length === 0) return false;
    if (id !== undefined) {
      if (this.seen.includes(id)) return false;
      if (this.seen.push(id) > SEEN_IDS) this.seen.shift();
    }
    let change: Change;
    try {
      change = JSON.parse(data.join('\n')) as Change;
    } catch {
      return false;
    }
    this.changed();
    for (const subscriber of subscribers) {
      // One widget's failure must not stop the others or the stream.
      try {
        subscriber.change(change, type as LiveEventType);
      } catch (error) {
        reportError(error);
      }
    }
    return false;
  }
}
