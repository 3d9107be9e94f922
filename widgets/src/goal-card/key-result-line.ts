import { html } from 'lit';
import type { KeyResult } from '@okr-embed/contract';
import { formatKeyResultValue } from '../i18n/format.js';
import { fill, type Wording } from '../i18n/messages.js';
import '../progress-bar/progress-bar.js';
import type { OkrTheme } from '../provider/settings.js';

/**
 * A key result's title, its value formatted for its kind and unit, and its bar: the same line
 * on the goal card and at the top of the check-in form, so both read a number the same way.
 */
export function keyResultLine(kr: KeyResult, locale: string, theme: OkrTheme, words: Wording) {
  return html`<span class="kr-title">${kr.title}</span>
    <span class="kr-value">${formatKeyResultValue(kr, locale, words)}</span>
    <okr-progress-bar
      size="small"
      .value=${kr.progress}
      .status=${kr.status}
      .label=${fill(words.progressOf, { title: kr.title })}
      .locale=${locale}
      .theme=${theme}
    ></okr-progress-bar>`;
}
