import { authOf } from '../../lib/auth.js';
import { ifMatch, sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { copyGoalResultView, goalSummaryView, goalView, pageView } from '../../lib/views.schema.js';
import { idParams } from '../../lib/schemas.js';
import {
  copyGoalBody,
  createGoalBody,
  listGoalsQuery,
  reorderKeyResultsBody,
  updateGoalBody,
} from './goals.schema.js';
import type { GoalCopyService } from './goal-copy.service.js';
import type { GoalsService } from './goals.service.js';

export function goalsRoutes(api: ApiRouter, goals: GoalsService, copies: GoalCopyService) {
  api.add(
    {
      operationId: 'listGoals',
      method: 'get',
      path: '/goals',
      summary: 'Goal list (owner=me works), cursor paging',
      response: pageView(goalSummaryView),
      scope: 'okr:read',
      query: listGoalsQuery,
      responses: {
        200: 'A page of goal summaries',
        400: 'Bad query',
        401: 'No valid token',
        403: 'Missing scope',
      },
    },
    async (req, res, { query }) => {
      sendView(req, res, await goals.listGoals(authOf(req), query));
    },
  );

  api.add(
    {
      operationId: 'getGoal',
      method: 'get',
      path: '/goals/:id',
      summary: 'Goal card view',
      response: goalView,
      scope: 'okr:read',
      params: idParams,
      responses: {
        200: 'The goal card',
        304: 'Not modified',
        400: 'Malformed id',
        401: 'No valid token',
        404: 'No such goal',
      },
    },
    async (req, res, { params }) => {
      sendView(req, res, await goals.cachedGoalCard(authOf(req), params.id));
    },
  );

  api.add(
    {
      operationId: 'createGoal',
      method: 'post',
      path: '/goals',
      summary: 'Create a goal',
      response: goalView,
      scope: 'okr:write',
      body: createGoalBody,
      responses: {
        201: 'The new goal card',
        400: 'Invalid body',
        403: 'Not yours',
        404: 'A referenced id is unknown',
        415: 'Not JSON',
      },
    },
    async (req, res, { body }) => {
      const goal = await goals.createGoal(authOf(req), body);
      res.status(201).location(`${req.baseUrl}/goals/${goal.id}`).json(goal);
    },
  );

  api.add(
    {
      operationId: 'updateGoal',
      method: 'patch',
      path: '/goals/:id',
      summary: 'Edit a goal',
      response: goalView,
      scope: 'okr:write',
      params: idParams,
      headers: ifMatch,
      body: updateGoalBody,
      responses: {
        200: 'The updated goal card',
        400: 'Invalid body',
        403: 'Not yours',
        404: 'No such goal',
        409: 'Version conflict or alignment cycle',
        428: 'If-Match missing',
      },
    },
    async (req, res, { params, headers, body }) => {
      res.json(await goals.updateGoal(authOf(req), params.id, headers['If-Match'], body));
    },
  );

  api.add(
    {
      operationId: 'deleteGoal',
      method: 'delete',
      path: '/goals/:id',
      summary: 'Delete a goal without aligned goals',
      scope: 'okr:write',
      params: idParams,
      headers: ifMatch,
      responses: {
        204: 'Deleted',
        403: 'Not yours',
        404: 'No such goal',
        409: 'Version conflict or has aligned goals',
        428: 'If-Match missing',
      },
    },
    async (req, res, { params, headers }) => {
      await goals.deleteGoal(authOf(req), params.id, headers['If-Match']);
      res.status(204).end();
    },
  );

  api.add(
    {
      operationId: 'reorderKeyResults',
      method: 'put',
      path: '/goals/:id/key-results/order',
      summary: 'Put the goal’s key results in a new order',
      response: goalView,
      scope: 'okr:write',
      params: idParams,
      headers: ifMatch,
      body: reorderKeyResultsBody,
      responses: {
        200: 'The goal card, key results in the new order',
        400: 'Not every key result of the goal exactly once',
        403: 'Not yours',
        404: 'No such goal',
        409: 'Version conflict',
        415: 'Not JSON',
        428: 'If-Match missing',
      },
    },
    async (req, res, { params, headers, body }) => {
      res.json(await goals.reorderKeyResults(authOf(req), params.id, headers['If-Match'], body));
    },
  );

  api.add(
    {
      operationId: 'copyGoal',
      method: 'post',
      path: '/goals/:id/copy',
      summary: 'Carry a goal (and its aligned goals) over to another timeframe, progress reset',
      response: copyGoalResultView,
      scope: 'okr:write',
      params: idParams,
      body: copyGoalBody,
      responses: {
        201: 'The copy, and every goal made',
        400: 'Invalid body',
        403: 'Not yours',
        404: 'No such goal or timeframe',
        415: 'Not JSON',
      },
    },
    async (req, res, { params, body }) => {
      const result = await copies.copyGoal(authOf(req), params.id, body);
      res.status(201).location(`${req.baseUrl}/goals/${result.goal.id}`).json(result);
    },
  );
}
