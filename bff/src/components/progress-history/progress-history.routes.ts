import { authOf } from '../../lib/auth.js';
import { sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { idParams } from '../../lib/schemas.js';
import { progressHistoryView } from '../../lib/views.schema.js';
import type { ProgressHistoryService } from './progress-history.service.js';

export function progressHistoryRoutes(api: ApiRouter, history: ProgressHistoryService) {
  api.add(
    {
      operationId: 'getKeyResultHistory',
      method: 'get',
      path: '/key-results/:id/history',
      summary: 'A key result’s progress over its timeframe, from its check-ins (newest 500)',
      response: progressHistoryView,
      scope: 'okr:read',
      params: idParams,
      responses: {
        200: 'The history, oldest point first',
        304: 'Not modified',
        401: 'No valid token',
        404: 'No such key result',
      },
    },
    async (req, res, { params }) => {
      sendView(req, res, await history.keyResultHistory(authOf(req), params.id));
    },
  );

  api.add(
    {
      operationId: 'getGoalHistory',
      method: 'get',
      path: '/goals/:id/history',
      summary: 'A goal’s progress over its timeframe, as stored when it moved (newest 500)',
      response: progressHistoryView,
      scope: 'okr:read',
      params: idParams,
      responses: {
        200: 'The history, oldest point first',
        304: 'Not modified',
        401: 'No valid token',
        404: 'No such goal',
      },
    },
    async (req, res, { params }) => {
      sendView(req, res, await history.goalHistory(authOf(req), params.id));
    },
  );
}
