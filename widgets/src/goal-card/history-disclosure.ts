import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { loadElement } from '../provider/lazy-elements.js';
import type { Presentation } from '../provider/okr-element.js';
import { secondaryButton } from '../theme/states.styles.js';

type Loading = 'idle' | 'loading' | 'ready' | 'failed';

/**
 * The goal card's "History": a disclosure that shows the goal's `<okr-progress-history>`.
 * That element ships as a file of its own; it is fetched on the first opening, and only then
 * rendered, since the page-wide watcher does not see inside the card's shadow root. Escape
 * inside the panel closes it and gives focus back to the button.
 */
export class HistoryDisclosure implements ReactiveController {
  private open = false;
  private loading: Loading = 'idle';

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {}

  private readonly toggle = (): void => {
    this.open = !this.open;
    if (this.open && (this.loading === 'idle' || this.loading === 'failed')) {
      this.loading = 'loading';
      loadElement('okr-progress-history').then(
        () => this.settle('ready'),
        (error: unknown) => {
          console.error(error);
          this.settle('failed');
        },
      );
    }
    this.host.requestUpdate();
  };

  private settle(loading: Loading): void {
    this.loading = loading;
    this.host.requestUpdate();
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.open = false;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() =>
      this.host.shadowRoot?.querySelector<HTMLButtonElement>('.history-toggle')?.focus(),
    );
  };

  render(goalId: string, look: Presentation) {
    const { words } = look;
    const panel =
      this.loading === 'ready'
        ? html`<okr-progress-history
            goal-id=${goalId}
            theme=${look.theme}
            locale=${look.locale}
            .wording=${look.wording}
          ></okr-progress-history>`
        : this.loading === 'failed'
          ? html`<p class="error" role="alert">${words.historyUnavailable}</p>`
          : html`<p class="empty" role="status">${words.loading}</p>`;
    return html`<button
        part="history-button"
        class="history-toggle"
        type="button"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="goal-history"
        @click=${this.toggle}
      >
        ${words.history}
      </button>
      <div id="goal-history" part="history" ?hidden=${!this.open} @keydown=${this.onKeydown}>
        ${this.open ? panel : nothing}
      </div>`;
  }
}

export const historyDisclosureStyles = css`
  .history-toggle {
    ${secondaryButton}
  }
  .history-toggle[aria-expanded='true'] {
    border-color: var(--_okr-accent);
  }
  [part='history'][hidden] {
    display: none;
  }
`;
