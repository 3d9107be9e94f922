import type { Me } from '@okr-embed/contract';
import { authOf } from '../../lib/auth.js';
import { sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { meView } from '../../lib/views.schema.js';

export function meRoutes(api: ApiRouter) {
  api.add(
    {
      operationId: 'getMe',
      method: 'get',
      path: '/me',
      summary: "The token's user, org, teams and scopes",
      response: meView,
      scope: 'okr:read',
      responses: { 200: 'Who you are', 401: 'No valid token' },
    },
    (req, res) => {
      const { user, org, teams, scopes } = authOf(req);
      const me: Me = {
        user: {
          id: user.id,
          name: user.name,
          avatarUrl: user.avatarUrl,
          externalId: user.externalId,
          email: user.email,
        },
        org: { id: org.id, slug: org.slug, name: org.name },
        teams,
        scopes: [...scopes],
      };
      sendView(req, res, me);
    },
  );
}
