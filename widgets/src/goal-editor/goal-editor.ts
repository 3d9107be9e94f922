import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  GOAL_LEVELS,
  LIMITS,
  PROGRESS_SOURCES,
  type Goal,
  type Me,
  type Timeframe,
} from '@okr-embed/contract';
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
import { conflictLines, selfAndDescendants } from './goal-conflict.js';
import {
  createRequest,
  draftOf,
  emptyRow,
  fieldErrorsOf,
  newDraft,
  validate,
  type FieldErrors,
  type GoalDraft,
  type Picked,
} from './goal-draft.js';
import { goalEditorStyles } from './goal-editor.styles.js';
import { EditFailure, sendEdit } from './goal-save.js';
import {
  errorId,
  fieldId,
  keyResultFields,
  textField,
  type RowField,
} from './key-result-fields.js';
import { PickerController, type PickerOption } from './picker.js';
import { confirmDelete, conflictPanel, goalActions } from './goal-editor.parts.js';

/** What the editor needs before it can show a form. */
interface Setting {
  me: Me;
  timeframes: Timeframe[];
  goal?: Goal;
  /** The goal and its descendants: not offered as its parent (the BFF refuses cycles). */
  excluded: Set<string>;
}

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
  static override styles = [themeStyles, stateStyles, goalEditorStyles];

  /** The goal to edit; without it the editor creates one. */
  @property({ attribute: 'goal-id', reflect: true }) goalId?: string;

  /** The timeframe a new goal starts in; the current one when not set. */
  @property({ attribute: 'timeframe-id' }) timeframeId?: string;

  @state() draft: GoalDraft = newDraft({});
  @state() errors: FieldErrors = {};
  @state() message?: Message;
  @state() saving = false;
  @state() conflict?: { lines: string[]; fresh: Goal };
  @state() confirmingDelete = false;
  @state() deleted = false;
  /** The goal as stored, once loaded or created: what an edit is compared against. */
  @state() stored?: Goal;

  private readonly resource = new ResourceController<Setting>(this);
  private shownSetting?: Setting;
  private saveController?: AbortController;

  private readonly ownerPicker = new PickerController(
    this,
    'owner',
    async (q, signal) =>
      (await this.api!.users(q, signal)).items.map((user) => ({ id: user.id, label: user.name })),
    (owner) => this.edit({ owner }),
  );
  private readonly teamPicker = new PickerController(
    this,
    'team',
    async (q, signal) =>
      (await this.api!.teams(q, signal)).items.map((team) => ({ id: team.id, label: team.name })),
    (team) => this.edit({ team }),
  );
  private readonly parentPicker = new PickerController(
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
      client
        ? async (signal): Promise<Setting> => {
            const [me, timeframes, goal, alignment] = await Promise.all([
              client.me({ signal }),
              client.timeframes({ signal }),
              id ? client.goal(id, { signal }) : undefined,
              id
                ? client.alignment({ root: id, depth: LIMITS.alignmentDepthMax }, { signal })
                : undefined,
            ]);
            return {
              me,
              timeframes: timeframes.items,
              goal,
              excluded: id ? selfAndDescendants(id, alignment?.nodes ?? []) : new Set(),
            };
          }
        : undefined,
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

  /** Why the user may not change this goal here, mirroring the BFF's rules; else undefined. */
  private readOnlyReason(setting: Setting): string | undefined {
    const { scopes, user, teams } = setting.me;
    const admin = scopes.includes('okr:admin');
    if (!admin && !scopes.includes('okr:write')) return this.editorWords.readOnlyScope;
    const goal = this.stored;
    const owns =
      !goal ||
      admin ||
      goal.owner?.id === user.id ||
      (goal.team !== null && teams.some((team) => team.id === goal.team!.id));
    return owns ? undefined : this.editorWords.readOnlyOwner;
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
    if (this.deleted) return html`<div class="state">${this.renderMessage()}</div>`;
    const reason = this.readOnlyReason(state.value);
    if (reason) {
      return html`<div part="read-only" class="state read-only" role="note">
        ${this.stored ? html`<p class="read-only-title">${this.stored.title}</p>` : nothing}
        <p>${reason}</p>
      </div>`;
    }
    return this.renderForm(state.value, words);
  }

  private renderForm(setting: Setting, words: EditorWords) {
    const draft = this.draft;
    const errors = this.errors;
    const select = (
      field: string,
      label: string,
      value: string,
      options: Array<[string, string]>,
      onChange: (v: string) => void,
    ) =>
      html`<div class="field">
        <label for=${field}>${label}</label>
        <select
          id=${field}
          aria-invalid=${errors[field] ? 'true' : 'false'}
          aria-describedby=${errors[field] ? errorId(field) : nothing}
          @change=${(event: Event) => onChange((event.target as HTMLSelectElement).value)}
        >
          ${options.map(([id, text]) => html`<option value=${id} ?selected=${id === value}>${text}</option>`)}
        </select>
        ${errors[field] ? html`<p id=${errorId(field)} class="field-error">${errors[field]}</p>` : nothing}
      </div>`;
    const picker = (
      controller: PickerController,
      label: string,
      selected: Picked | null,
      optional: boolean,
    ) => {
      const field = controller.id;
      const describedBy = [optional && `${field}-hint`, errors[field] && errorId(field)]
        .filter(Boolean)
        .join(' ');
      return html`<div class="field">
        <label for=${field}>${label}</label>
        ${controller.render({ label, selected, describedBy, invalid: Boolean(errors[field]), words })}
        ${optional ? html`<p id=${`${field}-hint`} class="hint">${words.optionalPick}</p>` : nothing}
        ${errors[field] ? html`<p id=${errorId(field)} class="field-error">${errors[field]}</p>` : nothing}
      </div>`;
    };
    const levelWords = {
      company: words.levelCompany,
      team: words.levelTeam,
      personal: words.levelPersonal,
    };
    const sourceWords = {
      key_results: words.sourceKeyResults,
      aligned_goals: words.sourceAlignedGoals,
      both: words.sourceBoth,
    };
    const count = draft.keyResults.length;
    return html`<form
      part="form"
      novalidate
      aria-labelledby="heading"
      aria-busy=${this.saving ? 'true' : 'false'}
      @submit=${this.onSubmit}
    >
      <h2 id="heading">${this.stored ? words.editorEdit : words.editorNew}</h2>
      ${this.conflict ? conflictPanel(this, this.conflict.lines, words) : nothing}
      ${textField('title', words.fieldTitle, draft.title, errors, (title) => this.edit({ title }), { max: LIMITS.goalTitle })}
      <div class="field">
        <label for="description">${words.fieldDescription}</label>
        <textarea
          id="description"
          maxlength=${LIMITS.goalDescription}
          .value=${draft.description}
          aria-invalid=${errors['description'] ? 'true' : 'false'}
          aria-describedby=${errors['description'] ? errorId('description') : nothing}
          @input=${(event: Event) => this.edit({ description: (event.target as HTMLTextAreaElement).value })}
        ></textarea>
        ${errors['description'] ? html`<p id=${errorId('description')} class="field-error">${errors['description']}</p>` : nothing}
      </div>
      <div class="columns">
        ${select(
          'level',
          words.fieldLevel,
          draft.level,
          GOAL_LEVELS.map((level) => [level, levelWords[level]]),
          (level) => this.edit({ level: level as GoalDraft['level'] }),
        )}
        ${select(
          'timeframe',
          words.timeframe,
          draft.timeframeId,
          setting.timeframes.map((tf) => [tf.id, tf.name]),
          (timeframeId) => this.edit({ timeframeId }),
        )}
        ${picker(this.ownerPicker, words.owner, draft.owner, false)}
        ${picker(this.teamPicker, words.fieldTeam, draft.team, true)}
        ${picker(this.parentPicker, words.fieldParent, draft.parent, true)}
        ${select(
          'progressSource',
          words.fieldProgressSource,
          draft.progressSource,
          PROGRESS_SOURCES.map((source) => [source, sourceWords[source]]),
          (source) => this.edit({ progressSource: source as GoalDraft['progressSource'] }),
        )}
      </div>
      <fieldset part="key-results" class="key-results" @keydown=${this.onRowKeydown}>
        <legend>${words.keyResults}</legend>
        ${repeat(
          draft.keyResults,
          (row) => row.key,
          (row, index) =>
            keyResultFields(row, index, count, errors, words, {
              change: (i, field, value) => this.changeRow(i, field, value),
              move: (i, by) => this.moveRow(i, by),
              remove: (i) => this.removeRow(i),
            }),
        )}
        <button type="button" class="secondary add" @click=${this.addRow}>
          ${words.addKeyResult}
        </button>
      </fieldset>
      ${goalActions(this, setting, words)}
      ${this.confirmingDelete && this.stored ? confirmDelete(this, this.stored, words) : nothing}
      ${this.renderMessage()}
    </form>`;
  }

  renderMessage() {
    const message = this.message;
    return html`<div class="message-row">
      <p part="message" class="message" role="status" data-tone=${message?.tone ?? nothing}>
        ${message?.text ?? ''}
      </p>
      ${message?.undo ? html`<button type="button" class="secondary" @click=${() => this.archive(false)}>${this.editorWords.undo}</button>` : nothing}
    </div>`;
  }

  private changeRow(index: number, field: RowField, value: string): void {
    const keyResults = this.draft.keyResults.map((row, i) =>
      i === index ? { ...row, [field]: value } : row,
    );
    this.edit({ keyResults });
  }

  private addRow(): void {
    this.edit({ keyResults: [...this.draft.keyResults, emptyRow()] });
    const index = this.draft.keyResults.length - 1;
    void this.updateComplete.then(() => this.focusField(`keyResults.${index}.title`));
  }

  private removeRow(index: number): void {
    this.edit({ keyResults: this.draft.keyResults.filter((_, i) => i !== index) });
    this.errors = {};
    void this.updateComplete.then(() =>
      this.shadowRoot!.querySelector<HTMLElement>('.add')?.focus(),
    );
  }

  moveRow(index: number, by: -1 | 1): void {
    const to = index + by;
    const rows = [...this.draft.keyResults];
    if (to < 0 || to >= rows.length) return;
    [rows[index], rows[to]] = [rows[to]!, rows[index]!];
    this.edit({ keyResults: rows });
    this.errors = {};
    this.message = { text: fill(this.editorWords.movedTo, { n: to + 1 }), tone: 'success' };
    // The moved row's button keeps the focus, or its other one at either end of the list.
    void this.updateComplete.then(() => {
      const buttons = this.shadowRoot!.querySelectorAll<HTMLButtonElement>(
        `fieldset.key-result:nth-of-type(${to + 1}) .row-actions button`,
      );
      const wanted = buttons[by < 0 ? 0 : 1];
      (wanted && !wanted.disabled ? wanted : buttons[by < 0 ? 1 : 0])?.focus();
    });
  }

  /** Alt+Arrow up/down moves the key result that holds the focus. */
  private onRowKeydown(event: KeyboardEvent): void {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    const row = (event.target as Element).closest('fieldset.key-result');
    if (!row) return;
    const index = [...this.shadowRoot!.querySelectorAll('fieldset.key-result')].indexOf(row);
    event.preventDefault();
    this.moveRow(index, event.key === 'ArrowUp' ? -1 : 1);
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
