import { expect } from '@open-wc/testing';
import type { Change } from '@okr-embed/contract';
import { goal, keyResultsByKind, summaryOf } from '../fixtures/goals.js';
import { patchGoal, patchRows } from './live-patches.js';

const empty: Change = { goals: [], progress: [], keyResults: [] };

describe('live patches', () => {
  it('leave a goal untouched by the change as the same object', () => {
    const card = goal();
    expect(
      patchGoal(card, {
        ...empty,
        progress: [
          { id: 'other', progress: 1, status: 'accomplished', updatedAt: '2030-01-01T00:00:00Z' },
        ],
      }),
    ).to.equal(card);
  });

  it('never take numbers back: an older event replayed after a newer answer is ignored', () => {
    const card = goal({ progress: 0.9, updatedAt: '2027-02-12T09:00:00Z' });
    const older: Change = {
      goals: [goal({ progress: 0.5, updatedAt: '2027-02-11T09:00:00Z' })],
      progress: [
        { id: 'g-1', progress: 0.5, status: 'off_track', updatedAt: '2027-02-11T09:00:00Z' },
      ],
      keyResults: [
        {
          ...keyResultsByKind.increase,
          current: 1,
          version: keyResultsByKind.increase.version - 1,
        },
      ],
    };
    const patched = patchGoal(card, older);
    expect(patched.progress).to.equal(0.9);
    expect(patched.keyResults[0]!.current).to.equal(keyResultsByKind.increase.current);
  });

  it('add created key results, drop deleted ones and deleted children', () => {
    const card = goal({
      children: [
        { id: 'c-1', title: 'Child', level: 'team', status: 'on_track', progress: 0.2 },
        { id: 'c-2', title: 'Gone', level: 'team', status: 'on_track', progress: 0.2 },
      ],
    });
    const added = { ...keyResultsByKind.boolean, id: 'kr-new', goalId: 'g-1' };
    const patched = patchGoal(card, {
      ...empty,
      keyResults: [added],
      deleted: { goalIds: ['c-2'], keyResultIds: ['kr-dec'] },
    });
    expect(patched.keyResults.map((kr) => kr.id)).to.deep.equal(['kr-inc', 'kr-new']);
    expect(patched.children.map((child) => child.id)).to.deep.equal(['c-1']);
  });

  it('give list rows the summary fields of a whole card in the change', () => {
    const row = summaryOf(goal());
    const renamed = goal({ title: 'Renamed', updatedAt: '2027-02-12T09:00:00Z' });
    const [patched] = patchRows([row], { ...empty, goals: [renamed] });
    expect(patched).to.deep.equal(summaryOf(renamed));
  });
});
