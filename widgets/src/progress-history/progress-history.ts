import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { ProgressHistory } from '@okr-embed/contract';
import { ResourceController } from '../client/resource-controller.js';
import { listenOnPage, type OkrEventMap } from '../events/events.js';
import { formatPercent } from '../i18n/format.js';
import { fill, mergeWording } from '../i18n/messages.js';
import { customElement } from '../provider/define.js';
import { OkrElement } from '../provider/okr-element.js';
import { pendingState } from '../theme/states.js';
import { stateStyles } from '../theme/states.styles.js';
import { statusStyles, themeStyles } from '../theme/theme.styles.js';
import { historyGeometry, type HistoryGeometry } from './history-chart.js';
import {
  formatDay,
  historyTable,
  pointLabel,
  pointWords,
  type PointWords,
} from './history-table.js';
import { historyWording, type HistoryLook, type HistoryWords } from './history-words.js';
import { progressHistoryStyles } from './progress-history.styles.js';

/** The chart's height in CSS pixels; its width is the element's. */
const CHART_HEIGHT = 220;
/** Narrower than this the dates and the tooltip no longer fit; the chart scrolls instead. */
const MIN_WIDTH = 320;

type Subject = { type: 'key-result' | 'goal'; id: string };

/**
 * How the progress of a key result or an objective moved over its timeframe, against the pace
 * that would reach 100 % at its end. Each check-in is a point: hover or focus it for its value,
 * status, author and comment (one tab stop; arrow keys, Home and End move between points).
 * Screen readers get the same data as a table.
 *
 * Ships as its own file (`okr-progress-history.js`), loaded when first used.
 *
 * @summary Progress over the timeframe against the expected pace; by `key-result-id`, `goal-id` or `.history`.
 * @fires okr-error - Loading failed; `detail.error`.
 * @csspart history - The figure around caption, chart and table.
 * @csspart caption - What the chart shows.
 * @csspart chart - The SVG drawing.
 * @csspart progress-line - The progress step line.
 * @csspart pace-line - The expected-pace line.
 * @csspart today - The today marker.
 * @csspart point - One check-in.
 * @csspart tooltip - The details of the hovered or focused check-in.
 * @csspart note - "No check-ins yet", "Starts on …".
 * @csspart table - The table alternative (visually hidden).
 * @csspart skeleton - The loading placeholder.
 * @csspart error - The error message.
 * @csspart retry - The retry button.
 * @cssprop --okr-progress-history-line - Color of the progress line (defaults to the accent).
 * @cssprop --okr-progress-history-pace - Color of the expected-pace line.
 * @cssprop --okr-color-accent - Progress line (global token).
 * @cssprop --okr-color-surface - Background and tooltip (global token).
 */
@customElement('okr-progress-history')
export class OkrProgressHistory extends OkrElement {
  static override styles = [themeStyles, statusStyles, stateStyles, progressHistoryStyles];

  /** Loads the history of this key result. Set this or `goal-id`, not both. */
  @property({ attribute: 'key-result-id', reflect: true }) keyResultId?: string;

  /** Loads the history of this objective. Set this or `key-result-id`, not both. */
  @property({ attribute: 'goal-id', reflect: true }) goalId?: string;

  /** The history data; set it to render without fetching. */
  @property({ attribute: false }) history?: ProgressHistory;

  /** The instant drawn as today (a Date or epoch milliseconds); defaults to the current time. */
  @property({ attribute: false }) now?: Date | number;

  /** The point that holds the tab stop. */
  @state() private activeIndex = -1;
  @state() private hoveredIndex: number | null = null;
  @state() private focusedIndex: number | null = null;
  /** Escape hides the tooltip until another point is hovered or focused (WCAG 1.4.13). */
  @state() private tooltipDismissed = false;
  @state() private width = 640;

  private readonly resource = new ResourceController<ProgressHistory>(this);
  /** Each point worded, kept while data and words stay: hovering re-renders, and Intl is slow. */
  private worded?: { key: unknown[]; said: PointWords[] };
  private resizeObserver?: ResizeObserver;
  private observed?: Element;

  /** A check-in of this key result (or one that moved this goal) adds a point: load again. */
  private readonly onCheckIn = (event: OkrEventMap['okr-check-in-submitted']): void => {
    const subject = this.subject;
    if (this.history || !subject || subject === 'invalid') return;
    const { keyResult, goal } = event.detail;
    if (subject.id === (subject.type === 'goal' ? goal.id : keyResult.id)) this.resource.retry();
  };

  constructor() {
    super();
    listenOnPage(this, 'okr-check-in-submitted', this.onCheckIn);
  }

  /** The history shown: passed in, or loaded. */
  get currentHistory(): ProgressHistory | undefined {
    if (this.history) return this.history;
    return this.resource.state.status === 'loaded' ? this.resource.state.value : undefined;
  }

  /** Which history to load; `invalid` when both ids or neither are set. */
  private get subject(): Subject | 'invalid' | undefined {
    if (this.history) return undefined;
    const { keyResultId, goalId } = this;
    if (keyResultId && goalId) return 'invalid';
    if (keyResultId) return { type: 'key-result', id: keyResultId };
    if (goalId) return { type: 'goal', id: goalId };
    return 'invalid';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.observed = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const client = this.settings.client;
    const subject = this.subject;
    const wanted = subject && subject !== 'invalid' ? subject : undefined;
    this.resource.sync(
      [wanted?.type, wanted?.id, client],
      wanted && client ? (signal) => client.history(wanted, { signal }) : undefined,
    );
    const history = this.currentHistory;
    const count = history?.points.length ?? 0;
    // The newest check-in holds the tab stop at first: it is the one people look for.
    if (this.activeIndex >= count || (this.activeIndex < 0 && count > 0)) {
      this.activeIndex = count - 1;
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const plot = this.renderRoot.querySelector('.plot');
    if (plot === this.observed) return;
    this.resizeObserver?.disconnect();
    this.observed = plot ?? undefined;
    if (!plot) return;
    this.resizeObserver ??= new ResizeObserver((entries) => {
      const width = Math.max(MIN_WIDTH, Math.round(entries[0]!.contentRect.width));
      if (width !== this.width) this.width = width;
    });
    this.resizeObserver.observe(plot);
  }

  /** The shared words and the history's own, each overridable by the provider and the element. */
  private get look(): HistoryLook {
    const locale = this.resolvedLocale;
    const base = { ...this.words, ...historyWording(locale) };
    // The shared words were merged already; the history's own are overridden the same way.
    const words = mergeWording(base, this.settings.wording, this.wording) as HistoryWords;
    return { locale, words };
  }

  protected override render() {
    const words = this.look.words;
    if (this.subject === 'invalid') {
      return html`<p part="error" class="error-state error" role="alert">
        ${words.historySubject}
      </p>`;
    }
    const history = this.currentHistory;
    if (!history) return pendingState(words, this.resource, ['title-line', 'chart']);
    return this.renderHistory(history);
  }

  private renderHistory(history: ProgressHistory) {
    const look = this.look;
    const { words, locale } = look;
    const now = this.now === undefined ? Date.now() : new Date(this.now).getTime();
    const geometry = historyGeometry(history, { width: this.width, height: CHART_HEIGHT }, now);
    const caption = fill(words.historyOf, {
      title: history.subject.title,
      timeframe: history.timeframe.name,
    });
    const notes = [
      geometry.phase === 'future'
        ? fill(words.startsOn, { date: formatDay(history.timeframe.startDate, locale) })
        : null,
      history.points.length === 0 ? words.noUpdates : null,
    ].filter((note): note is string => note !== null);
    return html`<figure part="history" class="history">
      <figcaption part="caption" class="caption">${caption}</figcaption>
      <ul class="legend" aria-hidden="true">
        <li><span class="swatch progress"></span>${words.progress}</li>
        <li><span class="swatch pace"></span>${words.expectedPace}</li>
        ${
          geometry.todayX === null
            ? nothing
            : html`<li><span class="swatch today"></span>${words.today}</li>`
        }
      </ul>
      <div
        class="plot"
        @keydown=${this.onKeydown}
        @focusin=${this.onFocusIn}
        @focusout=${this.onFocusOut}
        @pointerover=${this.onPointerOver}
        @pointerout=${this.onPointerOut}
      >
        ${this.renderChart(history, geometry, caption)} ${this.renderTooltip(history, geometry)}
      </div>
      ${notes.map((note) => html`<p part="note" class="note">${note}</p>`)}
      ${historyTable(history, look, this.saidOf(history, look))}
    </figure>`;
  }

  private renderChart(history: ProgressHistory, geometry: HistoryGeometry, caption: string) {
    const look = this.look;
    const { plot } = geometry;
    const short: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
    const last = history.points[history.points.length - 1];
    const said = this.saidOf(history, look);
    return html`<svg
      part="chart"
      class="chart"
      role="group"
      aria-label=${caption}
      viewBox="0 0 ${this.width} ${CHART_HEIGHT}"
      width="100%"
      height=${CHART_HEIGHT}
    >
      <g class="axis" aria-hidden="true">
        ${geometry.ticks.map(
          (tick) =>
            svg`<line class="grid" x1=${plot.left} x2=${plot.right} y1=${tick.y} y2=${tick.y}></line>
            <text class="tick" x=${plot.left - 6} y=${tick.y} text-anchor="end" dominant-baseline="middle">${formatPercent(tick.share, look.locale)}</text>`,
        )}
        <text class="tick" x=${plot.left} y=${CHART_HEIGHT - 8} text-anchor="start">
          ${formatDay(history.timeframe.startDate, look.locale, short)}
        </text>
        <text class="tick" x=${plot.right} y=${CHART_HEIGHT - 8} text-anchor="end">
          ${formatDay(history.timeframe.endDate, look.locale, short)}
        </text>
        ${
          geometry.todayX === null
            ? nothing
            : svg`<line part="today" class="today" x1=${geometry.todayX} x2=${geometry.todayX} y1=${plot.top} y2=${plot.bottom}></line>`
        }
      </g>
      <path part="pace-line" class="pace" d=${geometry.pacePath} aria-hidden="true"></path>
      ${
        geometry.progressPath === null
          ? nothing
          : svg`<path part="progress-line" class="progress" data-status=${last?.status ?? 'not_started'} d=${geometry.progressPath} aria-hidden="true"></path>`
      }
      <g class="points">
        ${history.points.map((point, index) => {
          const at = geometry.points[index]!;
          return svg`<circle part="point" class="point" data-index=${index} data-status=${point.status}
            cx=${at.x} cy=${at.y} r="5" role="img" tabindex=${index === this.activeIndex ? 0 : -1}
            aria-label=${pointLabel(said[index]!)}
            aria-describedby=${index === this.tooltipIndex ? 'tooltip' : nothing}></circle>`;
        })}
      </g>
    </svg>`;
  }

  private saidOf(history: ProgressHistory, look: HistoryLook): PointWords[] {
    const key = [history, look.locale, this.settings.wording, this.wording];
    if (!this.worded || key.some((value, i) => value !== this.worded!.key[i])) {
      this.worded = { key, said: history.points.map((point) => pointWords(history, point, look)) };
    }
    return this.worded.said;
  }

  private get tooltipIndex(): number | null {
    if (this.tooltipDismissed) return null;
    return this.hoveredIndex ?? this.focusedIndex;
  }

  private renderTooltip(history: ProgressHistory, geometry: HistoryGeometry) {
    const index = this.tooltipIndex;
    const point = index === null ? undefined : history.points[index];
    if (index === null || !point) return nothing;
    const at = geometry.points[index]!;
    const said = this.saidOf(history, this.look)[index]!;
    // Kept inside the plot: anchored at its side near an edge, below the point near the top.
    const side =
      at.x < this.width / 4 ? 'from-start' : at.x > (this.width * 3) / 4 ? 'from-end' : 'centered';
    const below = at.y < CHART_HEIGHT / 2;
    return html`<div
      part="tooltip"
      id="tooltip"
      role="tooltip"
      class="tooltip ${side} ${below ? 'below' : 'above'}"
      data-status=${point.status}
      style=${styleMap({ left: `${at.x}px`, top: `${at.y}px` })}
    >
      <strong class="tip-date">${said.date}</strong>
      ${said.value === null ? nothing : html`<span class="tip-value">${said.value}</span>`}
      <span class="tip-progress"
        >${said.progress} · <span class="tip-status">${said.status}</span></span
      >
      ${said.author === null ? nothing : html`<span class="tip-author">${said.author}</span>`}
      ${said.comment === null ? nothing : html`<span class="tip-comment">${said.comment}</span>`}
    </div>`;
  }

  private indexOf(target: EventTarget | null): number | null {
    if (!(target instanceof SVGElement) || target.dataset['index'] === undefined) return null;
    return Number(target.dataset['index']);
  }

  // The listeners sit on the plot's <div>: Chromium makes an SVG group with focus listeners a
  // tab stop of its own.
  private readonly onFocusIn = (event: FocusEvent): void => {
    const index = this.indexOf(event.target);
    if (index === null) return;
    this.activeIndex = index;
    this.focusedIndex = index;
    this.tooltipDismissed = false;
  };

  private readonly onFocusOut = (event: FocusEvent): void => {
    if (this.indexOf(event.relatedTarget) === null) this.focusedIndex = null;
  };

  private readonly onPointerOver = (event: PointerEvent): void => {
    const index = this.indexOf(event.target);
    if (index === null) return;
    this.hoveredIndex = index;
    this.tooltipDismissed = false;
  };

  private readonly onPointerOut = (event: PointerEvent): void => {
    if (this.indexOf(event.relatedTarget) === null) this.hoveredIndex = null;
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const count = this.currentHistory?.points.length ?? 0;
    if (event.key === 'Escape') {
      // Handled here only while a tooltip shows, so a dialog around the chart still closes.
      if (this.tooltipIndex !== null) {
        this.tooltipDismissed = true;
        event.stopPropagation();
      }
      return;
    }
    const moves: Record<string, number> = {
      ArrowRight: this.activeIndex + 1,
      ArrowUp: this.activeIndex + 1,
      ArrowLeft: this.activeIndex - 1,
      ArrowDown: this.activeIndex - 1,
      Home: 0,
      End: count - 1,
    };
    const next = moves[event.key];
    if (next === undefined || count === 0) return;
    event.preventDefault();
    this.activeIndex = Math.min(count - 1, Math.max(0, next));
    // The hovered point would otherwise keep the tooltip away from the one just reached.
    this.hoveredIndex = null;
    void this.updateComplete.then(() => {
      this.renderRoot
        .querySelector<SVGElement>(`.point[data-index="${this.activeIndex}"]`)
        ?.focus();
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-progress-history': OkrProgressHistory;
  }
}
