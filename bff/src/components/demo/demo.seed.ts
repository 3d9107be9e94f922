import { randomUUID } from 'node:crypto';
import type {
  GoalLevel,
  KeyResultKind,
  ProgressSource,
  ProgressStatus,
} from '@okr-embed/api-types';
import { goalProgress, goalStatus, keyResultProgress, suggestStatus } from '@okr-embed/progress';
import type { Database } from '../../lib/db.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import { createDemoRepository } from './demo.repository.js';

const DAY = 86_400_000;

export interface SeedOptions {
  slug: string;
  /** Extra generated goals beyond the hand-written demo tree (benchmarks). */
  goals?: number;
  origins?: string[];
  onProgress?: (done: number, total: number) => void;
}

interface SeedKeyResult {
  title: string;
  kind: KeyResultKind;
  start: number;
  target: number;
  unit?: string;
  weight?: number;
  owner: string;
  /** Check-in values, oldest first; empty when nobody has checked in yet. */
  history: number[];
}

interface SeedGoal {
  key: string;
  title: string;
  level: GoalLevel;
  owner: string | null;
  team: string | null;
  timeframe: 'previous' | 'current';
  parent?: string;
  source?: ProgressSource;
  description?: string;
  keyResults: SeedKeyResult[];
}

export const demoUsers = {
  alex: {
    sub: 'demo-alex',
    name: 'Alex Morgan',
    email: 'alex@demo.example',
    teams: ['leadership'],
  },
  sam: { sub: 'demo-sam', name: 'Sam Okafor', email: 'sam@demo.example', teams: ['engineering'] },
  kim: {
    sub: 'demo-kim',
    name: 'Kim Schneider',
    email: 'kim@demo.example',
    teams: ['engineering', 'platform'],
  },
  lee: { sub: 'demo-lee', name: 'Lee Chen', email: 'lee@demo.example', teams: ['marketing'] },
  ria: {
    sub: 'demo-ria',
    name: 'Ria Patel',
    email: 'ria@demo.example',
    teams: ['marketing', 'growth'],
  },
} as const;

const teams = [
  { key: 'leadership', name: 'Leadership', parent: null },
  { key: 'engineering', name: 'Engineering', parent: 'leadership' },
  { key: 'platform', name: 'Platform', parent: 'engineering' },
  { key: 'marketing', name: 'Marketing', parent: 'leadership' },
  { key: 'growth', name: 'Growth', parent: 'marketing' },
];

const demoGoals: SeedGoal[] = [
  {
    key: 'c1',
    title: 'Become the most trusted OKR tool for mid-size companies',
    level: 'company',
    owner: 'alex',
    team: 'leadership',
    timeframe: 'current',
    source: 'both',
    description: 'Our north star for the quarter.',
    keyResults: [
      {
        title: 'Net revenue retention',
        kind: 'increase',
        start: 98,
        target: 110,
        unit: '%',
        owner: 'alex',
        history: [99, 101, 104],
      },
      {
        title: 'Churned customers per month',
        kind: 'decrease',
        start: 12,
        target: 4,
        unit: 'customers',
        owner: 'alex',
        history: [11, 9],
      },
    ],
  },
  {
    key: 't1',
    title: 'Ship a reliable platform',
    level: 'team',
    owner: 'sam',
    team: 'engineering',
    timeframe: 'current',
    parent: 'c1',
    source: 'both',
    keyResults: [
      {
        title: 'Uptime',
        kind: 'stay_above',
        start: 0,
        target: 99.9,
        unit: '%',
        owner: 'sam',
        history: [99.95, 99.92],
      },
      {
        title: 'p95 API latency',
        kind: 'stay_below',
        start: 0,
        target: 300,
        unit: 'ms',
        owner: 'sam',
        history: [340, 280],
      },
    ],
  },
  {
    key: 't2',
    title: 'Make onboarding effortless',
    level: 'team',
    owner: 'kim',
    team: 'platform',
    timeframe: 'current',
    source: 'both',
    parent: 't1',
    keyResults: [
      {
        title: 'Time to first goal',
        kind: 'decrease',
        start: 30,
        target: 5,
        unit: 'min',
        owner: 'kim',
        history: [24, 15, 11],
      },
      {
        title: 'Self-serve SSO set-up shipped',
        kind: 'boolean',
        start: 0,
        target: 1,
        owner: 'kim',
        history: [0],
      },
      {
        title: 'Migrate docs to the new site',
        kind: 'initiative',
        start: 0,
        target: 1,
        owner: 'kim',
        history: [0.3, 0.6],
      },
    ],
  },
  {
    key: 'p1',
    title: 'Cut the import wizard to three steps',
    level: 'personal',
    owner: 'kim',
    team: null,
    timeframe: 'current',
    parent: 't2',
    keyResults: [
      {
        title: 'Wizard steps',
        kind: 'decrease',
        start: 7,
        target: 3,
        unit: 'steps',
        owner: 'kim',
        history: [6, 5],
      },
      {
        title: 'Usability sessions run',
        kind: 'increase',
        start: 0,
        target: 8,
        unit: 'sessions',
        weight: 2,
        owner: 'kim',
        history: [2, 5],
      },
    ],
  },
  {
    key: 't3',
    title: 'Grow qualified pipeline',
    level: 'team',
    owner: 'lee',
    team: 'marketing',
    timeframe: 'current',
    source: 'both',
    parent: 'c1',
    keyResults: [
      {
        title: 'Marketing-qualified leads',
        kind: 'increase',
        start: 400,
        target: 900,
        unit: 'leads',
        owner: 'lee',
        history: [480, 530],
      },
      {
        title: 'Cost per lead',
        kind: 'stay_below',
        start: 0,
        target: 45,
        unit: 'EUR',
        owner: 'lee',
        history: [52],
      },
    ],
  },
  {
    key: 't4',
    title: 'Launch the partner programme',
    level: 'team',
    owner: 'ria',
    team: 'growth',
    timeframe: 'current',
    source: 'both',
    parent: 't3',
    keyResults: [
      {
        title: 'Signed partners',
        kind: 'increase',
        start: 0,
        target: 10,
        unit: 'partners',
        owner: 'ria',
        history: [],
      },
      {
        title: 'Partner portal live',
        kind: 'boolean',
        start: 0,
        target: 1,
        owner: 'ria',
        history: [],
      },
    ],
  },
  {
    key: 'p2',
    title: 'Publish the embedding guide',
    level: 'personal',
    owner: 'ria',
    team: null,
    timeframe: 'current',
    parent: 't4',
    keyResults: [
      {
        title: 'Guide chapters written',
        kind: 'increase',
        start: 0,
        target: 6,
        unit: 'chapters',
        owner: 'ria',
        history: [1, 3],
      },
    ],
  },
  {
    key: 'c0',
    title: 'Find product–market fit',
    level: 'company',
    owner: 'alex',
    team: 'leadership',
    timeframe: 'previous',
    keyResults: [
      {
        title: 'Paying customers',
        kind: 'increase',
        start: 10,
        target: 50,
        unit: 'customers',
        owner: 'alex',
        history: [20, 35, 52],
      },
      {
        title: 'Weekly active teams',
        kind: 'increase',
        start: 30,
        target: 120,
        unit: 'teams',
        owner: 'alex',
        history: [60, 95],
      },
    ],
  },
];

/** Generated goals for benchmarks: company → team → team → personal, then deeper personal goals. */
function generatedGoals(count: number): SeedGoal[] {
  const owners = Object.keys(demoUsers);
  const levels: GoalLevel[] = ['company', 'team', 'team', 'personal'];
  const result: SeedGoal[] = [];
  const kinds: KeyResultKind[] = [
    'increase',
    'decrease',
    'stay_above',
    'stay_below',
    'boolean',
    'initiative',
  ];
  for (let i = 0; i < count; i++) {
    // A balanced tree, five children per goal, numbered breadth-first.
    const parentIndex = i === 0 ? -1 : Math.floor((i - 1) / 5);
    const depth = parentIndex < 0 ? 0 : Math.floor(Math.log(4 * i + 1) / Math.log(5));
    const kind = kinds[i % kinds.length] ?? 'increase';
    const owner = owners[i % owners.length] ?? 'alex';
    result.push({
      key: `g${i}`,
      title: `Generated goal ${i + 1}`,
      level: levels[Math.min(depth, levels.length - 1)] ?? 'personal',
      owner,
      team: null,
      timeframe: 'current',
      parent: parentIndex < 0 ? 'c1' : `g${parentIndex}`,
      source: 'both',
      keyResults: [
        {
          title: `Metric ${i + 1}`,
          kind,
          start: 0,
          target: kind === 'boolean' || kind === 'initiative' ? 1 : 100,
          owner,
          history:
            i % 3 === 0
              ? []
              : [((i * 37) % 100) / (kind === 'boolean' || kind === 'initiative' ? 100 : 1)],
        },
      ],
    });
  }
  return result;
}

function quarterOf(date: Date): { start: Date; end: Date; name: string } {
  const quarter = Math.floor(date.getUTCMonth() / 3);
  const start = new Date(Date.UTC(date.getUTCFullYear(), quarter * 3, 1));
  const end = new Date(Date.UTC(date.getUTCFullYear(), quarter * 3 + 3, 0));
  return { start, end, name: `Q${quarter + 1} ${date.getUTCFullYear()}` };
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Creates a realistic demo org (users, teams, two timeframes, goals four levels deep, history). */
export async function seedDemo(db: Database, orgsService: OrgsService, options: SeedOptions) {
  const now = Date.now();
  const org = await orgsService.createOrg({
    slug: options.slug,
    name: 'Acme Demo',
    issuer: `https://${options.slug}.okr-embed.example`,
    origins: options.origins,
  });
  const key = await orgsService.addKey(org.slug, 'HS256');
  const repo = createDemoRepository(db);

  const current = quarterOf(new Date(now));
  const previous = quarterOf(new Date(current.start.getTime() - DAY));
  const timeframes = {
    previous: { id: randomUUID(), ...previous },
    current: { id: randomUUID(), ...current },
  };
  const userIds = Object.fromEntries(
    Object.keys(demoUsers).map((k) => [k, randomUUID()]),
  ) as Record<string, string>;
  const teamIds = Object.fromEntries(teams.map((t) => [t.key, randomUUID()])) as Record<
    string,
    string
  >;
  const goals = [...demoGoals, ...generatedGoals(options.goals ?? 0)];
  const total = goals.length;

  await db.transaction(async (tx) => {
    await repo.bulkInsert(
      'timeframes',
      Object.values(timeframes).map((t) => ({
        id: t.id,
        org_id: org.id,
        name: t.name,
        start_date: isoDay(t.start),
        end_date: isoDay(t.end),
        created_at: now,
      })),
      tx,
    );
    await repo.bulkInsert(
      'teams',
      teams.map((t) => ({
        id: teamIds[t.key] ?? null,
        org_id: org.id,
        team_key: t.key,
        name: t.name,
        parent_id: t.parent ? (teamIds[t.parent] ?? null) : null,
        created_at: now,
      })),
      tx,
    );
    await repo.bulkInsert(
      'users',
      Object.entries(demoUsers).map(([k, u]) => ({
        id: userIds[k] ?? null,
        org_id: org.id,
        external_id: u.sub,
        name: u.name,
        email: u.email,
        avatar_url: null,
        created_at: now,
        updated_at: now,
      })),
      tx,
    );
    await repo.bulkInsert(
      'memberships',
      Object.entries(demoUsers).flatMap(([k, u]) =>
        u.teams.map((t) => ({
          user_id: userIds[k] ?? null,
          team_id: teamIds[t] ?? null,
          org_id: org.id,
        })),
      ),
      tx,
    );

    const goalIds = new Map(goals.map((g) => [g.key, randomUUID()]));
    const goalRows: Array<Record<string, string | number | boolean | null>> = [];
    const krRows: Array<Record<string, string | number | boolean | null>> = [];
    const checkInRows: Array<Record<string, string | number | boolean | null>> = [];
    const computed = new Map<
      string,
      {
        progress: number;
        status: ProgressStatus;
        krs: Array<{
          kind: KeyResultKind;
          weight: number;
          progress: number;
          status: ProgressStatus;
        }>;
      }
    >();

    goals.forEach((goal, index) => {
      const timeframe = timeframes[goal.timeframe];
      const span = Math.min(now, timeframe.end.getTime()) - timeframe.start.getTime();
      const krs = goal.keyResults.map((kr) => {
        const current = kr.history[kr.history.length - 1] ?? kr.start;
        const progress = keyResultProgress({
          kind: kr.kind,
          start: kr.start,
          target: kr.target,
          current,
        });
        const checkInTimes = kr.history.map(
          (_, i) => timeframe.start.getTime() + (span * (i + 1)) / (kr.history.length + 1),
        );
        const statusAt = (value: number, at: number) =>
          suggestStatus({
            progress: keyResultProgress({ ...kr, current: value }),
            startDate: timeframe.start,
            endDate: timeframe.end.getTime() + DAY - 1,
            now: at,
          });
        const status: ProgressStatus =
          kr.history.length === 0
            ? 'not_started'
            : statusAt(current, checkInTimes[checkInTimes.length - 1] ?? now);
        const id = randomUUID();
        kr.history.forEach((value, i) => {
          const at = Math.round(checkInTimes[i] ?? now);
          checkInRows.push({
            id: randomUUID(),
            org_id: org.id,
            key_result_id: id,
            author_id: userIds[kr.owner] ?? null,
            value,
            status: statusAt(value, at),
            comment: i === kr.history.length - 1 ? 'Latest numbers from the weekly review.' : null,
            idempotency_key: null,
            kr_version: i + 2,
            created_at: at,
          });
        });
        krRows.push({
          id,
          org_id: org.id,
          goal_id: goalIds.get(goal.key) ?? null,
          title: kr.title,
          kind: kr.kind,
          start_value: kr.start,
          target_value: kr.target,
          current_value: current,
          unit: kr.unit ?? null,
          weight: kr.weight ?? 1,
          owner_id: userIds[kr.owner] ?? null,
          status,
          progress,
          version: kr.history.length + 1,
          deleted_at: null,
          created_at: now + index,
          updated_at: now,
        });
        return { kind: kr.kind, weight: kr.weight ?? 1, progress, status };
      });
      computed.set(goal.key, { progress: 0, status: 'not_started', krs });
    });

    const childrenOf = new Map<string, string[]>();
    for (const goal of goals) {
      if (goal.parent)
        childrenOf.set(goal.parent, [...(childrenOf.get(goal.parent) ?? []), goal.key]);
    }
    // Children come after their parents in the list, so a reverse walk rolls up bottom-up.
    for (const goal of [...goals].reverse()) {
      const own = computed.get(goal.key);
      if (!own) continue;
      const source = goal.source ?? 'key_results';
      const children = (childrenOf.get(goal.key) ?? []).map(
        (k) => computed.get(k) ?? { progress: 0, status: 'not_started' as const },
      );
      own.progress = goalProgress({
        source,
        keyResults: own.krs,
        children,
        initiativesCount: false,
      });
      own.status = goalStatus([
        ...(source === 'aligned_goals'
          ? []
          : own.krs.filter((kr) => kr.kind !== 'initiative').map((kr) => kr.status)),
        ...(source === 'key_results' ? [] : children.map((c) => c.status)),
      ]);
    }
    goals.forEach((goal, index) => {
      const own = computed.get(goal.key);
      goalRows.push({
        id: goalIds.get(goal.key) ?? null,
        org_id: org.id,
        title: goal.title,
        description: goal.description ?? null,
        level: goal.level,
        owner_id: goal.owner ? (userIds[goal.owner] ?? null) : null,
        team_id: goal.team ? (teamIds[goal.team] ?? null) : null,
        timeframe_id: timeframes[goal.timeframe].id,
        parent_id: goal.parent ? (goalIds.get(goal.parent) ?? null) : null,
        progress_source: goal.source ?? 'key_results',
        status: own?.status ?? 'not_started',
        progress: own?.progress ?? 0,
        version: 1,
        archived: false,
        deleted_at: null,
        created_at: now + index,
        updated_at: now,
      });
    });
    const chunk = 1000;
    for (let offset = 0; offset < goalRows.length; offset += chunk) {
      await repo.bulkInsert('goals', goalRows.slice(offset, offset + chunk), tx);
      options.onProgress?.(Math.min(offset + chunk, total), total);
    }
    await repo.bulkInsert('key_results', krRows, tx);
    await repo.bulkInsert('check_ins', checkInRows, tx);
  });
  return {
    org: org.slug,
    kid: key.kid,
    goals: total,
    users: Object.keys(demoUsers).length,
    teams: teams.length,
  };
}
