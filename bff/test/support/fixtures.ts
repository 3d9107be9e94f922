import assert from 'node:assert/strict';
import type { TestApp, TestOrg } from './harness.js';

/** Creates a goal over the API and fails the test loudly when that does not work. */
export async function createGoal(app: TestApp, token: string, body: Record<string, unknown>) {
  const answer = await app.request('POST', '/api/v1/goals', { token, body });
  assert.equal(answer.status, 201, answer.text);
  return answer.body;
}

export async function createKeyResult(
  app: TestApp,
  token: string,
  goalId: string,
  body: Record<string, unknown>,
) {
  const answer = await app.request('POST', `/api/v1/goals/${goalId}/key-results`, { token, body });
  assert.equal(answer.status, 201, answer.text);
  return answer.body;
}

export interface Actors {
  writer: string;
  teammate: string;
  stranger: string;
  reader: string;
  admin: string;
}

/** Tokens for the roles tests need: writer and teammate share the team `eng`. */
export async function actorsOf(org: TestOrg): Promise<Actors> {
  const all = 'okr:read okr:checkin okr:write';
  return {
    writer: await org.token({ sub: 'writer', name: 'Writer', teams: ['eng'], scope: all }),
    teammate: await org.token({ sub: 'teammate', name: 'Teammate', teams: ['eng'], scope: all }),
    stranger: await org.token({ sub: 'stranger', name: 'Stranger', teams: ['sales'], scope: all }),
    reader: await org.token({ sub: 'reader', name: 'Reader', scope: 'okr:read' }),
    admin: await org.token({ sub: 'admin', name: 'Admin', scope: 'okr:read okr:admin' }),
  };
}
