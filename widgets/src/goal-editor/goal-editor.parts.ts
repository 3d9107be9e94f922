import { html, nothing } from 'lit';
import type { Goal, Timeframe } from '@okr-embed/contract';
import { fill } from '../i18n/messages.js';
import type { EditorWords } from './editor-words.js';
import type { OkrGoalEditor } from './goal-editor.js';

/*
 * The editor's panels beside the form fields: its actions, the conflict view and the delete
 * confirmation. They call back into the element, which owns every request and its state.
 */

/** The timeframe after the goal's: where "Copy to next quarter" carries it. */
export function nextTimeframe(timeframes: Timeframe[], goal: Goal): Timeframe | undefined {
  return [...timeframes]
    .sort((a, b) => a.startDate.localeCompare(b.startDate))
    .find((tf) => tf.startDate > goal.timeframe.startDate);
}

export function goalActions(
  editor: OkrGoalEditor,
  setting: { timeframes: Timeframe[] },
  words: EditorWords,
) {
  const goal = editor.stored;
  const next = goal && nextTimeframe(setting.timeframes, goal);
  const busy = editor.saving;
  return html`<div class="actions">
    <button part="submit" class="submit" type="submit" ?disabled=${busy}>
      ${busy ? words.saving : goal ? words.saveGoal : words.createGoal}
    </button>
    <button type="button" class="secondary" @click=${() => editor.cancel()}>${words.cancel}</button>
    ${
      goal
        ? html`<span class="spacer"></span>
            <button
              type="button"
              class="secondary"
              ?disabled=${busy}
              @click=${() => editor.archive(!goal.archived)}
            >
              ${goal.archived ? words.unarchive : words.archive}
            </button>
            ${
              next
                ? html`<button
                    type="button"
                    class="secondary"
                    ?disabled=${busy}
                    @click=${() => editor.copyTo(next)}
                  >
                    ${fill(words.copyTo, { timeframe: next.name })}
                  </button>`
                : nothing
            }
            <button
              type="button"
              class="secondary danger"
              ?disabled=${busy}
              @click=${async () => {
                editor.confirmingDelete = true;
                await editor.updateComplete;
                editor.shadowRoot!.querySelector<HTMLElement>('.confirm-delete')?.focus();
              }}
            >
              ${words.deleteGoal}
            </button>`
        : nothing
    }
  </div>`;
}

/** Names what goes with the goal: its key results, and the goals aligned under it. */
export function confirmDelete(editor: OkrGoalEditor, goal: Goal, words: EditorWords) {
  return html`<div
    part="confirm-delete"
    class="panel"
    role="group"
    aria-labelledby="confirm-delete-title"
  >
    <p id="confirm-delete-title" class="panel-title">
      ${fill(words.deleteConfirm, { title: goal.title })}
    </p>
    <p>${fill(words.deleteKeyResults, { count: goal.keyResults.length })}</p>
    <p>${fill(words.deleteChildren, { count: goal.childCount })}</p>
    <div class="actions">
      <button
        type="button"
        class="submit danger confirm-delete"
        ?disabled=${editor.saving}
        @click=${() => editor.deleteGoal()}
      >
        ${words.confirmDelete}
      </button>
      <button type="button" class="secondary" @click=${() => (editor.confirmingDelete = false)}>
        ${words.keepGoal}
      </button>
    </div>
  </div>`;
}

export function conflictPanel(editor: OkrGoalEditor, lines: string[], words: EditorWords) {
  return html`<div
    part="conflict"
    class="panel"
    role="alert"
    tabindex="-1"
    aria-labelledby="conflict-title"
  >
    <p id="conflict-title" class="panel-title">${words.conflictTitle}</p>
    <ul>
      ${lines.map((line) => html`<li>${line}</li>`)}
    </ul>
    <div class="actions">
      <button type="button" class="secondary" @click=${() => editor.reloadTheirs()}>
        ${words.reloadTheirs}
      </button>
      <button type="button" class="submit" @click=${() => editor.reapplyMine()}>
        ${words.reapplyMine}
      </button>
    </div>
  </div>`;
}
