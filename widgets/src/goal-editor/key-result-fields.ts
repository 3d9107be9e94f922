import { html, nothing } from 'lit';
import { KEY_RESULT_KINDS, LIMITS, type KeyResultKind } from '@okr-embed/contract';
import { fill } from '../i18n/messages.js';
import type { EditorWords as Wording } from './editor-words.js';
import { hasRange, hasThreshold, type FieldErrors, type KeyResultRow } from './goal-draft.js';

export type RowField = 'title' | 'kind' | 'start' | 'target' | 'unit' | 'weight';

export interface RowHandlers {
  change: (index: number, field: RowField, value: string) => void;
  move: (index: number, by: -1 | 1) => void;
  remove: (index: number) => void;
}

export function kindWords(words: Wording): Record<KeyResultKind, string> {
  return {
    increase: words.kindIncrease,
    decrease: words.kindDecrease,
    stay_above: words.kindStayAbove,
    stay_below: words.kindStayBelow,
    boolean: words.kindBoolean,
    initiative: words.kindInitiative,
  };
}

/** The id of a field's input and of its error, shared with the element's focus handling. */
export const fieldId = (field: string) => field.replace(/\./g, '-');
export const errorId = (field: string) => `${fieldId(field)}-error`;

/** A labelled input with its error linked by `aria-describedby`. */
export function textField(
  field: string,
  label: string,
  value: string,
  errors: FieldErrors,
  onInput: (value: string) => void,
  options: { type?: string; max?: number; hint?: string; hintId?: string } = {},
) {
  const error = errors[field];
  const describedBy = [options.hintId, error && errorId(field)].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${fieldId(field)}>${label}</label>
    <input
      id=${fieldId(field)}
      type=${options.type ?? 'text'}
      inputmode=${options.type === 'number' ? 'decimal' : nothing}
      step=${options.type === 'number' ? 'any' : nothing}
      maxlength=${options.max ?? nothing}
      .value=${value}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${describedBy || nothing}
      @input=${(event: Event) => onInput((event.target as HTMLInputElement).value)}
    />
    ${error ? html`<p id=${errorId(field)} class="field-error">${error}</p>` : nothing}
  </div>`;
}

/**
 * One key result as a fieldset, its fields fitted to its kind: start, target and unit for
 * increase and decrease; a threshold for stay above/below; none for done/not done and
 * initiatives, whose bounds are fixed (0 to 1) and whose value only check-ins move.
 */
export function keyResultFields(
  row: KeyResultRow,
  index: number,
  count: number,
  errors: FieldErrors,
  words: Wording,
  on: RowHandlers,
) {
  const at = `keyResults.${index}`;
  const n = index + 1;
  const set = (field: RowField) => (value: string) => on.change(index, field, value);
  const kinds = kindWords(words);
  const hintId = `${fieldId(at)}-hint`;
  return html`<fieldset part="key-result" class="key-result" data-key=${row.key}>
    <legend>${fill(words.keyResultN, { n })}</legend>
    ${textField(`${at}.title`, words.fieldTitle, row.title, errors, set('title'), {
      max: LIMITS.keyResultTitle,
    })}
    <div class="field">
      <label for=${fieldId(`${at}.kind`)}>${words.krKind}</label>
      <select
        id=${fieldId(`${at}.kind`)}
        @change=${(event: Event) => set('kind')((event.target as HTMLSelectElement).value)}
      >
        ${KEY_RESULT_KINDS.map(
          (kind) =>
            html`<option value=${kind} ?selected=${kind === row.kind}>${kinds[kind]}</option>`,
        )}
      </select>
    </div>
    <div class="numbers">
      ${
        hasRange(row.kind)
          ? textField(`${at}.start`, words.krStart, row.start, errors, set('start'), {
              type: 'number',
            })
          : nothing
      }
      ${
        hasRange(row.kind) || hasThreshold(row.kind)
          ? html`${textField(
              `${at}.target`,
              hasRange(row.kind) ? words.krTarget : words.krThreshold,
              row.target,
              errors,
              set('target'),
              { type: 'number' },
            )}
            ${textField(`${at}.unit`, words.krUnit, row.unit, errors, set('unit'), {
              max: LIMITS.keyResultUnit,
            })}`
          : html`<p id=${hintId} class="hint kind-hint">
              ${row.kind === 'boolean' ? words.krBooleanHint : words.krInitiativeHint}
            </p>`
      }
      ${textField(`${at}.weight`, words.krWeight, row.weight, errors, set('weight'), { type: 'number' })}
    </div>
    <div class="row-actions">
      <button
        type="button"
        class="secondary"
        aria-label=${fill(words.moveUp, { n })}
        ?disabled=${index === 0}
        @click=${() => on.move(index, -1)}
      >
        ↑
      </button>
      <button
        type="button"
        class="secondary"
        aria-label=${fill(words.moveDown, { n })}
        ?disabled=${index === count - 1}
        @click=${() => on.move(index, 1)}
      >
        ↓
      </button>
      <button type="button" class="secondary" @click=${() => on.remove(index)}>
        ${fill(words.removeKeyResult, { n })}
      </button>
    </div>
  </fieldset>`;
}
