import { html } from 'lit';
import type { OkrApiError } from '../client/errors.js';
import type { Wording } from '../i18n/messages.js';

/** The error state every data widget shows: what failed, and a way to try again. */
export function errorState(words: Wording, error: OkrApiError, retry: () => void) {
  return html`<div part="error" class="error-state" role="alert">
    <p class="error">${words.error} <span class="error-detail">${error.message}</span></p>
    <button part="retry" class="retry" type="button" @click=${retry}>${words.retry}</button>
  </div>`;
}

/** The loading state: a shape of the content, announced once as busy. */
export function loadingState(words: Wording, lines: string[]) {
  return html`<div part="skeleton" class="skeleton-state" aria-busy="true">
    <span class="visually-hidden" role="status">${words.loading}</span>
    ${lines.map((kind) => html`<span class="skeleton ${kind}"></span>`)}
  </div>`;
}
