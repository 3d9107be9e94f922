import { authOf } from '../../lib/auth.js';
import { expectedVersion, parse, sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { goalSummaryView, goalView, pageView } from '../../lib/views.schema.js';
import { idParams, ifMatchHeader } from '../../lib/schemas.js';
import { createGoalBody, listGoalsQuery, updateGoalBody } from './goals.schema.js';
import type { GoalsService } from './goals.service.js';

const ifMatch = {
  'If-Match': {
    schema: ifMatchHeader,
    required: true,
    description: 'The version you last saw, e.g. "3"',
  },
};

export function goalsRoutes(api: ApiRouter, goals: GoalsService) {
  api.add(
    {
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
    async (req, res) => {
      sendView(
        req,
        res,
        await goals.listGoals(authOf(req), parse(listGoalsQuery, req.query, 'query')),
      );
    },
  );

  api.add(
    {
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
    async (req, res) => {
      const { id } = parse(idParams, req.params, 'path');
      sendView(req, res, await goals.cachedGoalCard(authOf(req), id));
    },
  );

  api.add(
    {
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
    async (req, res) => {
      const goal = await goals.createGoal(authOf(req), parse(createGoalBody, req.body, 'body'));
      res.status(201).location(`${req.baseUrl}/goals/${goal.id}`).json(goal);
    },
  );

  api.add(
    {
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
    async (req, res) => {
      const { id } = parse(idParams, req.params, 'path');
      const version = expectedVersion(req, ifMatchHeader);
      res.json(
        await goals.updateGoal(authOf(req), id, version, parse(updateGoalBody, req.body, 'body')),
      );
    },
  );

  api.add(
    {
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
    async (req, res) => {
      const { id } = parse(idParams, req.params, 'path');
      await goals.deleteGoal(authOf(req), id, expectedVersion(req, ifMatchHeader));
      res.status(204).end();
    },
  );
}
