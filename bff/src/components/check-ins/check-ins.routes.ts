import { authOf } from '../../lib/auth.js';
import { parse, sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { checkInResultView, checkInView, pageView } from '../../lib/views.schema.js';
import { idParams } from '../../lib/schemas.js';
import { createCheckInBody, idempotencyKeyHeader, listCheckInsQuery } from './check-ins.schema.js';
import type { CheckInsService } from './check-ins.service.js';

export function checkInsRoutes(api: ApiRouter, checkIns: CheckInsService) {
  api.add(
    {
      method: 'get',
      path: '/key-results/:id/check-ins',
      summary: 'Check-in history, newest first',
      response: pageView(checkInView),
      scope: 'okr:read',
      params: idParams,
      query: listCheckInsQuery,
      responses: { 200: 'A page of check-ins', 400: 'Bad query', 404: 'No such key result' },
    },
    async (req, res) => {
      const { id } = parse(idParams, req.params, 'path');
      sendView(
        req,
        res,
        await checkIns.listCheckIns(authOf(req), id, parse(listCheckInsQuery, req.query, 'query')),
      );
    },
  );

  api.add(
    {
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
    async (req, res) => {
      const { id } = parse(idParams, req.params, 'path');
      const key = req.get('idempotency-key');
      const idempotencyKey =
        key === undefined ? undefined : parse(idempotencyKeyHeader, key, 'header Idempotency-Key');
      const body = parse(createCheckInBody, req.body, 'body');
      const stored = await checkIns.checkIn(authOf(req), id, body, idempotencyKey);
      if (stored.replayed) res.set('Idempotent-Replayed', 'true');
      res.status(stored.status).json(stored.body);
    },
  );
}
