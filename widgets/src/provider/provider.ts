import { consume, provide } from '@lit/context';
import { LitElement, html, css, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.js';
import type { OkrClient } from '../client/client.js';
import { mergeWording, type WordingOverrides } from '../i18n/messages.js';
import { settingsFromConfig } from './configure.js';
import {
  getGlobalSettings,
  okrSettingsContext,
  onGlobalSettingsChange,
  type OkrSettings,
  type OkrTheme,
} from './settings.js';

/**
 * Gives every widget inside it the BFF's address, the token provider, locale, theme and wording,
 * for pages that embed more than one configuration (otherwise call `configure()`). What it does
 * not set itself it takes from the enclosing `<okr-provider>`, or else from `configure()`, so a
 * provider that only says `locale="de"` still reaches the page's BFF.
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
  /** `off` keeps the widgets inside off the BFF's event stream; `on` (the default) follows it. */
  @property() live?: 'on' | 'off';

  /** @internal What the widgets inside read; hosts set the properties above instead. */
  @provide({ context: okrSettingsContext })
  settings: OkrSettings = { client: null };

  /** The enclosing provider's settings (a provider's own requests skip its own context). */
  @consume({ context: okrSettingsContext, subscribe: true })
  @state()
  private outer?: OkrSettings;

  /** Built from this provider's own base URL and token provider; kept while they stay. */
  private ownClient: OkrClient | null = null;
  private stopListening?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopListening = onGlobalSettingsChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('baseUrl') || changed.has('tokenProvider') || changed.has('fetch')) {
      this.ownClient = settingsFromConfig({
        baseUrl: this.baseUrl,
        tokenProvider: this.tokenProvider,
        fetch: this.fetch,
      }).client;
    }
    const outer = this.outer ?? getGlobalSettings();
    this.settings = {
      client: this.ownClient ?? outer.client,
      locale: this.locale ?? outer.locale,
      theme: this.theme ?? outer.theme,
      wording: outer.wording ? mergeWording(outer.wording, this.wording) : this.wording,
      live: this.live ? this.live !== 'off' : outer.live,
    };
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
