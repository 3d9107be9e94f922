/**
 * How okr-embed turns values into progress and status. Pure functions, no DOM and no Node
 * APIs: the BFF stores what these compute, and the widgets use the same code to explain it
 * ("why 47 %?") and to show an optimistic value before the BFF answers.
 */
import { timeframeSpan, type TimeframeDays } from './dates.js';
import type { KeyResultKind, ProgressSource, ProgressStatus } from './enums.js';

export interface KeyResultValues {
  kind: KeyResultKind;
  start: number;
  target: number;
  current: number;
}

export interface KeyResultContribution {
  kind: KeyResultKind;
  weight: number;
  progress: number;
}

export interface ChildContribution {
  progress: number;
}

export interface GoalProgressInput<
  K extends KeyResultContribution = KeyResultContribution,
  C extends ChildContribution = ChildContribution,
> {
  source: ProgressSource;
  keyResults: K[];
  children: C[];
  /** The org setting: whether `initiative` key results count toward goal progress. */
  initiativesCount: boolean;
}

export interface Contribution {
  type: 'key_result' | 'goal';
  id: string;
  title: string;
  progress: number;
  weight: number;
  /** The fraction of the goal's final number this contribution makes up (0..1). */
  share: number;
}

export interface GoalProgressExplanation {
  progress: number;
  contributions: Contribution[];
}

function clamp01(value: number): number {
  // A range of a few denormals divides to ±Infinity, which clamps like any other overshoot;
  // only NaN (no meaningful ratio at all) counts as no progress.
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

export function keyResultProgress({ kind, start, target, current }: KeyResultValues): number {
  switch (kind) {
    case 'increase':
      if (target === start) return current >= target ? 1 : 0;
      return clamp01((current - start) / (target - start));
    case 'decrease':
      if (target === start) return current <= target ? 1 : 0;
      return clamp01((current - start) / (target - start));
    case 'stay_above':
      return current >= target ? 1 : 0;
    case 'stay_below':
      return current <= target ? 1 : 0;
    case 'boolean':
      return current >= 1 ? 1 : 0;
    case 'initiative':
      return clamp01(current);
  }
}

/** Whether a key result counts toward its goal at all: initiatives only where the org says so. */
export function countsTowardGoal(kind: KeyResultKind, initiativesCount: boolean): boolean {
  return kind !== 'initiative' || initiativesCount;
}

/** Why something of a goal does not count toward its number. */
export type ExclusionReason = 'initiatives_not_counted' | 'zero_weight';

/**
 * Why a key result of a goal counted from its key results does not count toward the number, or
 * null when it counts. (A goal counted from its aligned goals alone says so by its source.)
 */
function keyResultExclusion(
  kr: KeyResultContribution,
  input: GoalProgressInput<KeyResultContribution, ChildContribution>,
): ExclusionReason | null {
  if (!countsTowardGoal(kr.kind, input.initiativesCount)) return 'initiatives_not_counted';
  if (!(Number.isFinite(kr.weight) && kr.weight > 0)) return 'zero_weight';
  return null;
}

/** The weighted contributors of a goal, in the order they are listed. */
function contributorsOf<K extends KeyResultContribution, C extends ChildContribution>(
  input: GoalProgressInput<K, C>,
): Array<
  { type: 'key_result'; item: K; weight: number } | { type: 'goal'; item: C; weight: number }
> {
  const fromKeyResults =
    input.source === 'aligned_goals'
      ? []
      : input.keyResults
          .filter((kr) => keyResultExclusion(kr, input) === null)
          .map((item) => ({ type: 'key_result' as const, item, weight: item.weight }));
  // An aligned goal counts once, as much as a key result of the default weight 1.
  const fromChildren =
    input.source === 'key_results'
      ? []
      : input.children.map((item) => ({ type: 'goal' as const, item, weight: 1 }));
  return [...fromKeyResults, ...fromChildren];
}

export function goalProgress(input: GoalProgressInput): number {
  const contributors = contributorsOf(input);
  const totalWeight = contributors.reduce((sum, c) => sum + c.weight, 0);
  if (totalWeight <= 0) return 0;
  const weighted = contributors.reduce((sum, c) => sum + c.weight * clamp01(c.item.progress), 0);
  return clamp01(weighted / totalWeight);
}

export function explainGoalProgress(
  input: GoalProgressInput<
    KeyResultContribution & { id: string; title: string },
    ChildContribution & { id: string; title: string }
  >,
): GoalProgressExplanation {
  const contributors = contributorsOf(input);
  const weightedSum = contributors.reduce((sum, c) => sum + c.weight * clamp01(c.item.progress), 0);
  const goal = goalProgress(input);
  // Shares explain the number; a goal at 0 (even one that underflowed to 0) has nothing to share.
  const explained = goal > 0 && weightedSum > 0;
  return {
    progress: goal,
    contributions: contributors.map((c) => {
      const progress = clamp01(c.item.progress);
      return {
        type: c.type,
        id: c.item.id,
        title: c.item.title,
        progress,
        weight: c.weight,
        share: explained ? (c.weight * progress) / weightedSum : 0,
      };
    }),
  };
}

export interface Exclusion {
  type: 'key_result' | 'goal';
  id: string;
  title: string;
  reason: ExclusionReason;
}

/**
 * What the explanation of a number leaves out, and why: the counterpart of the contributions,
 * decided by the same rule, so that "why 45 %?" cannot forget an initiative the org excludes.
 */
export function excludedFromProgress(
  input: GoalProgressInput<
    KeyResultContribution & { id: string; title: string },
    ChildContribution & { id: string; title: string }
  >,
): Exclusion[] {
  if (input.source === 'aligned_goals') return [];
  return input.keyResults.flatMap((kr) => {
    const reason = keyResultExclusion(kr, input);
    return reason ? [{ type: 'key_result' as const, id: kr.id, title: kr.title, reason }] : [];
  });
}

/** The key results and aligned goals whose statuses make a goal's status. */
function statusContributorsOf<K extends KeyResultContribution, C extends ChildContribution>(
  input: GoalProgressInput<K, C>,
): Array<{ type: 'key_result'; item: K } | { type: 'goal'; item: C }> {
  return [
    ...(input.source === 'aligned_goals' ? [] : input.keyResults)
      .filter((kr) => countsTowardGoal(kr.kind, input.initiativesCount))
      .map((item) => ({ type: 'key_result' as const, item })),
    ...(input.source === 'key_results' ? [] : input.children).map((item) => ({
      type: 'goal' as const,
      item,
    })),
  ];
}

/** Weakest first; `not_started` only wins when nothing has started. */
const weakness: Record<Exclude<ProgressStatus, 'not_started'>, number> = {
  off_track: 0,
  needs_attention: 1,
  on_track: 2,
  accomplished: 3,
};

/** A goal's status is its weakest key result's; key results not started yet do not count. */
export function goalStatus(keyResultStatuses: readonly ProgressStatus[]): ProgressStatus {
  let weakest: Exclude<ProgressStatus, 'not_started'> | null = null;
  for (const status of keyResultStatuses) {
    if (status === 'not_started') continue;
    if (weakest === null || weakness[status] < weakness[weakest]) weakest = status;
  }
  return weakest ?? 'not_started';
}

/**
 * A goal's stored number and status from what it is computed from: the key results and
 * aligned goals that count toward its progress are the ones whose statuses count too.
 */
export function goalSummary(
  input: GoalProgressInput<
    KeyResultContribution & { status: ProgressStatus },
    ChildContribution & { status: ProgressStatus }
  >,
): { progress: number; status: ProgressStatus } {
  const statuses = statusContributorsOf(input).map((c) => c.item.status);
  return { progress: goalProgress(input), status: goalStatus(statuses) };
}

export interface StatusExplanation {
  status: ProgressStatus;
  /** The contributors whose status is the goal's (none when nothing has started). */
  decidedBy: Array<{ type: 'key_result' | 'goal'; id: string; title: string }>;
}

/** Which key results (or aligned goals) give a goal its status, by the rule of `goalSummary`. */
export function explainGoalStatus(
  input: GoalProgressInput<
    KeyResultContribution & { id: string; title: string; status: ProgressStatus },
    ChildContribution & { id: string; title: string; status: ProgressStatus }
  >,
): StatusExplanation {
  const contributors = statusContributorsOf(input);
  const status = goalStatus(contributors.map((c) => c.item.status));
  const decidedBy =
    status === 'not_started'
      ? []
      : contributors
          .filter((c) => c.item.status === status)
          .map((c) => ({ type: c.type, id: c.item.id, title: c.item.title }));
  return { status, decidedBy };
}

export interface PaceInput {
  progress: number;
  /** The timeframe's days; its end is the last millisecond of `endDate` (see dates.ts). */
  timeframe: TimeframeDays;
  now: number | Date;
}

/**
 * Compares progress with the elapsed share of the timeframe: at ≥ 70 % of the expected pace a
 * goal is on track, at ≥ 50 % it needs attention, below that it is off track.
 */
export function suggestStatus({ progress, timeframe, now }: PaceInput): ProgressStatus {
  const value = clamp01(progress);
  if (value >= 1) return 'accomplished';
  const { start, end } = timeframeSpan(timeframe);
  const at = now instanceof Date ? now.getTime() : now;
  if (![start, end, at].every(Number.isFinite) || end <= start) return 'on_track';
  const expected = clamp01((at - start) / (end - start));
  // Nothing is expected before the timeframe starts, so nobody is behind yet.
  if (expected === 0) return 'on_track';
  const pace = value / expected;
  if (pace >= 0.7) return 'on_track';
  if (pace >= 0.5) return 'needs_attention';
  return 'off_track';
}
