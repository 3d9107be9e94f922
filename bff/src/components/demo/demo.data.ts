import {
  KEY_RESULT_KINDS,
  type GoalLevel,
  type KeyResultKind,
  type ProgressSource,
} from '@okr-embed/contract';

/**
 * What the demo organization contains: people, teams, a hand-written goal tree over four levels
 * with every key-result kind and some history, and a generator of more goals for benchmarks.
 */
export interface SeedKeyResult {
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

export interface SeedGoal {
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

export const demoTeams = [
  { key: 'leadership', name: 'Leadership', parent: null },
  { key: 'engineering', name: 'Engineering', parent: 'leadership' },
  { key: 'platform', name: 'Platform', parent: 'engineering' },
  { key: 'marketing', name: 'Marketing', parent: 'leadership' },
  { key: 'growth', name: 'Growth', parent: 'marketing' },
];

export const demoGoals: SeedGoal[] = [
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
export function generatedGoals(count: number): SeedGoal[] {
  const owners = Object.keys(demoUsers);
  const levels: GoalLevel[] = ['company', 'team', 'team', 'personal'];
  const result: SeedGoal[] = [];
  for (let i = 0; i < count; i++) {
    // A balanced tree, five children per goal, numbered breadth-first.
    const parentIndex = i === 0 ? -1 : Math.floor((i - 1) / 5);
    const depth = parentIndex < 0 ? 0 : Math.floor(Math.log(4 * i + 1) / Math.log(5));
    const kind = KEY_RESULT_KINDS[i % KEY_RESULT_KINDS.length] ?? 'increase';
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
