import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from '../provider/define.js';
import type { ProgressStatus } from '@okr-embed/contract';
import { OkrElement, type Presentation } from '../provider/okr-element.js';
import { statusStyles, themeStyles } from '../theme/theme.styles.js';
import { statusBadgeStyles } from './status-badge.styles.js';

/**
 * The status of a goal or key result as a pill.
 *
 * @summary Status pill: not started, on track, needs attention, off track, accomplished.
 * @csspart base - The pill.
 * @cssprop --okr-status-badge-background - Pill color; defaults to the status color.
 * @cssprop --okr-status-badge-color - Text color on the pill.
 * @cssprop --okr-status-badge-font-size - Text size.
 * @cssprop --okr-color-on-track - Color for `on_track` (likewise `-needs-attention`, `-off-track`, `-accomplished`, `-not-started`).
 */
@customElement('okr-status-badge')
export class OkrStatusBadge extends OkrElement {
  static override styles = [themeStyles, statusStyles, statusBadgeStyles];

  @property({ reflect: true }) status: ProgressStatus = 'not_started';

  protected override render() {
    return html`<span part="base" class="badge" data-status=${this.status}
      >${this.words.status[this.status] ?? this.status}</span
    >`;
  }
}

/**
 * The pill inside another widget, in that widget's locale and theme. It is given only the
 * widget's own word overrides: the provider's and `configure()`'s it finds by itself.
 */
export function statusBadge(status: ProgressStatus, look: Presentation) {
  return html`<okr-status-badge
    .status=${status}
    .locale=${look.locale}
    .theme=${look.theme}
    .wording=${look.wording}
  ></okr-status-badge>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-status-badge': OkrStatusBadge;
  }
}
