import { expect, fixture, html } from '@open-wc/testing';
import { goalSummary, type Goal } from '@okr-embed/contract';
import { goal, keyResult } from '../fixtures/goals.js';
import './goal-card.js';
import type { OkrGoalCard } from './goal-card.js';

/** The card's "why" panel, opened, as lines of text. */
async function whyOf(data: Goal, locale = 'en') {
  const el = await fixture<OkrGoalCard>(
    html`<okr-goal-card locale=${locale} .goal=${data}></okr-goal-card>`,
  );
  const why = el.shadowRoot!.querySelector<HTMLDetailsElement>('[part="why"]')!;
  why.open = true;
  await expect(el).to.be.accessible();
  const lines = (selector: string) =>
    [...why.querySelectorAll(selector)].map((node) =>
      node.textContent!.replace(/\s+/g, ' ').trim(),
    );
  return {
    summary: why.querySelector('summary')!.textContent!.trim(),
    status: lines('.why-status'),
    counted: lines('.why-list:not(.why-excluded) li'),
    excluded: lines('.why-excluded li'),
    heading: lines('.why-excluded-heading'),
  };
}

/** A goal as the BFF would send it: its number and status computed by the contract. */
function computed(overrides: Partial<Goal>): Goal {
  const draft = goal(overrides);
  const { progress, status } = goalSummary({
    source: draft.progressSource,
    keyResults: draft.keyResults,
    children: draft.children,
    initiativesCount: draft.initiativesCount,
  });
  return { ...draft, progress, status };
}

const revenue = keyResult({
  id: 'kr-r',
  title: 'Raise revenue',
  progress: 1,
  weight: 4,
  status: 'accomplished',
});
const churn = keyResult({
  id: 'kr-c',
  title: 'Cut churn',
  progress: 0.1,
  weight: 1,
  status: 'off_track',
});

describe('"Why N %?" on the goal card', () => {
  it('lists an initiative the org setting leaves out, and why', async () => {
    const launch = keyResult({
      id: 'kr-i',
      title: 'Launch the partner program',
      kind: 'initiative',
      current: 0.2,
      progress: 0.2,
      status: 'on_track',
    });
    const why = await whyOf(computed({ keyResults: [revenue, launch], initiativesCount: false }));
    expect(why.summary).to.equal('Why 100%?');
    expect(why.counted).to.deep.equal([
      'Key result: Raise revenue — 100%, weight 4: 100% of the total',
    ]);
    expect(why.heading).to.deep.equal(['Not counted']);
    expect(why.excluded).to.deep.equal([
      'Key result: Launch the partner program — initiatives do not count toward progress in this organization',
    ]);
  });

  it('counts the same initiative, and lists nothing as left out, where the org counts initiatives', async () => {
    const launch = keyResult({
      id: 'kr-i',
      title: 'Launch',
      kind: 'initiative',
      current: 0.5,
      progress: 0.5,
    });
    const why = await whyOf(computed({ keyResults: [revenue, launch], initiativesCount: true }));
    expect(why.counted).to.have.length(2);
    expect(why.excluded).to.deep.equal([]);
    expect(why.heading).to.deep.equal([]);
  });

  it('lists a key result of weight 0 as left out', async () => {
    const watch = keyResult({
      id: 'kr-w',
      title: 'Watch NPS',
      weight: 0,
      progress: 0.3,
      status: 'on_track',
    });
    const why = await whyOf(computed({ keyResults: [revenue, watch] }));
    expect(why.excluded).to.deep.equal(['Key result: Watch NPS — weight 0']);
  });

  it('says which key result makes a goal at 82 % off track', async () => {
    const data = computed({ keyResults: [revenue, churn] });
    expect([data.status, Math.round(data.progress * 100)]).to.deep.equal(['off_track', 82]);
    const why = await whyOf(data);
    expect(why.summary).to.equal('Why 82%?');
    expect(why.status).to.deep.equal([
      '“Off track” because of “Cut churn”: an objective has the status of its weakest key result.',
    ]);
  });

  it('names every key result that shares the weakest status, in German too', async () => {
    const slow = keyResult({ id: 'kr-s', title: 'Hire', progress: 0.2, status: 'off_track' });
    const why = await whyOf(computed({ keyResults: [revenue, churn, slow] }), 'de');
    expect(why.status).to.deep.equal([
      '„Gefährdet“ wegen „Cut churn“ und „Hire“: Ein Ziel hat den Status seines schwächsten Schlüsselergebnisses.',
    ]);
  });

  it('says why a goal has not started', async () => {
    const fresh = keyResult({ id: 'kr-n', title: 'New', progress: 0, status: 'not_started' });
    const why = await whyOf(computed({ keyResults: [fresh] }));
    expect(why.status).to.deep.equal(['“Not started”: no key result has a check-in yet.']);
  });

  it('gives no status reason that would contradict the status the BFF sent', async () => {
    const why = await whyOf(goal({ keyResults: [revenue, churn], status: 'on_track' }));
    expect(why.status).to.deep.equal([]);
  });
});
