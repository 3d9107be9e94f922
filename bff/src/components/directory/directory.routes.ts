import { authOf } from '../../lib/auth.js';
import { sendView } from '../../lib/http.js';
import type { ApiRouter } from '../../lib/openapi.js';
import { directoryTeamView, directoryUserView, pageView } from '../../lib/views.schema.js';
import {
  directoryQuery,
  externalIdParams,
  provisionTeamBody,
  provisionUserBody,
  teamKeyParams,
} from './directory.schema.js';
import type { DirectoryService } from './directory.service.js';

export function directoryRoutes(api: ApiRouter, directory: DirectoryService) {
  api.add(
    {
      operationId: 'listUsers',
      method: 'get',
      path: '/users',
      summary: 'The org’s people for pickers: q searches name and external id (email: admin only)',
      response: pageView(directoryUserView),
      scope: 'okr:read',
      query: directoryQuery,
      responses: {
        200: 'A page of people, by name',
        400: 'Bad query',
        401: 'No valid token',
        403: 'Missing scope',
      },
    },
    async (req, res, { query }) => {
      sendView(req, res, await directory.listUsers(authOf(req), query));
    },
  );

  api.add(
    {
      operationId: 'listTeams',
      method: 'get',
      path: '/teams',
      summary: 'The org’s teams for pickers: q searches key and name',
      response: pageView(directoryTeamView),
      scope: 'okr:read',
      query: directoryQuery,
      responses: {
        200: 'A page of teams, by key',
        400: 'Bad query',
        401: 'No valid token',
        403: 'Missing scope',
      },
    },
    async (req, res, { query }) => {
      sendView(req, res, await directory.listTeams(authOf(req), query));
    },
  );

  api.add(
    {
      operationId: 'provisionUser',
      method: 'put',
      path: '/users/:externalId',
      summary: 'Create or update a person before their first visit (teams replace memberships)',
      response: directoryUserView,
      scope: 'okr:admin',
      params: externalIdParams,
      body: provisionUserBody,
      responses: {
        200: 'Updated',
        201: 'Created',
        400: 'Invalid body or an unknown team key',
        401: 'No valid token',
        403: 'Missing scope',
        415: 'Not JSON',
      },
    },
    async (req, res, { params, body }) => {
      const { user, created } = await directory.provisionUser(authOf(req), params.externalId, body);
      res.status(created ? 201 : 200).json(user);
    },
  );

  api.add(
    {
      operationId: 'provisionTeam',
      method: 'put',
      path: '/teams/:key',
      summary: 'Create or update a team (members replace memberships)',
      response: directoryTeamView,
      scope: 'okr:admin',
      params: teamKeyParams,
      body: provisionTeamBody,
      responses: {
        200: 'Updated',
        201: 'Created',
        400: 'Invalid body, an unknown parent or member',
        401: 'No valid token',
        403: 'Missing scope',
        409: 'The parent would make a cycle',
        415: 'Not JSON',
      },
    },
    async (req, res, { params, body }) => {
      const { team, created } = await directory.provisionTeam(authOf(req), params.key, body);
      res.status(created ? 201 : 200).json(team);
    },
  );
}
