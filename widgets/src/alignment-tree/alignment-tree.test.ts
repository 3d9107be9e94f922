import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AlignmentNode } from '@okr-embed/contract';
import { apiError, fakeFetch, json, testToken } from '../fixtures/fake-fetch.js';
import { emit } from '../events/events.js';
import { alignmentTree, checkIn, goal, xss } from '../fixtures/goals.js';
import '../provider/provider.js';
import './alignment-tree.js';
import type { OkrAlignmentTree } from './alignment-tree.js';

/** 4 roots, each with 4 children, each of those with 4 (84 nodes in all). */
const nodes = alignmentTree(84);

function items(el: OkrAlignmentTree): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="treeitem"]')].sort(
    (a, b) => Number(a.dataset['index']) - Number(b.dataset['index']),
  );
}

function focused(el: OkrAlignmentTree): HTMLElement {
  return el.shadowRoot!.activeElement as HTMLElement;
}

function titleOf(item: Element): string {
  return item.querySelector('.title')!.textContent!;
}

async function settle(el: OkrAlignmentTree): Promise<void> {
  await el.updateComplete;
  await el.updateComplete;
}

async function until(el: OkrAlignmentTree, done: () => boolean): Promise<void> {
  while (!done()) {
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
  }
}

async function focusFirst(el: OkrAlignmentTree): Promise<void> {
  items(el)[0]!.focus();
  await settle(el);
}

describe('<okr-alignment-tree>', () => {
  it('is an accessible tree with roots open and ARIA positions on every item', async () => {
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${nodes}></okr-alignment-tree>`,
    );
    el.style.setProperty('--okr-alignment-tree-height', '1000px');
    await until(el, () => items(el).length === 20);
    await expect(el).to.be.accessible();
    const tree = el.shadowRoot!.querySelector('[role="tree"]')!;
    expect(tree.getAttribute('aria-label')).to.equal('Alignment');
    const rows = items(el);
    expect(rows).to.have.length(20);
    const first = rows[0]!;
    expect([
      first.getAttribute('aria-level'),
      first.getAttribute('aria-setsize'),
      first.getAttribute('aria-posinset'),
    ]).to.deep.equal(['1', '4', '1']);
    expect(first.getAttribute('aria-expanded')).to.equal('true');
    expect(rows[1]!.getAttribute('aria-level')).to.equal('2');
    expect(rows[1]!.getAttribute('aria-expanded')).to.equal('false');
    expect(rows.filter((row) => row.tabIndex === 0)).to.have.length(1);
    expect(rows.every((row) => row.getAttribute('aria-selected') === 'false')).to.equal(true);
  });

  it('is accessible in the dark theme with a row selected', async () => {
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree theme="dark" .nodes=${nodes}></okr-alignment-tree>`,
    );
    items(el)[1]!.click();
    await settle(el);
    expect(items(el)[1]!.getAttribute('aria-selected')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('leaves aria-expanded off leaves', async () => {
    const leaves: AlignmentNode[] = alignmentTree(3, 3);
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${leaves}></okr-alignment-tree>`,
    );
    expect(items(el).every((row) => !row.hasAttribute('aria-expanded'))).to.equal(true);
  });

  it('follows the tree keyboard map: arrows, Home, End, expand and collapse', async () => {
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${nodes}></okr-alignment-tree>`,
    );
    await focusFirst(el);
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(titleOf(focused(el))).to.equal('Objective n1.1');
    await sendKeys({ press: 'ArrowRight' });
    await settle(el);
    expect(focused(el).getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'ArrowRight' });
    await settle(el);
    expect(titleOf(focused(el))).to.equal('Objective n1.1.1');
    await sendKeys({ press: 'ArrowLeft' });
    await settle(el);
    expect(titleOf(focused(el))).to.equal('Objective n1.1');
    await sendKeys({ press: 'ArrowLeft' });
    await settle(el);
    expect(focused(el).getAttribute('aria-expanded')).to.equal('false');
    await sendKeys({ press: 'End' });
    await settle(el);
    expect(titleOf(focused(el))).to.equal('Objective n4.4');
    await sendKeys({ press: 'Home' });
    await settle(el);
    expect(titleOf(focused(el))).to.equal('Objective n1');
    await sendKeys({ press: 'ArrowUp' });
    await settle(el);
    expect(titleOf(focused(el))).to.equal('Objective n1');
    expect(items(el).filter((row) => row.tabIndex === 0)).to.deep.equal([focused(el)]);
  });

  it('mirrors left and right arrows in right-to-left pages', async () => {
    const wrapper = await fixture(
      html`<div dir="rtl"><okr-alignment-tree .nodes=${nodes}></okr-alignment-tree></div>`,
    );
    const el = wrapper.querySelector('okr-alignment-tree')!;
    await settle(el);
    await focusFirst(el);
    await sendKeys({ press: 'ArrowRight' });
    await settle(el);
    expect(items(el)[0]!.getAttribute('aria-expanded')).to.equal('false');
    await sendKeys({ press: 'ArrowLeft' });
    await settle(el);
    expect(items(el)[0]!.getAttribute('aria-expanded')).to.equal('true');
    // Left-to-right titles still line up with the right-to-left page.
    expect(getComputedStyle(items(el)[0]!.querySelector('.title')!).textAlign).to.equal('right');
  });

  it('selects with Enter and Space and fires okr-goal-select', async () => {
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${nodes}></okr-alignment-tree>`,
    );
    await focusFirst(el);
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    setTimeout(() => sendKeys({ press: 'Enter' }));
    const event = await oneEvent(el, 'okr-goal-select');
    expect(event.detail.goalId).to.equal('n1.1');
    expect(event.bubbles && event.composed).to.equal(true);
    await settle(el);
    expect(focused(el).getAttribute('aria-selected')).to.equal('true');
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    setTimeout(() => sendKeys({ press: 'Space' }));
    expect((await oneEvent(el, 'okr-goal-select')).detail.goalId).to.equal('n1.2');
  });

  it('jumps by type-ahead and expands all siblings with *', async () => {
    const named = nodes.map((node) =>
      node.id === 'n3' ? { ...node, title: 'Revenue growth' } : node,
    );
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${named}></okr-alignment-tree>`,
    );
    await focusFirst(el);
    await sendKeys({ press: 'r' });
    await settle(el);
    expect(titleOf(focused(el))).to.equal('Revenue growth');
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    await sendKeys({ press: '*' });
    await settle(el);
    const level2 = items(el).filter((row) => row.getAttribute('aria-level') === '2');
    const underN3 = level2.filter((row) => titleOf(row).startsWith('Objective n3.'));
    expect(underN3.every((row) => row.getAttribute('aria-expanded') === 'true')).to.equal(true);
  });

  it('loads children lazily when a node is expanded', async () => {
    const shallow = nodes.filter((node) => node.id.split('.').length <= 2);
    const bff = fakeFetch({
      '/alignment': (request) => {
        const root = new URL(request.url).searchParams.get('root');
        return json({
          nodes: root ? nodes.filter((n) => n.id === root || n.parentId === root) : shallow,
        });
      },
    });
    const provider = await fixture(
      html`<okr-provider
        base-url="https://bff.test"
        .tokenProvider=${async () => testToken()}
        .fetch=${bff.fetch}
      >
        <okr-alignment-tree timeframe="tf-q1" expanded-depth="5"></okr-alignment-tree>
      </okr-provider>`,
    );
    const el = provider.querySelector('okr-alignment-tree')!;
    await until(el, () => items(el).length > 0);
    expect(new URL(bff.requests[0]!.url).search).to.equal('?timeframe=tf-q1&depth=2');
    expect(items(el)[1]!.getAttribute('aria-expanded')).to.equal('false');
    await focusFirst(el);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowRight' });
    await until(el, () => items(el).some((row) => titleOf(row) === 'Objective n1.1.4'));
    expect(new URL(bff.requests[1]!.url).search).to.equal('?root=n1.1&depth=1&timeframe=tf-q1');
    expect(
      items(el)
        .find((row) => titleOf(row) === 'Objective n1.1.1')!
        .getAttribute('aria-level'),
    ).to.equal('3');
    await expect(el).to.be.accessible();
  });

  it('loads children through .loadChildren, and closes the node again when that fails', async () => {
    const shallow = nodes.filter((node) => node.id.split('.').length <= 2);
    let fail = true;
    const asked: string[] = [];
    const loadChildren = async (goalId: string) => {
      asked.push(goalId);
      if (fail) throw new Error('offline');
      return nodes.filter((node) => node.parentId === goalId);
    };
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree
        .nodes=${shallow}
        .loadChildren=${loadChildren}
      ></okr-alignment-tree>`,
    );
    const errors: DocumentEventMap['okr-error'][] = [];
    el.addEventListener('okr-error', (event) => errors.push(event));
    await focusFirst(el);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowRight' });
    await until(el, () => errors.length === 1);
    // The loader's own Error reaches the page as the one error type widgets report.
    expect([errors[0]!.detail.error.code, errors[0]!.detail.error.message]).to.deep.equal([
      'client',
      'Error: offline',
    ]);
    expect(focused(el).getAttribute('aria-expanded')).to.equal('false');
    fail = false;
    await sendKeys({ press: 'ArrowRight' });
    await until(el, () => items(el).some((row) => titleOf(row) === 'Objective n1.1.1'));
    expect(asked).to.deep.equal(['n1.1', 'n1.1']);
    expect(focused(el).getAttribute('aria-expanded')).to.equal('true');
  });

  it('refreshes a node from a check-in elsewhere on the page', async () => {
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${nodes}></okr-alignment-tree>`,
    );
    const updated = goal({
      id: 'n1.2',
      title: 'Objective n1.2',
      progress: 0.95,
      status: 'accomplished',
    });
    emit(document.body, 'okr-check-in-submitted', {
      checkIn,
      keyResult: updated.keyResults[0]!,
      goal: updated,
      progress: [],
    });
    const row = () => items(el).find((item) => titleOf(item) === 'Objective n1.2')!;
    // Patching is asynchronous: its code loads with the first change.
    await waitUntil(() => row().querySelector('okr-progress-bar')!.value === 0.95);
    await settle(el);
    expect(row().querySelector('okr-status-badge')!.status).to.equal('accomplished');
  });

  it('renders only the rows in view of 10 000 nodes and still reaches the last by End', async () => {
    const big = alignmentTree(10_000);
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree expanded-depth="10" .nodes=${big}></okr-alignment-tree>`,
    );
    await settle(el);
    expect(items(el).length).to.be.below(40);
    await focusFirst(el);
    await sendKeys({ press: 'End' });
    await until(el, () => titleOf(focused(el)) === `Objective ${big[big.length - 1]!.id}`);
    expect(items(el).length).to.be.below(40);
    expect(Number(focused(el).dataset['index'])).to.equal(9999);
    await expect(el).to.be.accessible();
  });

  it('shows loading, error with retry, and empty states', async () => {
    let answer: () => Response = () => apiError(500, 'internal', 'Something broke');
    const bff = fakeFetch({ '/alignment': () => answer() });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-alignment-tree></okr-alignment-tree>
      </okr-provider>`,
    );
    const el = provider.querySelector('okr-alignment-tree')!;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="skeleton"]')).to.not.equal(null);
    await until(el, () => el.shadowRoot!.querySelector('[part="error"]') !== null);
    await expect(el).to.be.accessible();
    answer = () => json({ nodes: [] });
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!.click();
    await until(el, () => el.shadowRoot!.querySelector('[part="empty"]') !== null);
    expect(el.shadowRoot!.querySelector('[part="empty"]')!.textContent).to.equal(
      'Nothing is aligned yet.',
    );
    await expect(el).to.be.accessible();
  });

  it('speaks German, takes wording overrides and renders hostile titles as text', async () => {
    const hostile = [{ ...nodes[0]!, title: xss, childCount: 0 }];
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree locale="de" .nodes=${hostile}></okr-alignment-tree>`,
    );
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('[role="tree"]')!.getAttribute('aria-label')).to.equal(
      'Ausrichtung',
    );
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    expect(titleOf(items(el)[0]!)).to.equal(xss);
    el.wording = { alignment: 'Goal map' };
    await settle(el);
    expect(el.shadowRoot!.querySelector('[role="tree"]')!.getAttribute('aria-label')).to.equal(
      'Goal map',
    );
  });
});
