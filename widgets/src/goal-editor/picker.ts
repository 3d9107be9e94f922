import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { isAbortError } from '../client/errors.js';
import type { Picked } from './goal-draft.js';

/** Long enough that typing a name makes one request, short enough to feel immediate. */
export const SEARCH_DELAY_MS = 250;

export interface PickerOption extends Picked {
  /** A second line, e.g. the goal's level. */
  hint?: string;
}

export type PickerSearch = (query: string, signal: AbortSignal) => Promise<PickerOption[]>;

export interface PickerView {
  label: string;
  selected: Picked | null;
  /** Ids of the hint and error the input is described by. */
  describedBy?: string;
  invalid?: boolean;
  words: { pickerNoMatch: string; pickerSearching: string };
}

/**
 * The WAI-ARIA combobox with a listbox popup (APG "list autocomplete"), drawn into the
 * editor's own shadow root so that its label, error and `aria-activedescendant` ids resolve.
 * Typing searches after a pause; each search aborts the one before, so a slow answer for "a"
 * never replaces the answer for "ada".
 */
export class PickerController implements ReactiveController {
  open = false;
  options: PickerOption[] = [];
  active = -1;
  searching = false;
  /** What the input shows while the user types; null shows the selection. */
  text: string | null = null;
  private timer?: ReturnType<typeof setTimeout>;
  private controller?: AbortController;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly id: string,
    private readonly search: PickerSearch,
    private readonly onPick: (picked: Picked | null) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  render(view: PickerView) {
    const { id } = this;
    const listId = `${id}-list`;
    const activeId = this.open && this.active >= 0 ? `${id}-option-${this.active}` : undefined;
    const value = this.text ?? view.selected?.label ?? '';
    // An empty listbox is not a popup to be in: it stays closed and a status line says why.
    const expanded = this.open && this.options.length > 0;
    const status = !this.open
      ? ''
      : this.searching
        ? view.words.pickerSearching
        : this.options.length === 0
          ? view.words.pickerNoMatch
          : '';
    return html`<div class="picker">
      <input
        id=${id}
        part="picker-input"
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded=${expanded ? 'true' : 'false'}
        aria-controls=${listId}
        aria-activedescendant=${activeId ?? nothing}
        aria-invalid=${view.invalid ? 'true' : 'false'}
        aria-describedby=${view.describedBy || nothing}
        .value=${value}
        @input=${this.onInput}
        @keydown=${this.onKeydown}
        @blur=${this.onBlur}
      />
      <ul
        id=${listId}
        part="picker-list"
        role="listbox"
        aria-label=${view.label}
        ?hidden=${!expanded}
      >
        ${this.options.map(
          (option, i) =>
            html`<li
              id=${`${id}-option-${i}`}
              role="option"
              aria-selected=${i === this.active ? 'true' : 'false'}
              @mousedown=${(event: Event) => event.preventDefault()}
              @click=${() => this.pick(option)}
            >
              ${option.label}${option.hint ? html` <span class="hint">${option.hint}</span>` : nothing}
            </li>`,
        )}
      </ul>
      <p id=${`${id}-status`} class="hint" role="status">${status}</p>
    </div>`;
  }

  // Arrow functions: Lit calls template listeners with the host element as `this`.
  private onInput = (event: Event): void => {
    this.text = (event.target as HTMLInputElement).value;
    this.schedule(this.text);
  };

  /** Starts a search after the pause; the previous search, if still running, is aborted. */
  private schedule(query: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(query.trim()), SEARCH_DELAY_MS);
  }

  private async run(query: string): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.searching = true;
    this.open = true;
    this.host.requestUpdate();
    try {
      const options = await this.search(query, controller.signal);
      if (controller.signal.aborted) return;
      this.options = options;
      this.active = options.length > 0 ? 0 : -1;
    } catch (error) {
      if (controller.signal.aborted || isAbortError(error)) return;
      this.options = [];
      this.active = -1;
    }
    this.searching = false;
    this.host.requestUpdate();
  }

  private onKeydown = (event: KeyboardEvent): void => {
    const count = this.options.length;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!this.open) {
          if (event.altKey || count === 0) return this.schedule(this.text ?? '');
          this.open = true;
          this.active = 0;
        } else if (count > 0) this.active = (this.active + 1) % count;
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!this.open) {
          if (count === 0) return this.schedule(this.text ?? '');
          this.open = true;
          this.active = count - 1;
        } else if (count > 0) this.active = (this.active - 1 + count) % count;
        break;
      case 'Enter': {
        const option = this.open ? this.options[this.active] : undefined;
        if (!option) return;
        // Enter picks; it must not also submit the form.
        event.preventDefault();
        this.pick(option);
        return;
      }
      case 'Escape':
        // APG: Escape closes the popup; with the popup closed it clears the text.
        if (this.open) {
          event.preventDefault();
          this.close();
        } else if (this.text) {
          event.preventDefault();
          this.text = '';
        }
        break;
      default:
        return;
    }
    this.host.requestUpdate();
  };

  /** Leaving the field keeps the selection, unless the user emptied it (which means none). */
  private onBlur = (): void => {
    if (this.text !== null && this.text.trim() === '') this.onPick(null);
    this.text = null;
    this.close();
  };

  pick(option: PickerOption): void {
    this.onPick({ id: option.id, label: option.label });
    this.text = null;
    this.close();
  }

  private close(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.open = false;
    this.active = -1;
    this.searching = false;
    this.host.requestUpdate();
  }
}
