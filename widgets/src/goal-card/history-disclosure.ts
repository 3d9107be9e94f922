import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { loadElement } from '../provider/lazy-elements.js';
import type { Presentation } from '../provider/okr-element.js';

/**
 * The goal card's "History": a native disclosure, whose keyboard use and expanded state come
 * with it (okr-embed.js has no room for more), showing the goal's `<okr-progress-history>`.
 * That element ships as a file of its own, asked for on the first opening: the page-wide
 * watcher does not see inside the card's shadow root. Until the file arrives the element is
 * an empty tag; once defined it upgrades in place.
 */
export class HistoryDisclosure implements ReactiveController {
  private opened = false;
  private failed = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  private readonly onToggle = (event: Event): void => {
    if (!(event.currentTarget as HTMLDetailsElement).open) return;
    this.opened = true;
    this.failed = false;
    this.host.requestUpdate();
    // Asked for again on each opening after a failure: the CDN may have hiccuped.
    loadElement('okr-progress-history').catch((error: unknown) => {
      console.error(error);
      this.failed = true;
      this.host.requestUpdate();
    });
  };

  render(goalId: string, look: Presentation) {
    const { words } = look;
    return html`<details part="history" @toggle=${this.onToggle}>
      <summary part="history-button">${words.history}</summary>
      ${
        this.failed
          ? html`<p class="error" role="alert">${words.error}</p>`
          : this.opened
            ? html`<okr-progress-history
                goal-id=${goalId}
                theme=${look.theme}
                locale=${look.locale}
                .wording=${look.wording}
              ></okr-progress-history>`
            : nothing
      }
    </details>`;
  }
}
