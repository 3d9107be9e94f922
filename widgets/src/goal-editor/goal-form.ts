import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { GOAL_LEVELS, LIMITS, PROGRESS_SOURCES, type Timeframe } from '@okr-embed/contract';
import { fill } from '../i18n/messages.js';
import type { EditorWords } from './editor-words.js';
import { emptyRow, type GoalDraft, type Picked } from './goal-draft.js';
import type { OkrGoalEditor } from './goal-editor.js';
import { confirmDelete, conflictPanel, goalActions } from './goal-editor.parts.js';
import { errorId, keyResultFields, textField, type RowField } from './key-result-fields.js';
import type { PickerController } from './picker.js';

/*
 * The editor's form and its key-result rows. The element owns the state and every request;
 * this draws it and turns the user's edits of rows (add, remove, move) into a new draft.
 */

/** The form: the goal's fields, its key results, the actions and the live region. */
export function goalForm(
  editor: OkrGoalEditor,
  setting: { timeframes: Timeframe[] },
  words: EditorWords,
) {
  const draft = editor.draft;
  const errors = editor.errors;
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
    aria-busy=${editor.saving ? 'true' : 'false'}
    @submit=${(event: Event) => {
      event.preventDefault();
      void editor.save();
    }}
  >
    <h2 id="heading">${editor.stored ? words.editorEdit : words.editorNew}</h2>
    ${editor.conflict ? conflictPanel(editor, editor.conflict.lines, words) : nothing}
    ${textField('title', words.fieldTitle, draft.title, errors, (title) => editor.edit({ title }), { max: LIMITS.goalTitle })}
    <div class="field">
      <label for="description">${words.fieldDescription}</label>
      <textarea
        id="description"
        maxlength=${LIMITS.goalDescription}
        .value=${draft.description}
        aria-invalid=${errors['description'] ? 'true' : 'false'}
        aria-describedby=${errors['description'] ? errorId('description') : nothing}
        @input=${(event: Event) => editor.edit({ description: (event.target as HTMLTextAreaElement).value })}
      ></textarea>
      ${errors['description'] ? html`<p id=${errorId('description')} class="field-error">${errors['description']}</p>` : nothing}
    </div>
    <div class="columns">
      ${select(
        'level',
        words.fieldLevel,
        draft.level,
        GOAL_LEVELS.map((level) => [level, levelWords[level]]),
        (level) => editor.edit({ level: level as GoalDraft['level'] }),
      )}
      ${select(
        'timeframe',
        words.timeframe,
        draft.timeframeId,
        setting.timeframes.map((tf) => [tf.id, tf.name]),
        (timeframeId) => editor.edit({ timeframeId }),
      )}
      ${picker(editor.ownerPicker, words.owner, draft.owner, false)}
      ${picker(editor.teamPicker, words.fieldTeam, draft.team, true)}
      ${picker(editor.parentPicker, words.fieldParent, draft.parent, true)}
      ${select(
        'progressSource',
        words.fieldProgressSource,
        draft.progressSource,
        PROGRESS_SOURCES.map((source) => [source, sourceWords[source]]),
        (source) => editor.edit({ progressSource: source as GoalDraft['progressSource'] }),
      )}
    </div>
    <fieldset
      part="key-results"
      class="key-results"
      @keydown=${(event: KeyboardEvent) => onRowKeydown(editor, event)}
    >
      <legend>${words.keyResults}</legend>
      ${repeat(
        draft.keyResults,
        (row) => row.key,
        (row, index) =>
          keyResultFields(row, index, count, errors, words, {
            change: (i, field, value) => changeRow(editor, i, field, value),
            move: (i, by) => moveRow(editor, i, by),
            remove: (i) => removeRow(editor, i),
          }),
      )}
      <button type="button" class="secondary add" @click=${() => addRow(editor)}>
        ${words.addKeyResult}
      </button>
    </fieldset>
    ${goalActions(editor, setting, words)}
    ${editor.confirmingDelete && editor.stored ? confirmDelete(editor, editor.stored, words) : nothing}
    ${messageRow(editor, words)}
  </form>`;
}

/** The live region with the save result, and Undo after archiving. */
export function messageRow(editor: OkrGoalEditor, words: EditorWords) {
  const message = editor.message;
  return html`<div class="message-row">
    <p part="message" class="message" role="status" data-tone=${message?.tone ?? nothing}>
      ${message?.text ?? ''}
    </p>
    ${message?.undo ? html`<button type="button" class="secondary" @click=${() => editor.archive(false)}>${words.undo}</button>` : nothing}
  </div>`;
}

function changeRow(editor: OkrGoalEditor, index: number, field: RowField, value: string): void {
  const keyResults = editor.draft.keyResults.map((row, i) =>
    i === index ? { ...row, [field]: value } : row,
  );
  editor.edit({ keyResults });
}

function addRow(editor: OkrGoalEditor): void {
  editor.edit({ keyResults: [...editor.draft.keyResults, emptyRow()] });
  const index = editor.draft.keyResults.length - 1;
  void editor.updateComplete.then(() => editor.focusField(`keyResults.${index}.title`));
}

function removeRow(editor: OkrGoalEditor, index: number): void {
  editor.edit({ keyResults: editor.draft.keyResults.filter((_, i) => i !== index) });
  editor.errors = {};
  void editor.updateComplete.then(() =>
    editor.shadowRoot!.querySelector<HTMLElement>('.add')?.focus(),
  );
}

function moveRow(editor: OkrGoalEditor, index: number, by: -1 | 1, field?: string): void {
  const to = index + by;
  const rows = [...editor.draft.keyResults];
  if (to < 0 || to >= rows.length) return;
  [rows[index], rows[to]] = [rows[to]!, rows[index]!];
  editor.edit({ keyResults: rows });
  editor.errors = {};
  editor.message = { text: fill(editor.editorWords.movedTo, { n: to + 1 }), tone: 'success' };
  // The focus moves with the row: the same field (keyboard), or the same button, or the other
  // one at either end of the list.
  void editor.updateComplete.then(() => {
    if (field) return editor.focusField(`keyResults.${to}.${field}`);
    const buttons = editor.shadowRoot!.querySelectorAll<HTMLButtonElement>(
      `fieldset.key-result:nth-of-type(${to + 1}) .row-actions button`,
    );
    const wanted = buttons[by < 0 ? 0 : 1];
    (wanted && !wanted.disabled ? wanted : buttons[by < 0 ? 1 : 0])?.focus();
  });
}

/** Alt+Arrow up/down moves the key result that holds the focus. */
function onRowKeydown(editor: OkrGoalEditor, event: KeyboardEvent): void {
  if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
  const row = (event.target as Element).closest('fieldset.key-result');
  if (!row) return;
  const index = [...editor.shadowRoot!.querySelectorAll('fieldset.key-result')].indexOf(row);
  event.preventDefault();
  const field = /^keyResults-\d+-(\w+)$/.exec((event.target as Element).id)?.[1];
  moveRow(editor, index, event.key === 'ArrowUp' ? -1 : 1, field);
}
