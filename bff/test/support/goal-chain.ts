import type { TestApp, TestOrg } from './harness.js';
import { createGoal, createKeyResult } from './fixtures.js';

/**
 * company (aligned goals) → team (aligned goals) → personal (key results) with one key result
 * from 0 to 40: a check-in on it moves all three goals, which is what live events must carry.
 */
export async function goalChain(app: TestApp, org: TestOrg, token: string) {
  const company = await createGoal(app, token, {
    title: 'Company',
    level: 'company',
    timeframeId: org.timeframeId,
    progressSource: 'aligned_goals',
  });
  const team = await createGoal(app, token, {
    title: 'Team',
    level: 'team',
    timeframeId: org.timeframeId,
    parentId: company.id,
    progressSource: 'aligned_goals',
  });
  const personal = await createGoal(app, token, {
    title: 'Personal',
    level: 'personal',
    timeframeId: org.timeframeId,
    parentId: team.id,
  });
  const kr = await createKeyResult(app, token, personal.id, {
    title: 'Calls made',
    kind: 'increase',
    start: 0,
    target: 40,
  });
  return { company, team, personal, kr };
}
