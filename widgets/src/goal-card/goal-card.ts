import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from '../provider/define.js';
import type { Goal, KeyResult } from '@okr-embed/contract';
import { LiveController } from '../client/live-controller.js';
import { ResourceController } from '../client/resource-controller.js';
import { formatDate, formatRelativeTime } from '../i18n/format.js';
import { fill } from '../i18n/messages.js';
import { progressOf } from '../progress-bar/progress-of.js';
import { OkrElement } from '../provider/okr-element.js';
import { statusBadge } from '../status-badge/status-badge.js';
import { pendingState } from '../theme/states.js';
import { stateStyles } from '../theme/states.styles.js';
import { statusStyles, themeStyles } from '../theme/theme.styles.js';
import { goalCardStyles } from './goal-card.styles.js';
import { goalTitle, whyBreakdown } from './goal-summary.js';
import { goalSummaryStyles } from './goal-summary.styles.js';
import { HistoryDisclosure } from './history-disclosure.js';
import { keyResultLine } from './key-result-line.js';
import { keyResultLineStyles } from './key-result-line.styles.js';

/**
 * One objective: title, owner, timeframe, status, progress and why it is that number, its key
 * results with their values, and when it was last updated.
 *
 * @summary A goal (objective) with its key results; by `goal-id` or `.goal`.
 * @fires okr-goal-select - The title was activated; `detail.goalId`.
 * @fires okr-error - Loading failed; `detail.error`.
 * @csspart card - The card surface.
 * @csspart title - The title button.
 * @csspart meta - Owner, team and timeframe line.
 * @csspart description - The description (full variant).
 * @csspart progress - The goal's progress bar.
 * @csspart why - The "why this number" disclosure.
 * @csspart key-results - The key-result list.
 * @csspart key-result - One key result.
 * @csspart updated - The last-update line.
 * @csspart history - The "History" disclosure with the goal's `<okr-progress-history>` (full variant).
 * @csspart history-button - The summary that opens and closes it.
 * @csspart skeleton - The loading placeholder.
 * @csspart error - The error message with its retry button.
 * @csspart retry - The retry button.
 * @cssprop --okr-goal-card-padding - Inner spacing.
 * @cssprop --okr-goal-card-title-size - Title font size.
 * @cssprop --okr-color-surface - Card background (global token).
 * @cssprop --okr-color-border - Card border (global token).
 * @cssprop --okr-radius - Corner radius (global token).
 */
@customElement('okr-goal-card')
export class OkrGoalCard extends OkrElement {
  static override styles = [
    themeStyles,
    statusStyles,
    stateStyles,
    goalSummaryStyles,
    keyResultLineStyles,
    goalCardStyles,
  ];

  /** Loads this goal through the configured client (ignored when `.goal` is set). */
  @property({ attribute: 'goal-id', reflect: true }) goalId?: string;

  /** The goal data; set it to render without fetching. */
  @property({ attribute: false }) goal?: Goal;

  /** `compact` shows title, status, progress and owner; `full` adds everything else. */
  @property({ reflect: true }) variant: 'compact' | 'full' = 'full';

  /** Level of the title in the page's outline (a `role="heading"` with this `aria-level`). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 3;

  private readonly resource = new ResourceController<Goal>(this);
  private readonly history = new HistoryDisclosure(this);

  /** Changes (live, or a check-in on this page) patch the loaded goal without a request. */
  private readonly live = new LiveController(
    this,
    (change, { patchGoal }) => {
      // Loaded only while no `.goal` is given (see willUpdate).
      const state = this.resource.state;
      if (state.status !== 'loaded') return;
      const next = patchGoal(state.value, change);
      if (next !== state.value) this.resource.set(next);
    },
    () => this.resource.refresh(),
  );

  /** The goal shown: passed in, or loaded. */
  get currentGoal(): Goal | undefined {
    if (this.goal) return this.goal;
    return this.resource.state.status === 'loaded' ? this.resource.state.value : undefined;
  }

  /** Loads the goal again (after a check-in elsewhere on the page, say). */
  reload(): void {
    this.resource.retry();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const client = this.settings.client;
    const id = this.goal ? undefined : this.goalId;
    this.resource.sync(
      [id, client],
      id && client ? (signal) => client.goal(id, { signal }) : undefined,
    );
    this.live.sync(this.settings, !!id);
  }

  protected override render() {
    const words = this.words;
    const goal = this.currentGoal;
    return html`<article part="card" class="card" aria-label=${goal ? goal.title : words.objective}>
      ${goal ? this.renderGoal(goal) : pendingState(words, this.resource, ['title-line', 'line', 'bar'])}
    </article>`;
  }

  private renderGoal(goal: Goal) {
    const look = this.presentation;
    const { words, locale } = look;
    const full = this.variant === 'full';
    return html`
      <div class="header">
        <div class="heading" role="heading" aria-level=${this.headingLevel}>
          ${goalTitle(this, goal)}
        </div>
        ${statusBadge(goal.status, look)}
      </div>
      <p part="meta" class="meta">
        ${goal.owner ? html`<span>${words.owner}: ${goal.owner.name}</span>` : nothing}
        ${goal.team ? html`<span>${goal.team.name}</span>` : nothing}
        <span
          title=${`${formatDate(goal.timeframe.startDate, locale)} – ${formatDate(goal.timeframe.endDate, locale)}`}
          >${goal.timeframe.name}</span
        >
      </p>
      ${full && goal.description ? html`<p part="description" class="description">${goal.description}</p>` : nothing}
      ${progressOf(goal, look, { part: 'progress', showValue: true })}
      ${full ? whyBreakdown(goal, look) : nothing} ${full ? this.renderKeyResults(goal) : nothing}
      ${full ? this.renderUpdated(goal) : nothing}
      ${full ? this.history.render(goal.id, look) : nothing}
    `;
  }

  private renderKeyResults(goal: Goal) {
    const words = this.words;
    if (goal.keyResults.length === 0) return html`<p class="empty">${words.emptyKeyResults}</p>`;
    return html`<div class="subheading" role="heading" aria-level=${this.headingLevel + 1}>
        ${words.keyResults}
      </div>
      <ul part="key-results" class="key-results">
        ${goal.keyResults.map((kr) => this.renderKeyResult(kr))}
      </ul>`;
  }

  private renderKeyResult(kr: KeyResult) {
    return html`<li part="key-result" class="key-result" data-kind=${kr.kind}>
      ${keyResultLine(kr, this.presentation)}
    </li>`;
  }

  private renderUpdated(goal: Goal) {
    const words = this.words;
    const checkIn = goal.lastCheckIn;
    if (!checkIn) return html`<p part="updated" class="meta">${words.noUpdates}</p>`;
    const time = formatRelativeTime(checkIn.createdAt, this.resolvedLocale);
    return html`<p part="updated" class="meta">
      <span>${fill(words.updated, { time })} · ${checkIn.author.name}</span>
      ${checkIn.comment ? html`<span class="comment">${checkIn.comment}</span>` : nothing}
    </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-goal-card': OkrGoalCard;
  }
}
