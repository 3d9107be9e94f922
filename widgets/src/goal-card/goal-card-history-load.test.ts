import { expect, fixture, html } from '@open-wc/testing';
import { goal } from '../fixtures/goals.js';
import { lazyElements } from '../provider/lazy-elements.js';
import './goal-card.js';
import type { OkrGoalCard } from './goal-card.js';

/*
 * The card loads the history element on first opening. When its chunk cannot be fetched (the
 * loader below fails as an unreachable CDN would), the card must say so rather than show an
 * element that never upgrades, and try again when reopened.
 */
describe('<okr-goal-card> History without the history file', () => {
  async function settledPanel(card: OkrGoalCard): Promise<HTMLElement> {
    const panel = card.shadowRoot!.querySelector<HTMLElement>('[part="history"]')!;
    for (let i = 0; i < 100 && !panel.querySelector('[role="alert"]'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await card.updateComplete;
    }
    return panel;
  }

  it('loads the history on opening, and says when it cannot be loaded', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    const load = lazyElements['okr-progress-history']!;
    lazyElements['okr-progress-history'] = () =>
      Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    console.error = (...args: unknown[]) => errors.push(args[0]);
    try {
      const card = await fixture<OkrGoalCard>(
        html`<okr-goal-card .goal=${goal()}></okr-goal-card>`,
      );
      const button = card.shadowRoot!.querySelector<HTMLElement>('[part="history-button"]')!;
      button.click();
      const panel = await settledPanel(card);
      expect(panel.querySelector('[role="alert"]')!.textContent).to.equal(
        'This could not be loaded.',
      );
      expect(customElements.get('okr-progress-history')).to.equal(undefined);
      expect(panel.querySelector('okr-progress-history')).to.equal(null);
      expect(String(errors[0])).to.contain('could not load <okr-progress-history>');
      await expect(card).to.be.accessible();
      // Closing and opening again tries the file again.
      button.click();
      button.click();
      for (let i = 0; i < 100 && errors.length < 2; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(errors).to.have.length(2);
      await card.updateComplete;
      expect(panel.querySelector('[role="alert"]')!.textContent).to.equal(
        'This could not be loaded.',
      );
    } finally {
      console.error = original;
      lazyElements['okr-progress-history'] = load;
    }
  });
});
