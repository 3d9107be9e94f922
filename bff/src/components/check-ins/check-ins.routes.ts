import { authOf } from '../../lib/auth.js';
import { sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { checkInResultView, checkInView, pageView } from '../../lib/views.schema.js';
import { idParams } from '../../lib/schemas.js';
import { createCheckInBody, idempotencyKeyHeader, listCheckInsQuery } from './check-ins.schema.js';
import type { CheckInsService } from './check-ins.service.js';

export function checkInsRoutes(api: ApiRouter, checkIns: CheckInsService) {
  api.add(
    {
      operationId: 'listCheckIns',
      method: 'get',
      path: '/key-results/:id/check-ins',
      summary: 'Check-in history, newest first',
      response: pageView(checkInView),
      scope: 'okr:read',
      params: idParams,
      query: listCheckInsQuery,
      responses: { 200: 'A page of check-ins', 400: 'Bad query', 404: 'No such key result' },
    },
    async (req, res, { params, query }) => {
      sendView(req, res, await checkIns.listCheckIns(authOf(req), params.id, query));
    },
  );

  api.add(
    {
      operationId: 'createCheckIn',
      method: 'post',
      path: '/key-results/:id/check-ins',
      summary: 'Check in a new value; answers the check-in, key result and goal card',
      response: checkInResultView,
      scope: 'okr:checkin',
      params: idParams,
      headers: {
        'Idempotency-Key': {
          schema: idempotencyKeyHeader,
          required: false,
          description: 'Retries with the same key replay the first answer for 24 h',
        },
      },
      body: createCheckInBody,
      responses: {
        201: 'Stored (or replayed, with Idempotent-Replayed: true)',
        400: 'Invalid body',
        403: 'Not yours',
        404: 'No such key result',
        409: 'Idempotency-Key reused with another body',
        415: 'Not JSON',
      },
    },
    async (req, res, { params, headers, body }) => {
      const stored = await checkIns.checkIn(
        authOf(req),
        params.id,
        body,
        headers['Idempotency-Key'],
      );
      if (stored.replayed) res.set('Idempotent-Replayed', 'true');
      // Already JSON (and the same bytes a replay sends): no second serialisation.
      res.status(stored.status).type('application/json').send(stored.body);
    },
  );
}
