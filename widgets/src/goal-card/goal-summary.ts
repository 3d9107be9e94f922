import { html, nothing } from 'lit';
import {
  excludedFromProgress,
  explainGoalProgress,
  explainGoalStatus,
  type ExclusionReason,
  type Goal,
} from '@okr-embed/contract';
import { emit } from '../events/events.js';
import { formatPercent } from '../i18n/format.js';
import { fill, type Wording } from '../i18n/messages.js';
import type { Presentation } from '../provider/okr-element.js';

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

const exclusionWords: Record<ExclusionReason, keyof Wording> = {
  initiatives_not_counted: 'whyExcludedInitiative',
  zero_weight: 'whyExcludedWeight',
};

/**
 * "Why N %?": what made the number, what it leaves out and why, and which key result gives the
 * goal its status. Everything comes from the contract's progress module, the rules the BFF
 * computes the stored number and status with, so the panel cannot tell another story.
 */
export function whyBreakdown(goal: Goal, look: Presentation) {
  const { words, locale } = look;
  const input = {
    source: goal.progressSource,
    keyResults: goal.keyResults,
    children: goal.children,
    initiativesCount: goal.initiativesCount,
  };
  const explanation = explainGoalProgress(input);
  const excluded = excludedFromProgress(input);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const kindOf = (type: 'key_result' | 'goal') =>
    type === 'goal' ? words.whyGoal : words.whyKeyResult;
  return html`<details part="why" class="why">
    <summary>${fill(words.whyTitle, { percent: formatPercent(goal.progress, locale) })}</summary>
    ${statusReason(goal, input, look)}
    ${
      explanation.contributions.length === 0
        ? html`<p class="empty">${words.whyNothing}</p>`
        : html`<ul class="why-list">
            ${explanation.contributions.map(
              (c) =>
                html`<li>
                  <span class="kind">${kindOf(c.type)}:</span>
                  <span class="kr-title">${c.title}</span> —
                  ${fill(words.contribution, {
                    progress: formatPercent(c.progress, locale),
                    weight: number.format(c.weight),
                    share: formatPercent(c.share, locale),
                  })}
                </li>`,
            )}
          </ul>`
    }
    ${
      excluded.length === 0
        ? nothing
        : html`<p class="why-excluded-heading">${words.whyExcluded}</p>
            <ul class="why-list why-excluded">
              ${excluded.map(
                (e) =>
                  html`<li data-reason=${e.reason}>
                    <span class="kind">${kindOf(e.type)}:</span>
                    <span class="kr-title">${e.title}</span> — ${words[exclusionWords[e.reason]]}
                  </li>`,
              )}
            </ul>`
    }
  </details>`;
}

/**
 * The badge says "Off track" on a goal at 82 %: this line names the key result that makes it
 * so. Shown only when the rule agrees with the status the BFF sent, never contradicting it.
 */
function statusReason(
  goal: Goal,
  input: Parameters<typeof explainGoalStatus>[0],
  { words, locale }: Presentation,
) {
  const explained = explainGoalStatus(input);
  if (explained.status !== goal.status) return nothing;
  const status = words.status[goal.status];
  if (explained.decidedBy.length === 0) {
    return html`<p class="why-status">${fill(words.whyStatusNotStarted, { status })}</p>`;
  }
  const titles = new Intl.ListFormat(locale, { type: 'conjunction' }).format(
    explained.decidedBy.map((c) => fill(words.whyQuoted, { title: c.title })),
  );
  return html`<p class="why-status">${fill(words.whyStatus, { status, titles })}</p>`;
}
