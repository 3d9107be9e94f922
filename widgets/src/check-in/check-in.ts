import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../provider/define.js';
import {
  LIMITS,
  PROGRESS_STATUSES,
  keyResultProgress,
  suggestStatus,
  type CheckInRequest,
  type Goal,
  type KeyResult,
  type ProgressStatus,
} from '@okr-embed/contract';
import { OkrApiError, toApiError } from '../client/errors.js';
import { LiveController } from '../client/live-controller.js';
import { ResourceController } from '../client/resource-controller.js';
import { emit } from '../events/events.js';
import { fill } from '../i18n/messages.js';
import { keyResultLine } from '../goal-card/key-result-line.js';
import { keyResultLineStyles } from '../goal-card/key-result-line.styles.js';
import { OkrElement } from '../provider/okr-element.js';
import { emptyState, pendingState } from '../theme/states.js';
import { stateStyles } from '../theme/states.styles.js';
import { themeStyles } from '../theme/theme.styles.js';
import { formStyles } from '../theme/form.styles.js';
import { checkInStyles } from './check-in.styles.js';

/** The status picker's options: the ones a check-in usually picks first, "not started" last. */
const statusOrder: readonly ProgressStatus[] = [
  ...PROGRESS_STATUSES.filter((status) => status !== 'not_started'),
  'not_started',
];

/** What the value input shows for a stored value: initiatives in percent. */
function valueText(kr: KeyResult): string {
  return String(kr.kind === 'initiative' ? Math.round(kr.current * 100) : kr.current);
}

function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}

/** Failures after which the same submission may be sent again without being stored twice. */
function isRetryable(error: OkrApiError): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/**
 * A form to check in on a key result: the new value (a number, a percent for initiatives, or
 * done/not done), a status and a comment. The new value shows at once and is rolled back when
 * the BFF refuses it; a retry of the same submission reuses its idempotency key.
 *
 * @summary Check-in form for a key result; `.keyResult`, or `goal-id` + `key-result-id`.
 * @fires okr-check-in-submitted - The BFF stored the check-in; `detail.checkIn`, `.keyResult`, `.goal`, `.progress` (ancestors included).
 * @fires okr-error - Loading or saving failed; `detail.error`.
 * @csspart form - The form surface.
 * @csspart key-result - The key result's title, value and progress.
 * @csspart value - The value input (number or checkbox).
 * @csspart status - The status select.
 * @csspart comment - The comment textarea.
 * @csspart comment-count - "3,650 / 4,000": shown once a comment nears the limit.
 * @csspart submit - The save button.
 * @csspart message - The live region announcing success or failure.
 * @csspart empty - Says there is no key result to check in.
 * @csspart skeleton - The loading placeholder.
 * @csspart error - The error message with its retry button.
 * @csspart retry - The retry button.
 * @cssprop --okr-check-in-padding - Inner spacing.
 * @cssprop --okr-check-in-submit-background - Save button color (defaults to the accent).
 * @cssprop --okr-check-in-submit-color - Save button text color.
 */
@customElement('okr-check-in')
export class OkrCheckIn extends OkrElement {
  static override styles = [
    themeStyles,
    stateStyles,
    keyResultLineStyles,
    formStyles,
    checkInStyles,
  ];

  /** The goal to load the key result from (with `key-result-id`). */
  @property({ attribute: 'goal-id', reflect: true }) goalId?: string;

  /** Which key result of the goal; the first when not set. */
  @property({ attribute: 'key-result-id', reflect: true }) keyResultId?: string;

  /** The key result; set it to render without fetching. */
  @property({ attribute: false }) keyResult?: KeyResult;

  @state() private shown?: KeyResult;
  @state() private submitting = false;
  @state() private valueError?: string;
  @state() private commentError?: string;
  /** Characters typed in the comment, for the counter near the limit. */
  @state() private commentLength = 0;
  @state() private message?: { text: string; tone: 'success' | 'error' };
  @state() private status?: ProgressStatus;
  /** What the value input holds: set from stored values only, so a failed save keeps the user's entry. */
  @state() private draft = '';
  /** Once the user picks a status, value changes stop suggesting one. */
  private statusChosen = false;

  @query('#value') private valueInput!: HTMLInputElement;
  @query('#comment') private commentInput!: HTMLTextAreaElement;

  private readonly resource = new ResourceController<Goal>(this);
  /** The key and body of a submission that may be retried: same body, same key. */
  private pendingSubmission?: { key: string; body: string };
  private saveController?: AbortController;

  /**
   * Someone's check-in (live, or another form on this page) moves the stored value and the
   * version: show them, so the next check-in starts from what is stored. While saving, the
   * BFF's answer decides.
   */
  private readonly live = new LiveController(
    this,
    (change, { patchForm }) => {
      // The goal is loaded only while no `.keyResult` is given (see willUpdate).
      const state = this.resource.state;
      if (!this.shown || this.submitting) return;
      const loaded = state.status === 'loaded' ? state.value : undefined;
      const next = patchForm(this.shown, loaded, this.valueInput, this.draft, valueText, change);
      this.shown = next.keyResult;
      this.draft = next.draft;
      if (next.goal) this.resource.set(next.goal);
    },
    () => this.resource.refresh(),
  );

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const client = this.settings.client;
    const id = this.keyResult ? undefined : this.goalId;
    this.resource.sync(
      [id, client],
      id && client ? (signal) => client.goal(id, { signal }) : undefined,
    );
    this.live.sync(this.settings, !!id);
    if (changed.has('keyResult') && this.keyResult) this.show(this.keyResult);
    if (!this.keyResult && this.resource.state.status === 'loaded') {
      const goal = this.resource.state.value;
      const found = goal.keyResults.find((kr) => !this.keyResultId || kr.id === this.keyResultId);
      if (found && found !== this.shown && !this.submitting) this.show(found);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.saveController?.abort();
  }

  private show(keyResult: KeyResult): void {
    this.shown = keyResult;
    this.statusChosen = false;
    this.status = keyResult.status === 'not_started' ? 'on_track' : keyResult.status;
    this.draft = valueText(keyResult);
  }

  protected override render() {
    const words = this.words;
    if (this.shown) return this.renderForm(this.shown);
    // Nothing to load (no goal named) reads like a goal without that key result.
    const nothingToShow =
      this.resource.state.status === 'loaded' || (!this.goalId && !this.keyResult);
    return html`<div class="state">
      ${nothingToShow ? emptyState(words.noKeyResult) : pendingState(words, this.resource, ['line', 'field', 'field'])}
    </div>`;
  }

  private renderForm(kr: KeyResult) {
    const words = this.words;
    // The counter appears once a comment has used 90 % of what the BFF accepts.
    const counted = this.commentLength >= LIMITS.checkInComment * 0.9;
    const count = (n: number) => new Intl.NumberFormat(this.resolvedLocale).format(n);
    const describedBy = [counted && 'comment-count', this.commentError && 'comment-error']
      .filter(Boolean)
      .join(' ');
    return html`<form
      part="form"
      novalidate
      aria-label=${`${words.checkIn}: ${kr.title}`}
      @submit=${this.submit}
    >
      <div part="key-result" class="key-result">${keyResultLine(kr, this.presentation)}</div>
      ${this.renderValueField(kr)}
      <div class="field">
        <label for="status">${words.statusLabel}</label>
        <select id="status" part="status" @change=${this.onStatusChange}>
          ${statusOrder.map((status) => html`<option value=${status} ?selected=${status === this.status}>${words.status[status]}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="comment">${words.comment}</label>
        <textarea
          id="comment"
          part="comment"
          aria-invalid=${this.commentError ? 'true' : 'false'}
          aria-describedby=${describedBy || nothing}
          @input=${this.onCommentInput}
        ></textarea>
        ${counted ? html`<p id="comment-count" part="comment-count" class="hint">${count(this.commentLength)} / ${count(LIMITS.checkInComment)}</p>` : nothing}
        ${this.commentError ? html`<p id="comment-error" class="field-error">${this.commentError}</p>` : nothing}
      </div>
      <button part="submit" class="submit" type="submit" ?disabled=${this.submitting}>
        ${this.submitting ? words.saving : words.save}
      </button>
      <p part="message" class="message" role="status" data-tone=${this.message?.tone ?? nothing}>
        ${this.message?.text ?? ''}
      </p>
    </form>`;
  }

  /** The input fits the kind: a checkbox for done/not done, a percent for initiatives, else a number in the unit. */
  private renderValueField(kr: KeyResult) {
    const words = this.words;
    if (kr.kind === 'boolean') {
      return html`<div class="field inline">
        <input
          id="value"
          part="value"
          type="checkbox"
          .checked=${Number(this.draft) >= 1}
          @change=${this.onValueInput}
        />
        <label for="value">${words.done}</label>
      </div>`;
    }
    const initiative = kr.kind === 'initiative';
    const label = initiative
      ? words.percentComplete
      : kr.unit
        ? `${words.value} (${kr.unit})`
        : words.value;
    return html`<div class="field">
      <label for="value">${label}</label>
      <input
        id="value"
        part="value"
        type="number"
        inputmode="decimal"
        step="any"
        min=${initiative ? 0 : nothing}
        max=${initiative ? 100 : nothing}
        .value=${this.draft}
        @input=${this.onValueInput}
        aria-invalid=${this.valueError ? 'true' : 'false'}
        aria-describedby=${this.valueError ? 'value-error' : nothing}
      />
      ${this.valueError ? html`<p id="value-error" class="field-error">${this.valueError}</p>` : nothing}
    </div>`;
  }

  private onStatusChange(event: Event): void {
    this.status = (event.target as HTMLSelectElement).value as ProgressStatus;
    this.statusChosen = true;
  }

  /** Suggests a status from the pace of the goal's timeframe, until the user picks one. */
  private onValueInput(): void {
    const kr = this.shown;
    const state = this.resource.state;
    if (!kr || this.statusChosen || state.status !== 'loaded') return;
    const raw =
      kr.kind === 'boolean' ? (this.valueInput.checked ? 1 : 0) : Number(this.valueInput.value);
    if (this.valueInput.value.trim() === '' || !Number.isFinite(raw)) return;
    const current = kr.kind === 'initiative' ? raw / 100 : raw;
    this.status = suggestStatus({
      progress: keyResultProgress({ ...kr, current }),
      timeframe: state.value.timeframe,
      now: Date.now(),
    });
  }

  private onCommentInput(): void {
    this.commentLength = this.commentInput.value.trim().length;
  }

  /** Reads and checks the form; undefined (with the errors shown) when it is not valid. */
  private readForm(kr: KeyResult): CheckInRequest | undefined {
    const words = this.words;
    let value: number;
    this.valueError = undefined;
    this.commentError = undefined;
    if (kr.kind === 'boolean') value = this.valueInput.checked ? 1 : 0;
    else {
      const raw = this.valueInput.value.trim();
      const parsed = raw === '' ? Number.NaN : Number(raw);
      const outOfRange = kr.kind === 'initiative' && (parsed < 0 || parsed > 100);
      if (!Number.isFinite(parsed) || outOfRange) this.valueError = words.valueRequired;
      value = kr.kind === 'initiative' ? parsed / 100 : parsed;
    }
    const comment = this.commentInput.value.trim();
    if (comment.length > LIMITS.checkInComment) {
      this.commentError = fill(words.commentTooLong, {
        max: new Intl.NumberFormat(this.resolvedLocale).format(LIMITS.checkInComment),
      });
    }
    if (this.valueError || this.commentError) {
      const invalid = this.valueError ? this.valueInput : this.commentInput;
      this.updateComplete.then(() => invalid.focus());
      return undefined;
    }
    return { value, status: this.status, ...(comment ? { comment } : {}) };
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const before = this.shown;
    const client = this.settings.client;
    if (!before || this.submitting) return;
    const body = this.readForm(before);
    if (!body) return;
    const serialized = JSON.stringify(body);
    if (this.pendingSubmission?.body !== serialized) {
      this.pendingSubmission = { key: newIdempotencyKey(), body: serialized };
    }
    const { key } = this.pendingSubmission;
    this.submitting = true;
    this.message = undefined;
    // Optimistic: show the new value now; the BFF's answer replaces it, a failure restores it.
    this.shown = {
      ...before,
      current: body.value,
      status: body.status ?? before.status,
      progress: keyResultProgress({ ...before, current: body.value }),
    };
    this.saveController = new AbortController();
    try {
      if (!client)
        throw new OkrApiError({ status: 0, code: 'not_configured', message: 'No BFF configured.' });
      const result = await client.postCheckIn(before.id, body, key, {
        signal: this.saveController.signal,
      });
      this.pendingSubmission = undefined;
      this.shown = result.keyResult;
      this.commentInput.value = '';
      this.commentLength = 0;
      this.message = { text: this.words.saved, tone: 'success' };
      if (!this.keyResult && this.resource.state.status === 'loaded')
        this.resource.set(result.goal);
      emit(this, 'okr-check-in-submitted', result);
    } catch (error) {
      if (this.saveController.signal.aborted) return;
      const apiError = toApiError(error);
      this.shown = before;
      if (!isRetryable(apiError)) this.pendingSubmission = undefined;
      emit(this, 'okr-error', { error: apiError });
      if (apiError.status === 409) await this.reloadAfterConflict();
      else
        this.message = {
          text: fill(this.words.saveFailed, { message: apiError.message }),
          tone: 'error',
        };
    } finally {
      this.submitting = false;
    }
  }

  /** Someone else checked in meanwhile: show their values and say so. */
  private async reloadAfterConflict(): Promise<void> {
    this.message = { text: this.words.conflict, tone: 'error' };
    const client = this.settings.client;
    const goalId = this.goalId ?? this.shown?.goalId;
    if (!client || !goalId) return;
    try {
      const goal = await client.goal(goalId, { signal: this.saveController?.signal });
      const fresh = goal.keyResults.find((kr) => kr.id === this.shown?.id);
      if (fresh) this.show(fresh);
      if (!this.keyResult && this.resource.state.status === 'loaded') this.resource.set(goal);
    } catch {
      // The conflict message already tells the user to check; the old values stay shown.
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-check-in': OkrCheckIn;
  }
}
