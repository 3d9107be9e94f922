import type { LiveEvent, LiveEventType } from '@okr-embed/contract';
import { Redis } from 'ioredis';
import type { CommittedChange } from '../changes.js';
import type { Logger } from '../logger.js';
import {
  REPLAY_WINDOW,
  createListeners,
  type EventBus,
  type Replay,
  type ReplayWindow,
} from './event-bus.js';

/**
 * One round trip, atomic: the event joins the org's stream (its id made by Redis, so ids grow
 * within an org whichever instance publishes), the stream's idle life is renewed, and the event
 * goes to every instance on the one channel. Atomic so the channel carries an org's events in
 * id order, and a subscriber never sees an event the stream does not hold.
 */
const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. id .. ' ' .. ARGV[2])
return id
`;

export interface RedisBusOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
  window?: ReplayWindow;
}

/**
 * The bus of many instances. Publishing is XADD to the org's stream (the replay window, cut
 * to about `window.events` entries, and gone after `window.ms` without events) plus PUBLISH on
 * one channel; each instance holds one subscriber connection and dispatches to its local
 * listeners by org. Replay is XRANGE from the client's Last-Event-ID.
 *
 * When Redis is down: a publish fails fast (no offline queue, a command timeout), is logged,
 * and the event still reaches this instance's streams, without an id (it is in no stream).
 * Other instances' streams miss it; when their subscriber connection is back, every stream on
 * them gets a `reset` (the gap below), so each client reloads once rather than showing stale
 * numbers. A replay that cannot read the stream answers `reset` for the same reason.
 */
export function createRedisBus({
  url,
  keyPrefix,
  logger,
  window = REPLAY_WINDOW,
}: RedisBusOptions): EventBus {
  const options = {
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    autoResubscribe: false,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const commands = new Redis(url, options);
  const subscriber = new Redis(url, options);
  const channel = `${keyPrefix}events`;
  const streamKey = (orgId: string) => `${keyPrefix}events:${orgId}`;
  const listeners = createListeners();
  commands.defineCommand('okrPublishEvent', { numberOfKeys: 1, lua: PUBLISH_SCRIPT });
  // Defined on the connection by the line above; ioredis's types cannot know of it.
  const publishEvent = (...args: string[]): Promise<string> =>
    (commands as unknown as { okrPublishEvent(...a: string[]): Promise<string> }).okrPublishEvent(
      ...args,
    );

  /** Whether the subscriber has been subscribed since it last connected, and was ever before. */
  let linked = false;
  let everLinked = false;
  let closing = false;
  let firstLink: () => void = () => {};
  const linkedOnce = new Promise<void>((resolve) => (firstLink = resolve));

  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        linked = true;
        if (everLinked) {
          logger.info('event bus: subscribed again; streams reset, events may have been missed');
          listeners.gapEverywhere();
        }
        everLinked = true;
        firstLink();
      },
      (error: unknown) => logger.warn({ err: error }, 'event bus: cannot subscribe'),
    );
  });
  subscriber.on('close', () => {
    if (linked && !closing) logger.warn('event bus: subscriber connection lost');
    linked = false;
  });
  // ioredis retries by itself; an error event without a listener would end the process.
  for (const connection of [commands, subscriber]) {
    connection.on('error', (error: Error) => {
      if (!closing) logger.debug({ err: error }, 'event bus: redis error');
    });
  }

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const first = message.indexOf(' ');
    const second = message.indexOf(' ', first + 1);
    if (first < 0 || second < 0) return;
    const orgId = message.slice(0, first);
    const id = message.slice(first + 1, second);
    try {
      const { type, change } = JSON.parse(message.slice(second + 1)) as CommittedChange;
      listeners.deliver(orgId, { id, type, change });
    } catch (error) {
      logger.warn({ err: error }, 'event bus: unreadable message');
    }
  });

  function eventOf([id, fields]: [string, string[]]): LiveEvent | null {
    const json = fields[fields.indexOf('e') + 1];
    if (json === undefined) return null;
    const { type, change } = JSON.parse(json) as {
      type: LiveEventType;
      change: LiveEvent['change'];
    };
    return { id, type, change };
  }

  async function newestId(orgId: string): Promise<string | null> {
    const [last] = await commands.xrevrange(streamKey(orgId), '+', '-', 'COUNT', 1);
    return last?.[0] ?? null;
  }

  return {
    async publish(orgId, event) {
      const json = JSON.stringify(event);
      try {
        await publishEvent(
          streamKey(orgId),
          String(window.events),
          json,
          String(window.ms),
          channel,
          orgId,
        );
      } catch (error) {
        logger.warn({ err: error, orgId }, 'event bus: publish failed; only local streams get it');
        listeners.deliver(orgId, { id: '', ...event });
      }
    },

    listen: listeners.add,

    async replay(orgId, afterId): Promise<Replay> {
      try {
        // Older than the window's time half: treated as gone even while the stream holds it.
        if (Number(afterId.split('-')[0]) < Date.now() - window.ms) {
          return { reset: true, newestId: await newestId(orgId) };
        }
        // `~` keeps a little more than `window.events`; twice that means it was not trimmed.
        const limit = window.events * 2;
        const entries = (await commands.xrange(
          streamKey(orgId),
          afterId,
          '+',
          'COUNT',
          limit + 1,
        )) as Array<[string, string[]]>;
        if (entries[0]?.[0] !== afterId || entries.length > limit) {
          return { reset: true, newestId: await newestId(orgId) };
        }
        const events = entries.slice(1).map(eventOf);
        return { events: events.filter((event): event is LiveEvent => event !== null) };
      } catch (error) {
        logger.warn(
          { err: error, orgId },
          'event bus: replay failed; the stream starts with reset',
        );
        return { reset: true, newestId: null };
      }
    },

    async ready(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        linkedOnce,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    },

    async close() {
      closing = true;
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
