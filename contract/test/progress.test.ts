import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  KEY_RESULT_KINDS,
  excludedFromProgress,
  explainGoalProgress,
  explainGoalStatus,
  goalProgress,
  goalStatus,
  goalSummary,
  keyResultProgress,
  suggestStatus,
  timeframeSpan,
} from '../src/index.js';

const value = fc.double({ min: -1e9, max: 1e9, noNaN: true });
const kind = fc.constantFrom(...KEY_RESULT_KINDS);
const unit = fc.double({ min: 0, max: 1, noNaN: true });

describe('progress module', () => {
  it('when any key result is computed, then its progress lies within [0, 1]', () => {
    fc.assert(
      fc.property(kind, value, value, value, (k, start, target, current) => {
        const p = keyResultProgress({ kind: k, start, target, current });
        return p >= 0 && p <= 1;
      }),
    );
  });

  it('when current grows on an increase key result, then progress never falls', () => {
    fc.assert(
      fc.property(value, value, value, value, (start, target, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        fc.pre(target > start);
        return (
          keyResultProgress({ kind: 'increase', start, target, current: low }) <=
          keyResultProgress({ kind: 'increase', start, target, current: high })
        );
      }),
    );
  });

  it('when the range is a few denormals wide, then a value past the target still reads as done', () => {
    // Found by the property above: (current - start) / (target - start) overflows to Infinity.
    const kr = { kind: 'increase' as const, start: -5e-324, target: 0 };
    assert.equal(keyResultProgress({ ...kr, current: 0 }), 1);
    assert.equal(keyResultProgress({ ...kr, current: 8.88e-16 }), 1);
    assert.equal(keyResultProgress({ ...kr, current: -1 }), 0);
  });

  it('when a decrease key result is mirrored into an increase, then both report the same progress', () => {
    fc.assert(
      fc.property(value, value, value, (start, target, current) => {
        fc.pre(target < start);
        const down = keyResultProgress({ kind: 'decrease', start, target, current });
        const up = keyResultProgress({
          kind: 'increase',
          start: -start,
          target: -target,
          current: -current,
        });
        return Math.abs(down - up) < 1e-9;
      }),
    );
  });

  it('when target equals start, then progress is 1 exactly when the target is met', () => {
    assert.equal(keyResultProgress({ kind: 'increase', start: 5, target: 5, current: 5 }), 1);
    assert.equal(keyResultProgress({ kind: 'increase', start: 5, target: 5, current: 4 }), 0);
    assert.equal(keyResultProgress({ kind: 'decrease', start: 5, target: 5, current: 6 }), 0);
    assert.equal(keyResultProgress({ kind: 'decrease', start: 5, target: 5, current: 5 }), 1);
  });

  it('when thresholds and booleans are checked, then they are all-or-nothing', () => {
    assert.equal(keyResultProgress({ kind: 'stay_above', start: 0, target: 10, current: 10 }), 1);
    assert.equal(keyResultProgress({ kind: 'stay_above', start: 0, target: 10, current: 9.99 }), 0);
    assert.equal(keyResultProgress({ kind: 'stay_below', start: 0, target: 10, current: 10 }), 1);
    assert.equal(keyResultProgress({ kind: 'stay_below', start: 0, target: 10, current: 10.5 }), 0);
    assert.equal(keyResultProgress({ kind: 'boolean', start: 0, target: 1, current: 1 }), 1);
    assert.equal(keyResultProgress({ kind: 'boolean', start: 0, target: 1, current: 0.9 }), 0);
    assert.equal(keyResultProgress({ kind: 'initiative', start: 0, target: 1, current: 0.4 }), 0.4);
    assert.equal(keyResultProgress({ kind: 'increase', start: -10, target: 10, current: 0 }), 0.5);
  });

  it('when every contributor has the same progress, then the goal has that progress', () => {
    fc.assert(
      fc.property(
        unit,
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.nat({ max: 5 }),
        fc.constantFrom('key_results' as const, 'aligned_goals' as const, 'both' as const),
        (p, weights, childCount, source) => {
          fc.pre(source === 'key_results' || childCount > 0);
          const result = goalProgress({
            source,
            keyResults: weights.map((weight) => ({
              kind: 'increase' as const,
              weight,
              progress: p,
            })),
            children: Array.from({ length: childCount }, () => ({ progress: p })),
            initiativesCount: false,
          });
          return Math.abs(result - p) < 1e-9;
        },
      ),
    );
  });

  it('when a goal rolls up anything, then its progress lies within [0, 1] and between its contributors', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ kind, weight: fc.double({ min: 0, max: 10, noNaN: true }), progress: unit }),
          { maxLength: 8 },
        ),
        fc.array(fc.record({ progress: unit }), { maxLength: 5 }),
        fc.boolean(),
        (keyResults, children, initiativesCount) => {
          const p = goalProgress({ source: 'both', keyResults, children, initiativesCount });
          const counted = [
            ...keyResults.filter(
              (kr) => kr.weight > 0 && (kr.kind !== 'initiative' || initiativesCount),
            ),
            ...children,
          ].map((c) => c.progress);
          if (counted.length === 0) return p === 0;
          return p >= Math.min(...counted) - 1e-9 && p <= Math.max(...counted) + 1e-9;
        },
      ),
    );
  });

  it('when weights differ, then the heavier key result pulls harder, and initiatives count only when the org says so', () => {
    const keyResults = [
      { kind: 'increase' as const, weight: 3, progress: 1 },
      { kind: 'increase' as const, weight: 1, progress: 0 },
      { kind: 'initiative' as const, weight: 4, progress: 0 },
    ];
    assert.equal(
      goalProgress({ source: 'key_results', keyResults, children: [], initiativesCount: false }),
      0.75,
    );
    assert.equal(
      goalProgress({ source: 'key_results', keyResults, children: [], initiativesCount: true }),
      0.375,
    );
    assert.equal(
      goalProgress({
        source: 'key_results',
        keyResults: [],
        children: [],
        initiativesCount: false,
      }),
      0,
    );
    assert.equal(
      goalProgress({
        source: 'aligned_goals',
        keyResults,
        children: [{ progress: 0.2 }],
        initiativesCount: false,
      }),
      0.2,
    );
  });

  it('when a goal underflows to 0 %, then its explanation shares nothing', () => {
    // Found by the property below: a weighted sum of one denormal divides to exactly 0.
    const explanation = explainGoalProgress({
      source: 'key_results',
      keyResults: [
        { kind: 'increase', weight: 0.1, progress: 2.5e-323, id: 'a', title: 'A' },
        { kind: 'increase', weight: 1.9, progress: 0, id: 'b', title: 'B' },
      ],
      children: [],
      initiativesCount: false,
    });
    assert.equal(explanation.progress, 0);
    assert.deepEqual(
      explanation.contributions.map((c) => c.share),
      [0, 0],
    );
  });

  it('when a number is explained, then the shares add up to 1 and rebuild the number', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ weight: fc.double({ min: 0.1, max: 10, noNaN: true }), progress: unit }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(unit, { maxLength: 4 }),
        (krs, childProgress) => {
          const explanation = explainGoalProgress({
            source: 'both',
            keyResults: krs.map((kr, i) => ({
              ...kr,
              kind: 'increase' as const,
              id: `kr${i}`,
              title: `KR ${i}`,
            })),
            children: childProgress.map((progress, i) => ({
              progress,
              id: `g${i}`,
              title: `Goal ${i}`,
            })),
            initiativesCount: false,
          });
          const total = explanation.contributions.reduce((sum, c) => sum + c.share, 0);
          if (explanation.progress === 0) return total === 0;
          return (
            Math.abs(total - 1) < 1e-9 &&
            explanation.contributions.length === krs.length + childProgress.length
          );
        },
      ),
    );
  });

  it('when statuses are combined, then the weakest started one wins', () => {
    assert.equal(goalStatus([]), 'not_started');
    assert.equal(goalStatus(['not_started', 'not_started']), 'not_started');
    assert.equal(goalStatus(['on_track', 'needs_attention', 'accomplished']), 'needs_attention');
    assert.equal(goalStatus(['accomplished', 'off_track', 'not_started']), 'off_track');
    assert.equal(goalStatus(['accomplished', 'not_started']), 'accomplished');
  });

  it('when pace is judged half-way through a timeframe, then 70 % and 50 % of the expected progress are the thresholds', () => {
    // Ten whole days, 1 to 10 January: the 6th at midnight is half-way.
    const frame = {
      timeframe: { startDate: '2027-01-01', endDate: '2027-01-10' },
      now: Date.parse('2027-01-06T00:00:00Z'),
    };
    assert.equal(suggestStatus({ ...frame, progress: 0.351 }), 'on_track');
    assert.equal(suggestStatus({ ...frame, progress: 0.349 }), 'needs_attention');
    assert.equal(suggestStatus({ ...frame, progress: 0.251 }), 'needs_attention');
    assert.equal(suggestStatus({ ...frame, progress: 0.249 }), 'off_track');
    assert.equal(suggestStatus({ ...frame, progress: 1 }), 'accomplished');
    const before = Date.parse('2026-12-01T00:00:00Z');
    assert.equal(suggestStatus({ ...frame, now: before, progress: 0 }), 'on_track');
  });

  it('when a timeframe ends on a day, then it runs until the last millisecond of that day', () => {
    const span = timeframeSpan({ startDate: '2027-01-01', endDate: '2027-03-31' });
    assert.equal(span.start, Date.parse('2027-01-01T00:00:00.000Z'));
    assert.equal(span.end, Date.parse('2027-03-31T23:59:59.999Z'));
    // At noon on the last day half a day of the 90 is still ahead: 99.44 % is expected, so
    // 69.7 % is on pace (it would not be if the quarter had ended at midnight before).
    const timeframe = { startDate: '2027-01-01', endDate: '2027-03-31' };
    const lastNoon = Date.parse('2027-03-31T12:00:00Z');
    assert.equal(suggestStatus({ timeframe, now: lastNoon, progress: 0.697 }), 'on_track');
    assert.equal(suggestStatus({ timeframe, now: lastNoon, progress: 0.695 }), 'needs_attention');
    // ...and a day that does not parse suggests nothing worse than on track.
    const broken = { startDate: 'soon', endDate: '2027-03-31' };
    assert.equal(suggestStatus({ timeframe: broken, now: lastNoon, progress: 0 }), 'on_track');
  });

  it('when a goal is summarised, then only what counts toward its progress counts toward its status', () => {
    const initiative = {
      kind: 'initiative' as const,
      weight: 1,
      progress: 0,
      status: 'off_track' as const,
    };
    const metric = {
      kind: 'increase' as const,
      weight: 1,
      progress: 0.5,
      status: 'on_track' as const,
    };
    const child = { progress: 1, status: 'accomplished' as const };
    const base = { keyResults: [initiative, metric], children: [child] };
    assert.deepEqual(goalSummary({ ...base, source: 'key_results', initiativesCount: false }), {
      progress: 0.5,
      status: 'on_track',
    });
    assert.deepEqual(goalSummary({ ...base, source: 'key_results', initiativesCount: true }), {
      progress: 0.25,
      status: 'off_track',
    });
    assert.deepEqual(goalSummary({ ...base, source: 'aligned_goals', initiativesCount: true }), {
      progress: 1,
      status: 'accomplished',
    });
    assert.deepEqual(goalSummary({ ...base, source: 'both', initiativesCount: false }), {
      progress: 0.75,
      status: 'on_track',
    });
  });
});

describe('what a goal explanation leaves out, and which key result sets the status', () => {
  const kr = (
    id: string,
    kind: 'increase' | 'initiative',
    weight: number,
    progress: number,
    status: 'not_started' | 'on_track' | 'needs_attention' | 'off_track' | 'accomplished',
  ) => ({ id, title: `KR ${id}`, kind, weight, progress, status });
  const child = { id: 'g-c', title: 'Child', progress: 1, status: 'accomplished' as const };

  it('names an initiative the org setting excludes and a key result of weight 0, nothing that counts', () => {
    const input = {
      source: 'key_results' as const,
      keyResults: [
        kr('a', 'increase', 1, 0.9, 'on_track'),
        kr('b', 'initiative', 1, 0.2, 'off_track'),
        kr('c', 'increase', 0, 0, 'on_track'),
      ],
      children: [child],
      initiativesCount: false,
    };
    assert.deepEqual(
      excludedFromProgress(input).map((e) => [e.id, e.reason]),
      [
        ['b', 'initiatives_not_counted'],
        ['c', 'zero_weight'],
      ],
    );
    // Every key result is either a contribution or an exclusion, never both.
    const counted = explainGoalProgress(input).contributions.map((c) => c.id);
    assert.deepEqual(counted, ['a']);
    assert.deepEqual(
      excludedFromProgress({ ...input, initiativesCount: true }).map((e) => e.id),
      ['c'],
    );
  });

  it('lists nothing as left out of a goal counted from its aligned goals alone', () => {
    const input = {
      source: 'aligned_goals' as const,
      keyResults: [kr('a', 'increase', 0, 0.9, 'on_track')],
      children: [child],
      initiativesCount: false,
    };
    assert.deepEqual(excludedFromProgress(input), []);
    assert.deepEqual(
      explainGoalProgress(input).contributions.map((c) => c.id),
      ['g-c'],
    );
  });

  it('says which key results give a goal at 82 % its off-track status, agreeing with goalSummary', () => {
    const input = {
      source: 'key_results' as const,
      keyResults: [
        kr('a', 'increase', 4, 1, 'accomplished'),
        kr('b', 'increase', 1, 0.1, 'off_track'),
        kr('c', 'increase', 0, 0, 'needs_attention'),
        kr('d', 'initiative', 1, 0, 'off_track'),
      ],
      children: [],
      initiativesCount: false,
    };
    const summary = goalSummary(input);
    assert.equal(Math.round(summary.progress * 100), 82);
    const explained = explainGoalStatus(input);
    assert.equal(explained.status, summary.status);
    assert.deepEqual(explained, {
      status: 'off_track',
      decidedBy: [{ type: 'key_result', id: 'b', title: 'KR b' }],
    });
    // The initiative the org does not count cannot make the goal off track.
    const without = { ...input, keyResults: input.keyResults.filter((k) => k.id !== 'b') };
    assert.deepEqual(explainGoalStatus(without), {
      status: 'needs_attention',
      decidedBy: [{ type: 'key_result', id: 'c', title: 'KR c' }],
    });
  });

  it('has nothing to blame while no key result has started', () => {
    const input = {
      source: 'both' as const,
      keyResults: [kr('a', 'increase', 1, 0, 'not_started')],
      children: [{ ...child, status: 'not_started' as const, progress: 0 }],
      initiativesCount: true,
    };
    assert.deepEqual(explainGoalStatus(input), { status: 'not_started', decidedBy: [] });
  });
});
