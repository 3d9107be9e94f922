import type {
  HistoryPoint,
  KeyResultKind,
  ProgressHistory,
  ProgressStatus,
} from '@okr-embed/contract';
import { ada, timeframe } from '../fixtures/goals.js';

/** Histories shared by the element's tests and stories; all in Q1 2027 (1 Jan – 31 Mar). */

/** Instants before, inside and after Q1 2027, for the `now` property. */
export const beforeTimeframe = Date.parse('2026-12-01T12:00:00Z');
export const inTimeframe = Date.parse('2027-02-15T12:00:00Z');
export const afterTimeframe = Date.parse('2027-05-01T12:00:00Z');

const grace = { id: 'u-grace', name: 'Grace Hopper', avatarUrl: null };

function point(
  at: string,
  progress: number,
  status: ProgressStatus,
  extra: Partial<HistoryPoint> = {},
) {
  return { at, progress, status, author: ada, comment: null, ...extra };
}

function keyResultSubject(kind: KeyResultKind, start: number, target: number, unit: string | null) {
  return {
    type: 'key-result' as const,
    id: `kr-${kind}`,
    title: `History of a ${kind.replace('_', ' ')} key result`,
    kind,
    start,
    target,
    unit,
  };
}

/** An increase from 100 to 200 teams with three check-ins. */
export function increaseHistory(overrides: Partial<ProgressHistory> = {}): ProgressHistory {
  return {
    subject: {
      ...keyResultSubject('increase', 100, 200, 'teams'),
      title: 'Grow weekly active teams',
    },
    timeframe,
    initial: { progress: 0, value: 100 },
    points: [
      point('2027-01-10T09:00:00Z', 0.2, 'on_track', { value: 120 }),
      point('2027-01-31T09:00:00Z', 0.4, 'on_track', { value: 140, author: grace }),
      point('2027-02-12T09:00:00Z', 0.5, 'needs_attention', {
        value: 150,
        comment: 'Two large teams moved to the new plan.',
      }),
    ],
    ...overrides,
  };
}

/** Churn from 8 % down to 4 %: the value falls while progress rises. */
export function decreaseHistory(): ProgressHistory {
  return {
    subject: { ...keyResultSubject('decrease', 8, 4, '%'), title: 'Cut churn' },
    timeframe,
    initial: { progress: 0, value: 8 },
    points: [
      point('2027-01-15T09:00:00Z', 0.125, 'off_track', { value: 7.5 }),
      point('2027-02-05T09:00:00Z', 0.375, 'needs_attention', { value: 6.5 }),
    ],
  };
}

/** Not done, then done: one step from 0 to 100 %. */
export function booleanHistory(): ProgressHistory {
  return {
    subject: { ...keyResultSubject('boolean', 0, 1, null), title: 'Launch the partner API' },
    timeframe,
    initial: { progress: 0, value: 0 },
    points: [point('2027-02-01T09:00:00Z', 1, 'accomplished', { value: 1, comment: 'Shipped.' })],
  };
}

export function stayAboveHistory(): ProgressHistory {
  return {
    subject: { ...keyResultSubject('stay_above', 0, 40, null), title: 'Keep NPS high' },
    timeframe,
    initial: { progress: 0, value: 0 },
    points: [
      point('2027-01-20T09:00:00Z', 1, 'on_track', { value: 45 }),
      point('2027-02-10T09:00:00Z', 0, 'off_track', { value: 38 }),
    ],
  };
}

export function stayBelowHistory(): ProgressHistory {
  return {
    subject: { ...keyResultSubject('stay_below', 0, 300, 'ms'), title: 'Keep p95 latency low' },
    timeframe,
    initial: { progress: 0, value: 0 },
    points: [point('2027-01-25T09:00:00Z', 0, 'off_track', { value: 420 })],
  };
}

export function initiativeHistory(): ProgressHistory {
  return {
    subject: { ...keyResultSubject('initiative', 0, 1, null), title: 'Run the pricing study' },
    timeframe,
    initial: { progress: 0, value: 0 },
    points: [
      point('2027-01-18T09:00:00Z', 0.1, 'on_track', { value: 0.1 }),
      point('2027-02-08T09:00:00Z', 0.3, 'on_track', { value: 0.3 }),
    ],
  };
}

/** An objective's history: progress only, no values or authors (it moves with its key results). */
export function goalHistory(): ProgressHistory {
  return {
    subject: {
      type: 'goal',
      id: 'g-1',
      title: 'Become the default OKR tool for mid-size companies',
    },
    timeframe,
    initial: { progress: 0 },
    points: [
      { at: '2027-01-10T09:00:00Z', progress: 0.1, status: 'on_track' },
      { at: '2027-02-01T09:00:00Z', progress: 0.3, status: 'on_track' },
      { at: '2027-02-12T09:00:00Z', progress: 0.4, status: 'needs_attention' },
    ],
  };
}

export function noCheckInsHistory(): ProgressHistory {
  return increaseHistory({ points: [] });
}

export function oneCheckInHistory(): ProgressHistory {
  const history = increaseHistory();
  return { ...history, points: history.points.slice(0, 1) };
}

/** `count` check-ins spread over the first 45 days, rising with small setbacks. */
export function manyHistory(count = 400): ProgressHistory {
  const start = Date.parse('2027-01-01T08:00:00Z');
  const step = (45 * 24 * 3600 * 1000) / count;
  const points: HistoryPoint[] = [];
  for (let i = 0; i < count; i += 1) {
    // Deterministic wobble, so a story and a test see the same line.
    const progress = Math.min(1, Math.max(0, (i / count) * 0.6 + 0.04 * Math.sin(i / 3)));
    const status: ProgressStatus = progress >= 0.3 ? 'on_track' : 'needs_attention';
    points.push(
      point(new Date(start + i * step).toISOString(), progress, status, {
        value: Math.round(100 + progress * 100),
      }),
    );
  }
  return increaseHistory({ points });
}
