import { z } from 'zod';
import { authOf } from '../../lib/auth.js';
import { EVENT_ID } from '../../lib/events/event-bus.js';
import type { EventStreams } from '../../lib/events/event-streams.js';
import type { ApiRouter } from '../../lib/openapi.js';

const streamDescription =
  'Server-Sent Events. Each event is `id:` (grows within the org), `event:` (a LiveEventType) ' +
  'and `data:` (the Change as JSON). Control events: `reset` (the replay window no longer holds ' +
  'Last-Event-ID: reload, then go on listening; it carries the newest id when there is one) and ' +
  '`token-expired` (the stream ends: reconnect with a fresh token). A comment line every ' +
  'EVENT_HEARTBEAT_MS keeps proxies from closing an idle stream.';

export function eventsRoutes(api: ApiRouter, streams: EventStreams) {
  api.add(
    {
      operationId: 'streamEvents',
      method: 'get',
      path: '/events',
      summary: "Live updates of the token's org, as Server-Sent Events",
      scope: 'okr:read',
      headers: {
        'Last-Event-ID': {
          schema: z
            .string()
            .regex(EVENT_ID, 'an event id as the stream sent it, e.g. 1700000000000-0'),
          required: false,
          description: 'the last event id seen, to get what was missed after a reconnect',
        },
      },
      stream: { mediaType: 'text/event-stream', description: streamDescription },
      responses: {
        200: 'The stream; it ends when the token expires (after a token-expired event)',
        429: 'Too many open streams for this user or this instance; see Retry-After',
      },
    },
    async (req, res, { headers }) => {
      const { org, user, tokenExpiresAtMs } = authOf(req);
      await streams.serve(req, res, {
        orgId: org.id,
        userId: user.id,
        lastEventId: headers['Last-Event-ID'],
        tokenExpiresAtMs,
      });
    },
  );
}
