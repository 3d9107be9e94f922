import { authOf } from '../../lib/auth.js';
import { expectedVersion, parse } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { keyResultView } from '../../lib/views.schema.js';
import { idParams, ifMatchHeader } from '../../lib/schemas.js';
import { createKeyResultBody, updateKeyResultBody } from './key-results.schema.js';
import type { KeyResultsService } from './key-results.service.js';

const ifMatch = {
  'If-Match': {
    schema: ifMatchHeader,
    required: true,
    description: 'The version you last saw, e.g. "3"',
  },
};

export function keyResultsRoutes(api: ApiRouter, keyResults: KeyResultsService) {
  api.add(
    {
      method: 'post',
      path: '/goals/:id/key-results',
      summary: 'Add a key result to a goal',
      response: keyResultView,
      scope: 'okr:write',
      params: idParams,
      body: createKeyResultBody,
      responses: {
        201: 'The new key result',
        400: 'Invalid body',
        403: 'Not yours',
        404: 'No such goal',
        415: 'Not JSON',
      },
    },
    async (req, res) => {
      const { id } = parse(idParams, req.params, 'path');
      const body = parse(createKeyResultBody, req.body, 'body');
      res.status(201).json(await keyResults.createKeyResult(authOf(req), id, body));
    },
  );

  api.add(
    {
      method: 'patch',
      path: '/key-results/:id',
      summary: 'Edit a key result (its value changes through check-ins)',
      response: keyResultView,
      scope: 'okr:write',
      params: idParams,
      headers: ifMatch,
      body: updateKeyResultBody,
      responses: {
        200: 'The updated key result',
        400: 'Invalid body',
        403: 'Not yours',
        404: 'No such key result',
        409: 'Version conflict',
        428: 'If-Match missing',
      },
    },
    async (req, res) => {
      const { id } = parse(idParams, req.params, 'path');
      const version = expectedVersion(req, ifMatchHeader);
      const body = parse(updateKeyResultBody, req.body, 'body');
      res.json(await keyResults.updateKeyResult(authOf(req), id, version, body));
    },
  );

  api.add(
    {
      method: 'delete',
      path: '/key-results/:id',
      summary: 'Delete a key result (its check-ins stay on record)',
      scope: 'okr:write',
      params: idParams,
      headers: ifMatch,
      responses: {
        204: 'Deleted',
        403: 'Not yours',
        404: 'No such key result',
        409: 'Version conflict',
        428: 'If-Match missing',
      },
    },
    async (req, res) => {
      const { id } = parse(idParams, req.params, 'path');
      await keyResults.deleteKeyResult(authOf(req), id, expectedVersion(req, ifMatchHeader));
      res.status(204).end();
    },
  );
}
