/**
 * A Server-Sent Events client as the widgets have one: `fetch` with the bearer token in a
 * header (never in the URL), the body read as a stream and parsed into events and comments.
 */

export interface StreamItem {
  /** `comment` for `: …` lines (heartbeats), else the event's type (`message` when unnamed). */
  kind: 'comment' | 'event';
  event: string;
  id?: string;
  data: string;
}

export interface OpenStream {
  status: number;
  headers: Headers;
  /** The JSON error when the stream was refused. */
  error?: { code: string; message: string; requestId: string; details?: unknown };
  /** The next event (comments skipped unless asked), or throws after `timeoutMs`. */
  next(options?: { timeoutMs?: number; comments?: boolean }): Promise<StreamItem>;
  /** Every event until the stream is quiet for `quietMs` (comments skipped). */
  drain(quietMs?: number): Promise<StreamItem[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export interface StreamOptions {
  token?: string;
  lastEventId?: string;
  headers?: Record<string, string>;
}

/** Splits the body into blocks at blank lines and each block into its fields. */
function parseBlock(block: string): StreamItem | null {
  const item: StreamItem = { kind: 'event', event: 'message', data: '' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) return { kind: 'comment', event: 'comment', data: line.slice(1) };
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') item.event = value;
    else if (field === 'id') item.id = value;
    else if (field === 'data') data.push(value);
  }
  item.data = data.join('\n');
  return data.length > 0 || item.id !== undefined ? item : null;
}

export async function openEventStream(baseUrl: string, options: StreamOptions = {}) {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(`${baseUrl}/api/v1/events`, { headers, signal: abort.signal });

  const items: StreamItem[] = [];
  const waiters: Array<() => void> = [];
  let done = false;
  let markEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const wake = () => waiters.splice(0).forEach((waiter) => waiter());

  let error: OpenStream['error'];
  if (response.status !== 200 || !response.body) {
    error = ((await response.json().catch(() => ({}))) as { error?: OpenStream['error'] }).error;
    done = true;
    markEnded();
  } else {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done: finished } = await reader.read();
          if (finished) break;
          buffer += value;
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            const item = parseBlock(buffer.slice(0, at));
            buffer = buffer.slice(at + 2);
            if (item) items.push(item);
          }
          wake();
        }
      } catch {
        // Aborted by close(): the stream is over either way.
      }
      done = true;
      markEnded();
      wake();
    })();
  }

  async function next({ timeoutMs = 2_000, comments = false } = {}): Promise<StreamItem> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (items.length > 0) {
        const item = items.shift() as StreamItem;
        if (comments || item.kind === 'event') return item;
      }
      if (done) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  return {
    status: response.status,
    headers: response.headers,
    error,
    next,
    async drain(quietMs = 300) {
      const seen: StreamItem[] = [];
      for (;;) {
        try {
          seen.push(await next({ timeoutMs: quietMs }));
        } catch {
          return seen;
        }
      }
    },
    ended,
    close: () => abort.abort(),
  } satisfies OpenStream;
}
