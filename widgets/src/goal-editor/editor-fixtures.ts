import type {
  AlignmentNode,
  DirectoryTeam,
  DirectoryUser,
  Goal,
  GoalSummary,
  Me,
  Timeframe,
} from '@okr-embed/contract';
import { json, type Route } from '../fixtures/fake-fetch.js';
import { ada, goal, timeframe } from '../fixtures/goals.js';

/** The goal editor's stand-in BFF for tests and stories: a directory, timeframes, a small tree. */

export const me: Me = {
  user: { ...ada, externalId: 'ada', email: null },
  org: { id: 'o-1', slug: 'acme', name: 'Acme' },
  teams: [{ id: 't-1', key: 'growth', name: 'Growth' }],
  scopes: ['okr:read', 'okr:checkin', 'okr:write'],
};

export const readOnlyMe: Me = { ...me, scopes: ['okr:read', 'okr:checkin'] };

/** Someone in neither the goal's owner nor its team. */
export const outsiderMe: Me = {
  ...me,
  user: { id: 'u-bob', name: 'Bob Byte', avatarUrl: null, externalId: 'bob', email: null },
  teams: [],
};

export const timeframes: Timeframe[] = [
  { ...timeframe, current: true },
  { id: 'tf-q2', name: 'Q2 2027', startDate: '2027-04-01', endDate: '2027-06-30', current: false },
];

export const users: DirectoryUser[] = [
  { ...ada, externalId: 'ada' },
  { id: 'u-grace', name: 'Grace Hopper', avatarUrl: null, externalId: 'grace' },
  { id: 'u-alan', name: 'Alan Turing', avatarUrl: null, externalId: 'alan' },
];

export const teams: DirectoryTeam[] = [
  { id: 't-1', key: 'growth', name: 'Growth', parentKey: null, memberCount: 4 },
  { id: 't-2', key: 'platform', name: 'Platform', parentKey: null, memberCount: 6 },
];

function summary(id: string, title: string, parentId: string | null): GoalSummary {
  const { keyResults, description, progressSource, archived, parent, children, ...rest } = goal();
  void [keyResults, description, progressSource, archived, parent, children];
  return { ...rest, id, title, parentId, level: parentId ? 'team' : 'company' };
}

/** g-1 ← g-2 ← g-3 is one chain; g-4 stands alone: only g-4 may become g-1's parent. */
export const goalSummaries: GoalSummary[] = [
  summary('g-1', goal().title, null),
  summary('g-2', 'Win ten reference customers', 'g-1'),
  summary('g-3', 'Publish three case studies', 'g-2'),
  summary('g-4', 'Run the company on OKRs', null),
];

export const alignmentOfG1: AlignmentNode[] = goalSummaries.slice(0, 3).map((g, depth) => ({
  id: g.id,
  parentId: g.parentId,
  title: g.title,
  level: g.level,
  status: g.status,
  progress: g.progress,
  owner: g.owner,
  depth,
  childCount: depth < 2 ? 1 : 0,
}));

const matching = <T>(items: T[], url: string, text: (item: T) => string) => {
  const q = new URL(url, 'http://bff.test').searchParams.get('q')?.toLowerCase() ?? '';
  return { items: items.filter((item) => text(item).toLowerCase().includes(q)), nextCursor: null };
};

/** The reads every editor makes, with `overrides` for the writes a test or story answers. */
export function editorRoutes(
  overrides: Record<string, Route> = {},
  options: { me?: Me; goal?: Goal } = {},
): Record<string, Route> {
  const stored = options.goal ?? goal({ childCount: 1, children: [] });
  return {
    '/me': () => json(options.me ?? me),
    '/timeframes': () => json({ items: timeframes }),
    [`GET /goals/${stored.id}`]: () => json(stored),
    '/alignment': () => json({ nodes: alignmentOfG1 }),
    'GET /goals': (request) => json(matching(goalSummaries, request.url, (g) => g.title)),
    '/users': (request) => json(matching(users, request.url, (u) => u.name)),
    '/teams': (request) => json(matching(teams, request.url, (t) => t.name)),
    ...overrides,
  };
}
