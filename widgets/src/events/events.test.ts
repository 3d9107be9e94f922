import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { OkrApiError } from '../client/errors.js';
import { emit, listenOnPage } from './events.js';

/** A bare Lit element that notes which goals were selected anywhere on the page. */
class PageListener extends LitElement {
  heard: string[] = [];
  constructor() {
    super();
    listenOnPage(this, 'okr-goal-select', (event) => this.heard.push(event.detail.goalId));
  }
}
customElements.define('test-page-listener', PageListener);

describe('widget events', () => {
  it('bubble out of shadow roots to the document, typed by the event map', () => {
    const host = document.createElement('div');
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    const seen: string[] = [];
    const onSelect = (event: HTMLElementEventMap['okr-goal-select']) =>
      seen.push(event.detail.goalId);
    const onError = (event: DocumentEventMap['okr-error']) => seen.push(event.detail.error.code);
    host.addEventListener('okr-goal-select', onSelect);
    document.addEventListener('okr-error', onError);
    emit(inner, 'okr-goal-select', { goalId: 'g-7' });
    emit(inner, 'okr-error', {
      error: new OkrApiError({ status: 404, code: 'not_found', message: 'gone' }),
    });
    document.removeEventListener('okr-error', onError);
    host.remove();
    expect(seen).to.deep.equal(['g-7', 'not_found']);
  });

  it('listenOnPage hears the page only while its element is connected', async () => {
    const el = await fixture<PageListener>(html`<test-page-listener></test-page-listener>`);
    const parent = el.parentElement!;
    emit(document.body, 'okr-goal-select', { goalId: 'while-on-page' });
    el.remove();
    emit(document.body, 'okr-goal-select', { goalId: 'after-removal' });
    parent.append(el);
    emit(document.body, 'okr-goal-select', { goalId: 'back-again' });
    expect(el.heard).to.deep.equal(['while-on-page', 'back-again']);
  });
});
