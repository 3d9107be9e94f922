import { expect } from '@open-wc/testing';
import { OkrApiError } from '../client/errors.js';
import { emit } from './events.js';

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
});
