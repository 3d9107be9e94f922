import { ContextEvent } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../provider/define.js';
import type { ProgressStatus } from '@okr-embed/contract';
import {
  getGlobalSettings,
  okrSettingsContext,
  type OkrSettings,
  type OkrTheme,
} from '../provider/settings.js';
import { progressBarStyles } from './progress-bar.styles.js';

/** The default accessible name; kept here rather than in the wording tables to stay small. */
const defaultLabels: Record<string, string> = { de: 'Fortschritt', en: 'Progress' };

/**
 * A progress bar for a goal or key result, colored by status. It is the one element kept off
 * the shared base class so that it stays within its size budget on its own.
 *
 * @summary Accessible progress bar; `value` 0..1, colored by `status`.
 * @csspart base - The wrapper holding the track and the value text.
 * @csspart track - The unfilled track (carries `role="progressbar"`).
 * @csspart indicator - The filled part.
 * @csspart value - The percent text (with `show-value`).
 * @cssprop --okr-progress-bar-height - Bar thickness.
 * @cssprop --okr-progress-bar-track - Track color.
 * @cssprop --okr-progress-bar-fill - Fill color; defaults to the status color.
 * @cssprop --okr-color-on-track - Fill for `on_track` (likewise `-needs-attention`, `-off-track`, `-accomplished`, `-not-started`).
 */
@customElement('okr-progress-bar')
export class OkrProgressBar extends LitElement {
  static override styles = progressBarStyles;

  /** Progress from 0 to 1; values outside are clamped. */
  @property({ type: Number }) value = 0;

  @property({ reflect: true }) status?: ProgressStatus;

  /** The accessible name, e.g. "Progress of Grow revenue"; defaults to "Progress". */
  @property() label?: string;

  /** The value is not known yet: an animated bar without `aria-valuenow`. */
  @property({ type: Boolean, reflect: true }) indeterminate = false;

  @property({ reflect: true }) size: 'small' | 'medium' | 'large' = 'medium';

  /** Shows the percent next to the bar. */
  @property({ type: Boolean, reflect: true, attribute: 'show-value' }) showValue = false;

  @property({ reflect: true }) theme?: OkrTheme;

  /** BCP 47 locale of the percent; defaults to the provider's or `configure()`'s, then the page's `lang`. */
  @property() locale?: string;

  @query('.indicator') private indicator!: HTMLElement;

  /**
   * The nearest `<okr-provider>`'s settings. Asked for with a bare context request rather than
   * the shared base class, whose client and wording would not fit the size budget.
   */
  @state() private provided?: OkrSettings;
  private stopConsuming?: () => void;
  /** A field, not an inline arrow: a context root replaying for a late provider holds it weakly. */
  private readonly receive = (settings: OkrSettings, unsubscribe?: () => void): void => {
    if (this.stopConsuming !== unsubscribe) this.stopConsuming?.();
    this.stopConsuming = unsubscribe;
    this.provided = settings;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.dispatchEvent(new ContextEvent(okrSettingsContext, this, this.receive, true));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopConsuming?.();
    this.stopConsuming = undefined;
  }

  private get settings(): OkrSettings {
    return this.provided ?? getGlobalSettings();
  }

  protected override willUpdate(): void {
    this.dataset['okrTheme'] = this.theme ?? this.settings.theme ?? 'light';
  }

  private get share(): number {
    return Number.isFinite(this.value) ? Math.min(1, Math.max(0, this.value)) : 0;
  }

  protected override render() {
    const locale =
      this.locale ?? this.settings.locale ?? this.closest('[lang]')?.getAttribute('lang') ?? 'en';
    const percent = new Intl.NumberFormat(locale, { style: 'percent' }).format(this.share);
    const label = this.label ?? defaultLabels[locale.slice(0, 2)] ?? defaultLabels['en'];
    return html`<div part="base" class="base">
      <div
        part="track"
        class="track"
        role="progressbar"
        aria-label=${label!}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${this.indeterminate ? nothing : Math.round(this.share * 100)}
        aria-valuetext=${this.indeterminate ? nothing : percent}
      >
        <div part="indicator" class="indicator"></div>
      </div>
      ${
        this.showValue && !this.indeterminate
          ? html`<span part="value" class="value" aria-hidden="true">${percent}</span>`
          : nothing
      }
    </div>`;
  }

  /** The width goes through the CSSOM, which a Content-Security-Policy allows (a style attribute it would not). */
  protected override updated(): void {
    this.indicator.style.setProperty(
      'inline-size',
      this.indeterminate ? '' : `${this.share * 100}%`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-progress-bar': OkrProgressBar;
  }
}
