import { html } from 'lit';
import type { KeyResult } from '@okr-embed/contract';
import { formatKeyResultValue } from '../i18n/format.js';
import { progressOf } from '../progress-bar/progress-of.js';
import type { Presentation } from '../provider/okr-element.js';

/**
 * A key result's title, its value formatted for its kind and unit, and its bar: the same line
 * on the goal card and at the top of the check-in form, so both read a number the same way.
 */
export function keyResultLine(kr: KeyResult, look: Presentation) {
  return html`<span class="kr-title">${kr.title}</span>
    <span class="kr-value">${formatKeyResultValue(kr, look.locale, look.words)}</span>
    ${progressOf(kr, look, { small: true })}`;
}
