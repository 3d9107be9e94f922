import { expect } from '@open-wc/testing';
import { property } from 'lit/decorators.js';
import { OkrElement } from './okr-element.js';

/*
 * An element loaded on demand may be created before it is defined; React 19 then sets
 * `goalId` as an attribute, which HTML stores as `goalid`. Once defined, the element must read it.
 */
class EarlyAttributes extends OkrElement {
  @property({ attribute: 'goal-id' }) goalId?: string;
  @property({ attribute: 'expanded-depth', type: Number }) expandedDepth = 1;
}

describe('attributes set before an element is defined', () => {
  it('when goalId and expandedDepth arrive as lower-cased attributes, then the defined element takes them over', async () => {
    const el = document.createElement('okr-early-attributes') as EarlyAttributes;
    el.setAttribute('goalId', 'g-1');
    el.setAttribute('expandedDepth', '3');
    document.body.append(el);
    customElements.define('okr-early-attributes', EarlyAttributes);
    await el.updateComplete;
    expect(el.goalId).to.equal('g-1');
    expect(el.expandedDepth).to.equal(3);
    expect(el.getAttribute('goal-id')).to.equal('g-1');
    expect(el.hasAttribute('goalid')).to.equal(false);
    el.remove();
  });

  it('when the proper attribute is there too, then it wins', async () => {
    const el = document.createElement('okr-early-attributes') as EarlyAttributes;
    el.setAttribute('goal-id', 'kept');
    el.setAttribute('goalid', 'ignored');
    document.body.append(el);
    await el.updateComplete;
    expect(el.goalId).to.equal('kept');
    el.remove();
  });
});
