import { authOf } from '../../lib/auth.js';
import { sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { alignmentView } from '../../lib/views.schema.js';
import { alignmentQuery } from './alignment.schema.js';
import type { CachedAlignment } from './alignment.cached.js';

export function alignmentRoutes(api: ApiRouter, alignment: CachedAlignment) {
  api.add(
    {
      operationId: 'getAlignment',
      method: 'get',
      path: '/alignment',
      summary: "A timeframe's alignment tree, or a subtree, as a flat list in tree order",
      response: alignmentView,
      scope: 'okr:read',
      query: alignmentQuery,
      responses: { 200: 'The nodes', 400: 'Bad query', 404: 'No such root or timeframe' },
    },
    async (req, res, { query }) => {
      sendView(req, res, await alignment.alignment(authOf(req), query));
    },
  );
}
