import { authOf } from '../../lib/auth.js';
import { ifMatch } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { keyResultView } from '../../lib/views.schema.js';
import { idParams } from '../../lib/schemas.js';
import { createKeyResultBody, updateKeyResultBody } from './key-results.schema.js';
import type { KeyResultsService } from './key-results.service.js';

export function keyResultsRoutes(api: ApiRouter, keyResults: KeyResultsService) {
  api.add(
    {
      operationId: 'createKeyResult',
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
    async (req, res, { params, body }) => {
      res.status(201).json(await keyResults.createKeyResult(authOf(req), params.id, body));
    },
  );

  api.add(
    {
      operationId: 'updateKeyResult',
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
    async (req, res, { params, headers, body }) => {
      res.json(await keyResults.updateKeyResult(authOf(req), params.id, headers['If-Match'], body));
    },
  );

  api.add(
    {
      operationId: 'deleteKeyResult',
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
    async (req, res, { params, headers }) => {
      await keyResults.deleteKeyResult(authOf(req), params.id, headers['If-Match']);
      res.status(204).end();
    },
  );
}
