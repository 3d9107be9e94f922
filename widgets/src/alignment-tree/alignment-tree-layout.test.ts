/**
 * How the tree sits on a page: as tall as its rows up to a themable maximum, then scrolling with
 * the focused row kept in view; long titles readable at 320 px and wide, whole in the tooltip
 * and the accessible name.
 */
import { expect, fixture, html } from '@open-wc/testing';
import {
  a11ySnapshot,
  findAccessibilityNode,
  sendKeys,
  setViewport,
} from '@web/test-runner-commands';
import type { AlignmentNode } from '@okr-embed/contract';
import { alignmentTree, longTitle } from '../fixtures/goals.js';
import './alignment-tree.js';
import type { OkrAlignmentTree } from './alignment-tree.js';

const ROW = 40;

function viewportOf(el: OkrAlignmentTree): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>('[role="tree"]')!;
}

async function settled(el: OkrAlignmentTree): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await el.updateComplete;
  }
}

function row(el: OkrAlignmentTree, title: string): HTMLElement {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="treeitem"]')].find(
    (item) => item.querySelector('.title')!.textContent === title,
  )!;
}

/** Roots only, one of them with a long title. */
function rootsWithLongTitle(count: number): AlignmentNode[] {
  return alignmentTree(count, count).map((node, index) =>
    index === 1 ? { ...node, title: longTitle } : node,
  );
}

interface AxNode {
  role: string;
  name: string;
  children: AxNode[];
}

describe('<okr-alignment-tree> on the page', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('is as tall as its rows when they fit, without blank space', async () => {
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${alignmentTree(3, 3)}></okr-alignment-tree>`,
    );
    await settled(el);
    const viewport = viewportOf(el);
    expect(viewport.clientHeight).to.equal(3 * ROW);
    expect(viewport.scrollHeight).to.equal(viewport.clientHeight);
    await expect(el).to.be.accessible();
  });

  it('grows to its maximum height (24rem unless themed), then scrolls', async () => {
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${alignmentTree(40, 40)}></okr-alignment-tree>`,
    );
    await settled(el);
    const viewport = viewportOf(el);
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
    expect(viewport.clientHeight).to.equal(24 * rem);
    expect(viewport.scrollHeight).to.equal(40 * ROW);
    el.style.setProperty('--okr-alignment-tree-max-height', '200px');
    await settled(el);
    expect(viewport.clientHeight).to.equal(200);
  });

  it('scrolls the focused row into view as the keyboard moves', async () => {
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${alignmentTree(40, 40)}></okr-alignment-tree>`,
    );
    el.style.setProperty('--okr-alignment-tree-max-height', '200px');
    await settled(el);
    el.shadowRoot!.querySelector<HTMLElement>('[role="treeitem"][tabindex="0"]')!.focus();
    const inView = () => {
      const focused = el.shadowRoot!.activeElement as HTMLElement;
      const frame = viewportOf(el).getBoundingClientRect();
      const box = focused.getBoundingClientRect();
      return box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5;
    };
    await sendKeys({ press: 'End' });
    await settled(el);
    expect(
      (el.shadowRoot!.activeElement as HTMLElement).querySelector('.title')!.textContent,
    ).to.equal('Objective n40');
    expect(viewportOf(el).scrollTop).to.be.greaterThan(0);
    expect(inView(), 'the last row is in view').to.equal(true);
    for (let i = 0; i < 8; i++) await sendKeys({ press: 'ArrowUp' });
    await settled(el);
    expect(inView(), 'a row above, after scrolling up').to.equal(true);
    await sendKeys({ press: 'Home' });
    await settled(el);
    expect(viewportOf(el).scrollTop).to.equal(0);
    expect(inView()).to.equal(true);
  });

  for (const width of [320, 1024]) {
    it(`at ${width} px a long title wraps to at most two lines, cut with the whole title as tooltip and accessible name`, async () => {
      await setViewport({ width, height: 700 });
      const el = await fixture<OkrAlignmentTree>(
        html`<okr-alignment-tree .nodes=${rootsWithLongTitle(3)}></okr-alignment-tree>`,
      );
      await settled(el);
      const item = row(el, longTitle);
      const title = item.querySelector<HTMLElement>('.title')!;
      expect(title.getAttribute('title')).to.equal(longTitle);
      // Nothing of the row spills out of the tree at this width.
      const tree = viewportOf(el);
      expect(tree.scrollWidth, 'no sideways scrolling').to.equal(tree.clientWidth);
      expect(item.getBoundingClientRect().right).to.be.at.most(
        tree.getBoundingClientRect().right + 0.5,
      );
      // Two lines shown: at 320 px the rest is cut, wide it all fits; more than "Becom…" either way.
      const lineHeight = parseFloat(getComputedStyle(title).lineHeight);
      expect(title.clientHeight).to.be.closeTo(2 * lineHeight, 1);
      if (width === 320) expect(title.scrollHeight).to.be.greaterThan(title.clientHeight);
      else expect(title.scrollHeight).to.equal(title.clientHeight);
      expect(title.getBoundingClientRect().width, 'room for the title').to.be.at.least(
        width === 320 ? 110 : 500,
      );
      expect(item.getBoundingClientRect().height).to.equal(ROW);
      const snapshot = (await a11ySnapshot({})) as unknown as AxNode;
      // Named from its content, which CSS cuts only visually: the whole title, then its facts.
      const node = findAccessibilityNode<AxNode>(
        snapshot,
        (n) => n.role === 'treeitem' && n.name.startsWith(longTitle),
      );
      expect(node, 'a tree item named by the whole title').to.not.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('keeps a short title on one line', async () => {
    await setViewport({ width: 320, height: 700 });
    const el = await fixture<OkrAlignmentTree>(
      html`<okr-alignment-tree .nodes=${rootsWithLongTitle(3)}></okr-alignment-tree>`,
    );
    await settled(el);
    const title = row(el, 'Objective n1').querySelector<HTMLElement>('.title')!;
    expect(title.clientHeight).to.be.closeTo(parseFloat(getComputedStyle(title).lineHeight), 1);
    expect(title.scrollHeight).to.equal(title.clientHeight);
  });
});
