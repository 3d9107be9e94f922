import { html, nothing } from 'lit';
import type { ProgressStatus } from '@okr-embed/contract';
import { fill } from '../i18n/messages.js';
import type { Presentation } from '../provider/okr-element.js';
import './progress-bar.js';

/**
 * The progress bar of a goal, an alignment node or a key result inside another widget, named
 * after what it measures ("Progress of …") so that the bars in a list can be told apart.
 */
export function progressOf(
  item: { title: string; progress: number; status: ProgressStatus },
  look: Presentation,
  options: { part?: string; small?: boolean; showValue?: boolean } = {},
) {
  return html`<okr-progress-bar
    part=${options.part ?? nothing}
    size=${options.small ? 'small' : nothing}
    ?show-value=${options.showValue}
    .value=${item.progress}
    .status=${item.status}
    .label=${fill(look.words.progressOf, { title: item.title })}
    .locale=${look.locale}
    .theme=${look.theme}
  ></okr-progress-bar>`;
}
