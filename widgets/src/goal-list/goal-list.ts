import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from '../provider/define.js';
import type { GoalLevel, GoalSummary, Page, ProgressStatus } from '@okr-embed/contract';
import type { GoalQuery } from '../client/client.js';
import { isAbortError, toApiError } from '../client/errors.js';
import { LiveController } from '../client/live-controller.js';
import { ResourceController } from '../client/resource-controller.js';
import { emit } from '../events/events.js';
import { goalTitle } from '../goal-card/goal-summary.js';
import { goalSummaryStyles } from '../goal-card/goal-summary.styles.js';
import { progressOf } from '../progress-bar/progress-of.js';
import { OkrElement } from '../provider/okr-element.js';
import { statusBadge } from '../status-badge/status-badge.js';
import { emptyState, pendingState } from '../theme/states.js';
import { stateStyles } from '../theme/states.styles.js';
import { themeStyles } from '../theme/theme.styles.js';
import { goalListStyles } from './goal-list.styles.js';

/**
 * A list of objectives: "my OKRs" (`owner="me"`), a team's, or a timeframe's, with status and
 * progress per row and paging by cursor.
 *
 * @summary Goals of an owner, team, timeframe or status; by query or `.goals`.
 * @fires okr-goal-select - A goal's title was activated; `detail.goalId`.
 * @fires okr-error - Loading failed; `detail.error`.
 * @csspart list - The list element.
 * @csspart item - One goal row.
 * @csspart title - A goal's title button.
 * @csspart meta - Owner, team and timeframe of a row.
 * @csspart progress - A row's progress bar.
 * @csspart more - The "load more" button.
 * @csspart empty - The empty-state message.
 * @csspart skeleton - The loading placeholder.
 * @csspart error - The error message with its retry button.
 * @csspart retry - The retry button.
 * @cssprop --okr-goal-list-padding - Space around the list.
 * @cssprop --okr-color-border - Row separators (global token).
 */
@customElement('okr-goal-list')
export class OkrGoalList extends OkrElement {
  static override styles = [themeStyles, stateStyles, goalSummaryStyles, goalListStyles];

  /** A user id, or `me` for the token's user. */
  @property() owner?: string;
  /** A team key. */
  @property() team?: string;
  /** A timeframe id. */
  @property() timeframe?: string;
  @property() level?: GoalLevel;
  @property() status?: ProgressStatus;
  /** Goals aligned to this parent goal id. */
  @property() parent?: string;
  /** Search text, matched against titles. */
  @property() q?: string;
  /** Page size. */
  @property({ type: Number }) limit = 20;

  /** The goals to show; set it to render without fetching. */
  @property({ attribute: false }) goals?: GoalSummary[];

  /** An accessible name for the list; defaults to the word "Objectives". */
  @property() label?: string;

  @state() private more: GoalSummary[] = [];
  /** The cursor after the last "show more" page; undefined until one was loaded. */
  @state() private moreCursor?: string | null;
  @state() private loadingMore = false;

  private readonly resource = new ResourceController<Page<GoalSummary>>(this);
  private moreController?: AbortController;

  /** Changes (live, or a check-in on this page) patch the rows shown in place. */
  private readonly live = new LiveController(
    this,
    (change, { patchRows }, type) => {
      // Loaded only while no `.goals` are given (see willUpdate).
      const state = this.resource.state;
      if (state.status !== 'loaded') return;
      // Whether a new goal belongs here only the BFF can say (owner, team, search…): this is
      // the one change a list reloads for. Rows loaded by "show more" stay.
      if (type === 'goal.created') return this.resource.refresh();
      this.resource.set({ ...state.value, items: patchRows(state.value.items, change) });
      this.more = patchRows(this.more, change);
    },
    () => this.resource.refresh(),
  );

  private get query(): GoalQuery {
    const { owner, team, timeframe, level, status, parent, q, limit } = this;
    return { owner, team, timeframe, level, status, parent, q, limit };
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const client = this.settings.client;
    const query = this.query;
    const key = this.goals ? undefined : JSON.stringify(query);
    const before = this.resource.state;
    this.resource.sync(
      [key, client],
      key !== undefined && client ? (signal) => client.goals(query, { signal }) : undefined,
    );
    if (this.resource.state !== before) {
      this.moreController?.abort();
      this.more = [];
      this.moreCursor = undefined;
    }
    this.live.sync(this.settings, key !== undefined);
  }

  private get nextCursor(): string | null {
    if (this.goals) return null;
    if (this.moreCursor !== undefined) return this.moreCursor;
    const state = this.resource.state;
    return state.status === 'loaded' ? state.value.nextCursor : null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.moreController?.abort();
  }

  private get items(): GoalSummary[] | undefined {
    if (this.goals) return this.goals;
    const state = this.resource.state;
    if (state.status !== 'loaded') return undefined;
    // After a reload the first page may now hold rows that "show more" had brought.
    const first = state.value.items;
    return [...first, ...this.more.filter((row) => !first.some((item) => item.id === row.id))];
  }

  private async loadMore(): Promise<void> {
    const client = this.settings.client;
    if (!client || !this.nextCursor) return;
    this.moreController = new AbortController();
    this.loadingMore = true;
    try {
      const page = await client.goals(
        { ...this.query, cursor: this.nextCursor },
        { signal: this.moreController.signal },
      );
      this.more = [...this.more, ...page.items];
      this.moreCursor = page.nextCursor;
    } catch (error) {
      if (!isAbortError(error)) {
        emit(this, 'okr-error', {
          error: toApiError(error),
        });
      }
    } finally {
      this.loadingMore = false;
    }
  }

  protected override render() {
    const words = this.words;
    const items = this.items;
    let body;
    if (!items) body = pendingState(words, this.resource, ['row', 'row', 'row']);
    else if (items.length === 0) body = emptyState(words.emptyGoals);
    else body = this.renderItems(items);
    // Not a landmark: several lists on one page would repeat the same region name.
    return html`<div class="list-root">${body}</div>`;
  }

  private renderItems(items: GoalSummary[]) {
    const look = this.presentation;
    const words = look.words;
    return html`<ul part="list" aria-label=${this.label ?? words.objectives}>
        ${items.map(
          (goal) =>
            html`<li part="item" class="item">
              ${goalTitle(this, goal)} ${statusBadge(goal.status, look)}
              ${progressOf(goal, look, { part: 'progress', small: true, showValue: true })}
              <p part="meta" class="meta">
                ${goal.owner ? html`<span>${goal.owner.name}</span>` : nothing}
                ${goal.team ? html`<span>${goal.team.name}</span>` : nothing}
                <span>${goal.timeframe.name}</span>
              </p>
            </li>`,
        )}
      </ul>
      ${
        this.nextCursor
          ? html`<button
              part="more"
              class="more"
              type="button"
              ?disabled=${this.loadingMore}
              @click=${this.loadMore}
            >
              ${this.loadingMore ? words.loading : words.loadMore}
            </button>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-goal-list': OkrGoalList;
  }
}
