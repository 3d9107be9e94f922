import { html } from 'lit';
import { emit } from '../events/events.js';

/**
 * A goal's title as a button, alike on the card and in a goal list's row (styled by
 * goal-summary.styles.ts): activating it tells the page which goal was chosen.
 */
export function goalTitle(host: HTMLElement, goal: { id: string; title: string }) {
  return html`<button
    part="title"
    class="title"
    type="button"
    @click=${() => emit(host, 'okr-goal-select', { goalId: goal.id })}
  >
    ${goal.title}
  </button>`;
}
