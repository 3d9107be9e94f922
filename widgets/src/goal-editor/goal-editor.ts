import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Goal, Timeframe } from '@okr-embed/contract';
import { OkrApiError, isAbortError, toApiError } from '../client/errors.js';
import { ResourceController } from '../client/resource-controller.js';
import { emit } from '../events/events.js';
import { fill, mergeWording } from '../i18n/messages.js';
import { customElement } from '../provider/define.js';
import { OkrElement } from '../provider/okr-element.js';
import { pendingState } from '../theme/states.js';
import { stateStyles } from '../theme/states.styles.js';
import { themeStyles } from '../theme/theme.styles.js';
import { editorApi } from './editor-api.js';
import { editorWording, type EditorWords } from './editor-words.js';
import { conflictLines } from './goal-conflict.js';
import {
  createRequest,
  draftOf,
  fieldErrorsOf,
  newDraft,
  validate,
  type FieldErrors,
  type GoalDraft,
} from './goal-draft.js';
import { formStyles } from '../theme/form.styles.js';
import { goalEditorStyles } from './goal-editor.styles.js';
import { EditFailure, sendEdit } from './goal-save.js';
import { fieldId } from './key-result-fields.js';
import { PickerController, type PickerOption } from './picker.js';
import { goalForm, messageRow } from './goal-form.js';
import { loadSetting, readOnlyReason, type Setting } from './editor-setting.js';

export interface Message {
  text: string;
  tone: 'success' | 'error';
  undo?: boolean;
}

/**
 * Creates a goal with its key results (without `goal-id`) or edits one (with `goal-id`).
 * Creating is one request; an edit sends only what changed, each part with `If-Match`. A
 * version conflict lists what the other person changed and lets the user take theirs or
 * re-apply their own; nothing typed is lost on any failure.
 *
 * @summary Create or edit an objective and its key results; ships as okr-goal-editor.js.
 * @fires okr-goal-saved - The goal was created, changed, archived or copied; `detail.goal`.
 * @fires okr-goal-deleted - The goal was deleted; `detail.goalId`.
 * @fires okr-cancel - The user cancelled; `detail.goalId` (null when creating).
 * @fires okr-error - Loading or saving failed; `detail.error`.
 * @csspart form - The form surface.
 * @csspart key-results - The fieldset around the key results.
 * @csspart key-result - One key result's fieldset.
 * @csspart picker-input - A search-as-you-type field (owner, team, parent).
 * @csspart picker-list - Its list of matches.
 * @csspart submit - The save button.
 * @csspart conflict - What another person changed, with "Reload theirs" and "Re-apply mine".
 * @csspart confirm-delete - The delete confirmation.
 * @csspart read-only - Says why the goal cannot be changed here.
 * @csspart message - The live region announcing the save result.
 * @cssprop --okr-goal-editor-padding - Inner spacing.
 */
@customElement('okr-goal-editor')
export class OkrGoalEditor extends OkrElement {
  static override styles = [themeStyles, stateStyles, formStyles, goalEditorStyles];

  /** The goal to edit; without it the editor creates one. */
  @property({ attribute: 'goal-id', reflect: true }) goalId?: string;

  /** The timeframe a new goal starts in; the current one when not set. */
  @property({ attribute: 'timeframe-id' }) timeframeId?: string;

  /** @internal */
  @state() draft: GoalDraft = newDraft({});
  /** @internal */
  @state() errors: FieldErrors = {};
  /** @internal */
  @state() message?: Message;
  /** @internal */
  @state() saving = false;
  /** @internal */
  @state() conflict?: { lines: string[]; fresh: Goal };
  /** @internal */
  @state() confirmingDelete = false;
  /** @internal */
  @state() deleted = false;
  /** @internal The goal as stored, once loaded or created: what an edit is compared against. */
  @state() stored?: Goal;

  private readonly resource = new ResourceController<Setting>(this);
  private shownSetting?: Setting;
  private saveController?: AbortController;

  /** @internal */
  readonly ownerPicker = new PickerController(
    this,
    'owner',
    async (q, signal) =>
      (await this.api!.users(q, signal)).items.map((user) => ({ id: user.id, label: user.name })),
    (owner) => this.edit({ owner }),
  );
  /** @internal */
  readonly teamPicker = new PickerController(
    this,
    'team',
    async (q, signal) =>
      (await this.api!.teams(q, signal)).items.map((team) => ({ id: team.id, label: team.name })),
    (team) => this.edit({ team }),
  );
  /** @internal */
  readonly parentPicker = new PickerController(
    this,
    'parent',
    async (q, signal): Promise<PickerOption[]> => {
      const page = await this.settings.client!.goals({ q: q || undefined, limit: 20 }, { signal });
      const excluded =
        this.resource.state.status === 'loaded' ? this.resource.state.value.excluded : new Set();
      const words = this.editorWords;
      const levels = {
        company: words.levelCompany,
        team: words.levelTeam,
        personal: words.levelPersonal,
      };
      return page.items
        .filter((goal) => !excluded.has(goal.id) && goal.id !== this.stored?.id)
        .map((goal) => ({ id: goal.id, label: goal.title, hint: levels[goal.level] }));
    },
    (parent) => this.edit({ parent }),
  );

  get api() {
    const client = this.settings.client;
    return client ? editorApi(client) : undefined;
  }

  get editorWords(): EditorWords {
    const locale = this.resolvedLocale;
    const base = { ...this.words, ...editorWording(locale) };
    // The shared words were merged already; the editor's own are overridden the same way.
    return mergeWording(base, this.settings.wording, this.wording) as EditorWords;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const client = this.settings.client;
    const id = this.goalId;
    this.resource.sync(
      [id, client],
      client ? (signal) => loadSetting(client, id, signal) : undefined,
    );
    const loaded = this.resource.state.status === 'loaded' ? this.resource.state.value : undefined;
    if (loaded && loaded !== this.shownSetting) {
      this.shownSetting = loaded;
      this.stored = loaded.goal;
      this.deleted = false;
      this.draft = loaded.goal ? draftOf(loaded.goal) : this.blankDraft(loaded);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.saveController?.abort();
  }

  private blankDraft(setting: Setting): GoalDraft {
    const current = setting.timeframes.find((tf) => tf.current) ?? setting.timeframes[0];
    const me = setting.me.user;
    return newDraft({
      level: 'personal',
      owner: { id: me.id, label: me.name },
      timeframeId: this.timeframeId ?? current?.id ?? '',
    });
  }

  edit(changes: Partial<GoalDraft>): void {
    this.draft = { ...this.draft, ...changes };
  }

  protected override render() {
    const words = this.editorWords;
    const state = this.resource.state;
    if (state.status !== 'loaded') {
      return html`<div class="state">
        ${pendingState(words, this.resource, ['line', 'field', 'field', 'field'])}
      </div>`;
    }
    if (this.deleted) return html`<div class="state">${messageRow(this, words)}</div>`;
    const reason = readOnlyReason(state.value.me, this.stored, words);
    if (reason) {
      return html`<div part="read-only" class="state read-only" role="note">
        ${this.stored ? html`<p class="read-only-title">${this.stored.title}</p>` : nothing}
        <p>${reason}</p>
      </div>`;
    }
    return goalForm(this, state.value, words);
  }

  focusField(field: string): void {
    this.shadowRoot!.getElementById(fieldId(field))?.focus();
  }

  /** Shows field errors and focuses the first invalid field in the order of the form. */
  private async showErrors(errors: FieldErrors): Promise<void> {
    this.errors = errors;
    await this.updateComplete;
    this.shadowRoot!.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    void this.save();
  }

  /** Runs a write with the save button busy, reporting any failure; the draft stays as typed. */
  async run(write: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.saving || !this.api) return;
    this.saving = true;
    this.message = undefined;
    this.saveController = new AbortController();
    const signal = this.saveController.signal;
    try {
      await write(signal);
    } catch (error) {
      if (signal.aborted || isAbortError(error)) return;
      await this.failed(error);
    } finally {
      this.saving = false;
    }
  }

  async save(): Promise<void> {
    const words = this.editorWords;
    const errors = validate(this.draft, words);
    if (Object.keys(errors).length > 0) {
      this.message = { text: words.fixFields, tone: 'error' };
      return this.showErrors(errors);
    }
    this.errors = {};
    await this.run(async (signal) => {
      const api = this.api!;
      const base = this.stored;
      if (!base) {
        this.adopt(await api.createGoal(createRequest(this.draft), { signal }), words.goalCreated);
        return;
      }
      const progress = { base, draft: this.draft };
      try {
        const goal = await sendEdit(
          api,
          progress,
          (s) => this.settings.client!.goal(base.id, { signal: s }),
          signal,
        );
        if (goal) this.adopt(goal, words.goalSaved);
        else this.message = { text: words.nothingChanged, tone: 'success' };
      } finally {
        // What was stored stays stored: a retry sends only the rest, with the new versions.
        if (progress.base !== base) this.stored = progress.base;
        if (progress.draft !== this.draft) this.draft = progress.draft;
      }
    });
  }

  /** The BFF stored `goal`: edit from it now and tell the page. */
  adopt(goal: Goal, text: string, undo = false): void {
    this.stored = goal;
    this.draft = draftOf(goal);
    this.conflict = undefined;
    this.message = { text, tone: 'success', undo };
    emit(this, 'okr-goal-saved', { goal });
  }

  private async failed(error: unknown): Promise<void> {
    const words = this.editorWords;
    const field = error instanceof EditFailure ? error.field : '';
    const apiError = toApiError(error instanceof EditFailure ? error.cause : error);
    emit(this, 'okr-error', { error: apiError });
    if (apiError.code === 'alignment_cycle') {
      this.message = { text: words.fixFields, tone: 'error' };
      return this.showErrors({ parent: apiError.message });
    }
    if (apiError.status === 409 && apiError.code !== 'goal_has_children' && this.stored) {
      return this.showConflict();
    }
    if (apiError.status === 400) {
      const errors = fieldErrorsOf(apiError.details, field);
      if (Object.keys(errors).some((name) => this.shadowRoot!.getElementById(fieldId(name)))) {
        this.message = { text: words.fixFields, tone: 'error' };
        return this.showErrors(errors);
      }
    }
    this.message = {
      text: fill(words.goalNotSaved, { message: this.describe(apiError) }),
      tone: 'error',
    };
  }

  private describe(error: OkrApiError): string {
    const words = this.editorWords;
    if (error.status === 429 && error.retryAfter !== null) {
      return `${fill(words.tooManyRequests, { seconds: error.retryAfter })}.`;
    }
    return /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
  }

  /** Someone else saved first: fetch their version and list what they changed. */
  private async showConflict(): Promise<void> {
    const before = this.stored!;
    const fresh = await this.settings.client!.goal(before.id);
    this.conflict = { lines: conflictLines(before, fresh, this.editorWords), fresh };
    await this.updateComplete;
    this.shadowRoot!.querySelector<HTMLElement>('[part="conflict"]')?.focus();
  }

  reloadTheirs(): void {
    const fresh = this.conflict!.fresh;
    this.stored = fresh;
    this.draft = draftOf(fresh);
    this.conflict = undefined;
    this.errors = {};
    this.message = undefined;
  }

  /** Keeps the user's draft and saves it over the other person's version. */
  reapplyMine(): Promise<void> {
    const fresh = this.conflict!.fresh;
    const ids = new Set(fresh.keyResults.map((kr) => kr.id));
    this.stored = fresh;
    this.conflict = undefined;
    // A key result they deleted is created again rather than edited.
    const keyResults = this.draft.keyResults.map((row) =>
      row.id && !ids.has(row.id) ? { ...row, id: undefined } : row,
    );
    this.draft = { ...this.draft, keyResults };
    return this.save();
  }

  archive(archived: boolean): Promise<void> {
    const words = this.editorWords;
    return this.run(async (signal) => {
      const goal = this.stored!;
      const updated = await this.api!.updateGoal(goal.id, goal.version, { archived }, { signal });
      // The draft is the user's: archiving changes only the stored goal and its version.
      const draft = this.draft;
      this.adopt(updated, archived ? words.goalArchived : words.goalUnarchived, archived);
      this.draft = draft;
    });
  }

  deleteGoal(): Promise<void> {
    return this.run(async (signal) => {
      const goal = this.stored!;
      await this.api!.deleteGoal(goal.id, goal.version, { signal });
      this.confirmingDelete = false;
      this.deleted = true;
      this.message = { text: this.editorWords.goalDeleted, tone: 'success' };
      emit(this, 'okr-goal-deleted', { goalId: goal.id });
    });
  }

  copyTo(timeframe: Timeframe): Promise<void> {
    return this.run(async (signal) => {
      const goal = this.stored!;
      const result = await this.api!.copyGoal(
        goal.id,
        { timeframeId: timeframe.id, includeChildren: false },
        { signal },
      );
      this.message = {
        text: fill(this.editorWords.copiedTo, { timeframe: timeframe.name }),
        tone: 'success',
      };
      emit(this, 'okr-goal-saved', { goal: result.goal });
    });
  }

  cancel(): void {
    const setting = this.shownSetting;
    this.draft = this.stored
      ? draftOf(this.stored)
      : setting
        ? this.blankDraft(setting)
        : newDraft({});
    this.errors = {};
    this.conflict = undefined;
    this.confirmingDelete = false;
    this.message = undefined;
    emit(this, 'okr-cancel', { goalId: this.stored?.id ?? null });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-goal-editor': OkrGoalEditor;
  }
}
