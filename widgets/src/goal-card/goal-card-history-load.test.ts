import { expect, fixture, html } from '@open-wc/testing';
import { goal } from '../fixtures/goals.js';
import './goal-card.js';
import type { OkrGoalCard } from './goal-card.js';

/*
 * Without okr-progress-history.js on the page the card fetches that file itself, from beside the
 * script that defined the card. The test server has no built files, so the fetch fails: the card
 * must say so rather than show an element that never upgrades, and try again when reopened.
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

  it('asks for okr-progress-history.js on opening, and says when it cannot be loaded', async () => {
    const errors: unknown[] = [];
    const original = console.error;
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
      expect(String(errors[0])).to.contain('/widgets/src/provider/okr-progress-history.js');
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
    }
  });
});
