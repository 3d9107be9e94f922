import type { Request, Response } from 'express';
import { STREAM_EVENTS, type LiveEvent } from '@okr-embed/contract';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { compareEventIds, type EventBus } from './event-bus.js';

export interface StreamLimits {
  perUser: number;
  perInstance: number;
  heartbeatMs: number;
}

export interface StreamRequest {
  orgId: string;
  userId: string;
  lastEventId: string | undefined;
  /** When the token the stream was opened with stops being valid, in ms. */
  tokenExpiresAtMs: number;
}

/** How long a refused client should wait before it tries again. */
const RETRY_AFTER_SECONDS = 5;
/** How long a new stream waits for the fan-out link when the instance has just started. */
const READY_WAIT_MS = 1_000;
/**
 * Bytes a stream may have waiting for a slow reader before it is ended: the client reconnects
 * and resumes from its Last-Event-ID, instead of the instance buffering for it without end.
 */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * One frame per event, made once whatever the number of streams it goes to: a bus hands the
 * same event object to every listener, so the key is that object (as `bodies` in http.ts).
 */
const frames = new WeakMap<LiveEvent, string>();

function frameOf(event: LiveEvent): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    // An event without id reached only this instance (Redis was down): it moves no cursor.
    const id = event.id ? `id: ${event.id}\n` : '';
    frame = `${id}event: ${event.type}\ndata: ${JSON.stringify(event.change)}\n\n`;
    frames.set(event, frame);
  }
  return frame;
}

const controlFrame = (type: string, id?: string | null) =>
  `${id ? `id: ${id}\n` : ''}event: ${type}\ndata: {}\n\n`;

/**
 * The open event streams of this instance: admission within the limits, the replay-then-live
 * hand-over, heartbeats, the end at token expiry, and the clean-up when the client leaves (or
 * the instance shuts down: `closeAll`).
 */
/** What the metrics count of the streams: opened and closed streams, events delivered. */
export interface StreamObserver {
  opened(): void;
  closed(): void;
  delivered(type: LiveEvent['type']): void;
}

export function createEventStreams(
  bus: EventBus,
  limits: StreamLimits,
  logger: Logger,
  observer?: StreamObserver,
) {
  const open = new Set<{ end(): void }>();
  const perUser = new Map<string, number>();

  function admit(userKey: string): () => void {
    const held = perUser.get(userKey) ?? 0;
    if (open.size >= limits.perInstance) {
      throw new AppError(
        'too_many_streams',
        'This instance holds all the event streams it can',
        429,
        {
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        },
      );
    }
    if (held >= limits.perUser) {
      throw new AppError(
        'too_many_streams',
        `At most ${limits.perUser} open event streams per user; close one first`,
        429,
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    perUser.set(userKey, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (perUser.get(userKey) ?? 1) - 1;
      if (left > 0) perUser.set(userKey, left);
      else perUser.delete(userKey);
    };
  }

  async function serve(req: Request, res: Response, stream: StreamRequest): Promise<void> {
    // The slot is taken before the first await, so parallel opens cannot overshoot the limits.
    const release = admit(`${stream.orgId}:${stream.userId}`);
    const handle = { end: () => {} };
    open.add(handle);
    observer?.opened();
    let ended = false;
    let live = false;
    let missedWhileOpening = false;
    /** Events that arrive while the replay is read, sent after it (those it did not hold). */
    const early: LiveEvent[] = [];
    let lastSentId: string | undefined = stream.lastEventId;
    let heartbeat: NodeJS.Timeout | undefined;
    let expiry: NodeJS.Timeout | undefined;

    const write = (frame: string) => {
      if (ended) return;
      res.write(frame);
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        logger.info({ orgId: stream.orgId }, 'event stream: reader too slow, ended');
        end();
      }
    };
    const send = (event: LiveEvent) => {
      // Replay and live overlap by the events published while the replay was read.
      if (event.id && lastSentId && compareEventIds(event.id, lastSentId) <= 0) return;
      if (event.id) lastSentId = event.id;
      write(frameOf(event));
      observer?.delivered(event.type);
    };
    const unlisten = bus.listen(stream.orgId, {
      deliver(event) {
        if (live) send(event);
        else early.push(event);
      },
      gap() {
        if (live) write(controlFrame(STREAM_EVENTS.reset));
        else missedWhileOpening = true;
      },
    });
    function end() {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unlisten();
      release();
      open.delete(handle);
      observer?.closed();
      // Before the headers, the error handler answers (or the client is gone): nothing to end.
      if (res.headersSent && !res.writableEnded) res.end();
    }
    handle.end = () => {
      // Shutting down: the connection goes too, so the server can close without waiting.
      const socket = res.socket;
      end();
      socket?.end();
    };
    res.on('close', end);

    try {
      await bus.ready(READY_WAIT_MS);
      const replay = stream.lastEventId ? await bus.replay(stream.orgId, stream.lastEventId) : null;
      if (ended) return;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      if (missedWhileOpening || (replay && 'reset' in replay)) {
        const newestId = replay && 'reset' in replay ? replay.newestId : null;
        write(controlFrame(STREAM_EVENTS.reset, newestId));
        // The client's id may be from before a Redis restart, above every new id: forget it.
        lastSentId = newestId ?? undefined;
      } else if (replay) for (const event of replay.events) send(event);
      live = true;
      for (const event of early.splice(0)) send(event);
      heartbeat = setInterval(() => write(': heartbeat\n\n'), limits.heartbeatMs);
      expiry = setTimeout(
        () => {
          write(controlFrame(STREAM_EVENTS.tokenExpired));
          end();
        },
        Math.max(0, stream.tokenExpiresAtMs - Date.now()),
      );
    } catch (error) {
      end();
      throw error;
    }
  }

  return {
    serve,
    /** Ends every open stream: clients reconnect elsewhere with their Last-Event-ID. */
    closeAll(): void {
      for (const handle of [...open]) handle.end();
    },
    get openCount(): number {
      return open.size;
    },
  };
}

export type EventStreams = ReturnType<typeof createEventStreams>;
