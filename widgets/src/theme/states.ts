import { html } from 'lit';
import type { OkrApiError } from '../client/errors.js';
import { fill, type Wording } from '../i18n/messages.js';

/** The error state every data widget shows: what failed, and a way to try again. */
export function errorState(words: Wording, error: OkrApiError, retry: () => void) {
  // A rate limit says when trying again can work, which helps more than the BFF's message.
  const detail =
    error.status === 429 && error.retryAfter !== null
      ? fill(words.tooManyRequests, { seconds: error.retryAfter })
      : error.message;
  return html`<div part="error" class="error-state" role="alert">
    <p class="error">${words.error} <span class="error-detail">${detail}</span></p>
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
