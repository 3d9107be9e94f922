import { fixture, html } from '@open-wc/testing';
import type { Goal, Me } from '@okr-embed/contract';
import { fakeFetch, testToken, type RecordedRequest, type Route } from '../fixtures/fake-fetch.js';
import '../provider/provider.js';
import { editorRoutes } from './editor-fixtures.js';
import './goal-editor.js';
import type { OkrGoalEditor } from './goal-editor.js';

/** Helpers the editor's test files share: mount against routes, wait, type, find. */

export async function mount(
  options: {
    goalId?: string;
    routes?: Record<string, Route>;
    me?: Me;
    goal?: Goal;
    tokenProvider?: () => Promise<string>;
  } = {},
) {
  const bff = fakeFetch(editorRoutes(options.routes, { me: options.me, goal: options.goal }));
  const provider = await fixture(
    html`<okr-provider
      base-url=""
      .tokenProvider=${options.tokenProvider ?? (async () => testToken())}
      .fetch=${bff.fetch}
    >
      ${
        options.goalId
          ? html`<okr-goal-editor goal-id=${options.goalId}></okr-goal-editor>`
          : html`<okr-goal-editor></okr-goal-editor>`
      }
    </okr-provider>`,
  );
  const el = provider.querySelector('okr-goal-editor')!;
  await until(el, () => Boolean(el.shadowRoot!.querySelector('form, [part="read-only"]')));
  return { el, bff };
}

export async function until(el: OkrGoalEditor, done: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > 5000) throw new Error('timed out waiting for the editor');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await el.updateComplete;
  }
}

export function $<T extends Element = HTMLElement>(el: OkrGoalEditor, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in the editor`);
  return found;
}

/** Sets a field as typing would, and lets the editor render. */
export async function type(el: OkrGoalEditor, id: string, value: string): Promise<void> {
  const input = $<HTMLInputElement | HTMLTextAreaElement>(el, `#${id}`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

export async function choose(el: OkrGoalEditor, id: string, value: string): Promise<void> {
  const select = $<HTMLSelectElement>(el, `#${id}`);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  await el.updateComplete;
}

export function button(el: OkrGoalEditor, text: string): HTMLButtonElement {
  const found = [...el.shadowRoot!.querySelectorAll('button')].find(
    (b) => b.textContent!.trim() === text || b.getAttribute('aria-label') === text,
  );
  if (!found) throw new Error(`no button ${text}`);
  return found;
}

export function message(el: OkrGoalEditor): string {
  return $(el, '[part="message"]').textContent!.trim();
}

export async function submit(el: OkrGoalEditor): Promise<void> {
  $<HTMLButtonElement>(el, '[part="submit"]').click();
  await el.updateComplete;
}

export function writes(bff: { requests: RecordedRequest[] }) {
  return bff.requests.filter((r) => r.method !== 'GET');
}
