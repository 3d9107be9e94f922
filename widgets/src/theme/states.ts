import { html } from 'lit';
import { refusedOrigin, type OkrApiError } from '../client/errors.js';
import type { ResourceController } from '../client/resource-controller.js';
import { fill, type Wording } from '../i18n/messages.js';

/*
 * The states every data widget shows besides its content, drawn alike everywhere;
 * states.styles.ts is their look.
 */

/** The error state every data widget shows: what failed, and a way to try again. */
function errorState(words: Wording, error: OkrApiError, retry: () => void) {
  // A rate limit says when trying again can work, which helps more than the BFF's message; a
  // refused origin is told in the reader's words (the command to run is for the console).
  const refused = refusedOrigin(error);
  const detail =
    error.status === 429 && error.retryAfter !== null
      ? fill(words.tooManyRequests, { seconds: error.retryAfter })
      : refused
        ? fill(words.originNotAllowed, { origin: refused.origin })
        : error.message;
  return html`<div part="error" class="error-state" role="alert">
    <p class="error">${words.error} <span class="error-detail">${detail}</span></p>
    <button part="retry" class="retry" type="button" @click=${retry}>${words.retry}</button>
  </div>`;
}

/** The loading state: a shape of the content (`lines` name the skeleton kinds), announced once as busy. */
function loadingState(words: Wording, lines: string[]) {
  return html`<div part="skeleton" class="skeleton-state" aria-busy="true">
    <span class="visually-hidden" role="status">${words.loading}</span>
    ${lines.map((kind) => html`<span class="skeleton ${kind}"></span>`)}
  </div>`;
}

/** Until a resource has loaded: its error with a retry that loads it again, else the skeleton. */
export function pendingState(
  words: Wording,
  resource: ResourceController<unknown>,
  lines: string[],
) {
  const state = resource.state;
  return state.status === 'error'
    ? errorState(words, state.error, () => resource.retry())
    : loadingState(words, lines);
}

/** Content that loaded but holds nothing, said in words rather than left blank. */
export function emptyState(text: string) {
  return html`<p part="empty" class="empty">${text}</p>`;
}
