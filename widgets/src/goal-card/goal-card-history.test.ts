import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { fakeFetch, json, testToken } from '../fixtures/fake-fetch.js';
import { goal } from '../fixtures/goals.js';
import { goalHistory } from '../progress-history/history-fixtures.js';
// Defined up front, as okr-progress-history.js would define it; goal-card-history-load.test.ts
// covers the card fetching that file itself.
import '../progress-history/progress-history.js';
import '../provider/provider.js';
import './goal-card.js';
import type { OkrGoalCard } from './goal-card.js';

async function cardWithHistory(theme: 'light' | 'dark' = 'light') {
  const bff = fakeFetch({ '/goals/g-1/history': () => json(goalHistory()) });
  const provider = await fixture(
    html`<okr-provider
      base-url="https://bff.test"
      .tokenProvider=${async () => testToken()}
      .fetch=${bff.fetch}
    >
      <okr-goal-card theme=${theme} .goal=${goal()}></okr-goal-card>
    </okr-provider>`,
  );
  const card = provider.querySelector<OkrGoalCard>('okr-goal-card')!;
  await card.updateComplete;
  return { card, bff };
}

function summary(card: OkrGoalCard): HTMLElement {
  return card.shadowRoot!.querySelector<HTMLElement>('[part="history-button"]')!;
}

function disclosure(card: OkrGoalCard): HTMLDetailsElement {
  return card.shadowRoot!.querySelector<HTMLDetailsElement>('[part="history"]')!;
}

/** Waits until the card shows the history element and that element has drawn its points. */
async function historyShown(card: OkrGoalCard) {
  for (let i = 0; i < 50; i += 1) {
    await card.updateComplete;
    const history = card.shadowRoot!.querySelector('okr-progress-history');
    if (history?.shadowRoot?.querySelector('[part="point"]')) return history;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the history did not show');
}

describe('<okr-goal-card> History', () => {
  it('is a closed disclosure until asked, and loads nothing meanwhile', async () => {
    const { card, bff } = await cardWithHistory();
    await expect(card).to.be.accessible();
    expect(summary(card).textContent!.trim()).to.equal('History');
    expect(summary(card).localName).to.equal('summary');
    expect(disclosure(card).open).to.equal(false);
    expect(card.shadowRoot!.querySelector('okr-progress-history')).to.equal(null);
    expect(bff.requests).to.have.length(0);
  });

  it('opens the goal history, which loads by the goal id, and closes again', async () => {
    const { card, bff } = await cardWithHistory();
    summary(card).click();
    const history = await historyShown(card);
    expect(disclosure(card).open).to.equal(true);
    expect(history.checkVisibility()).to.equal(true);
    expect(history.getAttribute('goal-id')).to.equal('g-1');
    expect(bff.requests.map((r) => r.url)).to.deep.equal([
      'https://bff.test/api/v1/goals/g-1/history',
    ]);
    expect(history.shadowRoot!.querySelectorAll('[part="point"]')).to.have.length(3);
    await expect(card).to.be.accessible();
    summary(card).click();
    await card.updateComplete;
    expect(disclosure(card).open).to.equal(false);
    expect(history.checkVisibility()).to.equal(false);
    // Opened again, it shows the history it has without loading anything.
    summary(card).click();
    await historyShown(card);
    expect(bff.requests).to.have.length(1);
  });

  it('opens and closes from the keyboard, focus staying on its summary', async () => {
    const { card } = await cardWithHistory();
    summary(card).focus();
    await sendKeys({ press: 'Enter' });
    const history = await historyShown(card);
    expect(disclosure(card).open).to.equal(true);
    expect(card.shadowRoot!.activeElement).to.equal(summary(card));
    // Into the chart: its points are the next tab stop.
    await sendKeys({ press: 'Tab' });
    await history.updateComplete;
    expect(history.shadowRoot!.activeElement?.getAttribute('part')).to.equal('point');
    summary(card).focus();
    await sendKeys({ press: ' ' });
    await card.updateComplete;
    expect(disclosure(card).open).to.equal(false);
    expect(card.shadowRoot!.activeElement).to.equal(summary(card));
  });

  it('passes its theme on and is accessible in the dark theme, open', async () => {
    const { card } = await cardWithHistory('dark');
    summary(card).click();
    const history = await historyShown(card);
    expect(history.dataset['okrTheme']).to.equal('dark');
    await expect(card).to.be.accessible();
  });

  it('has no History in the compact variant', async () => {
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card variant="compact" .goal=${goal()}></okr-goal-card>`,
    );
    expect(el.shadowRoot!.querySelector('[part="history"]')).to.equal(null);
  });
});
