import { authOf } from '../../lib/auth.js';
import { sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { timeframeSummaryView, timeframesView } from '../../lib/views.schema.js';
import { createTimeframeBody } from './timeframes.schema.js';
import type { TimeframesService } from './timeframes.service.js';

export function timeframesRoutes(api: ApiRouter, timeframes: TimeframesService) {
  api.add(
    {
      operationId: 'listTimeframes',
      method: 'get',
      path: '/timeframes',
      summary: 'Timeframes, the current one marked',
      response: timeframesView,
      scope: 'okr:read',
      responses: { 200: 'The timeframes', 401: 'No valid token' },
    },
    async (req, res) => {
      sendView(req, res, { items: await timeframes.listTimeframes(authOf(req)) });
    },
  );

  api.add(
    {
      operationId: 'createTimeframe',
      method: 'post',
      path: '/timeframes',
      summary: 'Create a timeframe (admins)',
      response: timeframeSummaryView,
      scope: 'okr:admin',
      body: createTimeframeBody,
      responses: { 201: 'The new timeframe', 400: 'Invalid body', 403: 'Not an admin' },
    },
    async (req, res, { body }) => {
      res.status(201).json(await timeframes.createTimeframe(authOf(req), body));
    },
  );
}
