import { provide } from '@lit/context';
import { LitElement, html, css, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.js';
import type { WordingOverrides } from '../i18n/messages.js';
import { settingsFromConfig } from './configure.js';
import { okrSettingsContext, type OkrSettings, type OkrTheme } from './settings.js';

/**
 * Gives every widget inside it the BFF's address, the token provider, locale, theme and wording,
 * for pages that embed more than one configuration (otherwise call `configure()`).
 *
 * @summary Configuration for the widgets inside it; no UI of its own.
 * @slot - The widgets (and any other content) it configures.
 */
@customElement('okr-provider')
export class OkrProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** Origin (plus optional prefix) of the BFF. */
  @property({ attribute: 'base-url' }) baseUrl?: string;

  /** Returns a JWT for the page's user. */
  @property({ attribute: false }) tokenProvider?: () => Promise<string>;

  @property() locale?: string;

  @property() theme?: OkrTheme;

  @property({ attribute: false }) wording?: WordingOverrides;

  /** Replaces `fetch` for this provider's client. */
  @property({ attribute: false }) fetch?: typeof fetch;

  @provide({ context: okrSettingsContext })
  settings: OkrSettings = { client: null };

  protected override willUpdate(changed: PropertyValues<this>): void {
    const clientChanged =
      changed.has('baseUrl') || changed.has('tokenProvider') || changed.has('fetch');
    const next = settingsFromConfig({
      baseUrl: this.baseUrl,
      tokenProvider: this.tokenProvider,
      fetch: this.fetch,
      locale: this.locale,
      theme: this.theme,
      wording: this.wording,
    });
    this.settings = clientChanged ? next : { ...next, client: this.settings.client };
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-provider': OkrProvider;
  }
}
