import { expect } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { decreaseHistory, inTimeframe, increaseHistory } from './history-fixtures.js';
import { part, points, renderHistory, tooltipText } from './history-test-support.js';
import type { OkrProgressHistory } from './progress-history.js';

function focusedIndex(el: OkrProgressHistory): number | null {
  const active = el.shadowRoot!.activeElement as SVGElement | null;
  return active?.dataset['index'] === undefined ? null : Number(active.dataset['index']);
}

/** Tabs in from a button before the chart, as a keyboard user arrives at it. */
async function tabIn(el: OkrProgressHistory): Promise<void> {
  const before = document.createElement('button');
  before.textContent = 'Before the chart';
  el.parentElement!.before(before);
  before.focus();
  await sendKeys({ press: 'Tab' });
  await settle(el);
}

async function settle(el: OkrProgressHistory): Promise<void> {
  await el.updateComplete;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await el.updateComplete;
}

function centre(element: Element): [number, number] {
  const box = element.getBoundingClientRect();
  return [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
}

describe('<okr-progress-history> points', () => {
  afterEach(async () => {
    await sendMouse({ type: 'move', position: [0, 0] });
  });

  it('is one tab stop that starts on the newest check-in and shows its tooltip', async () => {
    const el = await renderHistory(increaseHistory(), inTimeframe);
    expect(tooltipText(el)).to.equal(null);
    await tabIn(el);
    expect(focusedIndex(el)).to.equal(2);
    expect(tooltipText(el)).to.equal(
      'Feb 12, 2027 150 teams of 200 teams 50% · Needs attention By Ada Lovelace Two large teams moved to the new plan.',
    );
    const tooltip = part(el, 'tooltip')!;
    expect(tooltip.getAttribute('role')).to.equal('tooltip');
    expect(points(el)[2]!.getAttribute('aria-describedby')).to.equal(tooltip.id);
    await expect(el).to.be.accessible();
  });

  it('moves between points with the arrow keys, Home and End (roving tab stop)', async () => {
    const el = await renderHistory(increaseHistory(), inTimeframe);
    await tabIn(el);
    const moves: [string, number][] = [
      ['ArrowLeft', 1],
      ['ArrowLeft', 0],
      ['ArrowLeft', 0],
      ['ArrowRight', 1],
      ['ArrowUp', 2],
      ['ArrowUp', 2],
      ['ArrowDown', 1],
      ['Home', 0],
      ['End', 2],
      ['Home', 0],
    ];
    for (const [key, expected] of moves) {
      await sendKeys({ press: key });
      await settle(el);
      expect(focusedIndex(el), `after ${key}`).to.equal(expected);
      const stops = points(el).filter((p) => p.getAttribute('tabindex') === '0');
      expect(stops.map((p) => p.dataset['index'])).to.deep.equal([String(expected)]);
    }
    expect(tooltipText(el)).to.equal(
      'Jan 10, 2027 120 teams of 200 teams 20% · On track By Ada Lovelace',
    );
    // Leaving the chart and coming back lands on the point last visited.
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    await settle(el);
    expect(focusedIndex(el)).to.equal(null);
    expect(tooltipText(el)).to.equal(null);
    await sendKeys({ press: 'Tab' });
    await settle(el);
    expect(focusedIndex(el)).to.equal(0);
  });

  it('Escape hides the tooltip of the focused point; the next point shows its own', async () => {
    const el = await renderHistory(increaseHistory(), inTimeframe);
    await tabIn(el);
    expect(tooltipText(el)).not.to.equal(null);
    await sendKeys({ press: 'Escape' });
    await settle(el);
    expect(tooltipText(el)).to.equal(null);
    expect(focusedIndex(el)).to.equal(2);
    await sendKeys({ press: 'ArrowLeft' });
    await settle(el);
    expect(tooltipText(el)).to.contain('Jan 31, 2027');
    expect(tooltipText(el)).to.contain('By Grace Hopper');
  });

  it('shows the tooltip on hover, next to the point, and hides it when the pointer leaves', async () => {
    const el = await renderHistory(decreaseHistory(), inTimeframe);
    const [first] = points(el);
    await sendMouse({ type: 'move', position: centre(first!) });
    await settle(el);
    expect(tooltipText(el)).to.equal(
      'Jan 15, 2027 7.5%, target 4% 13% · Off track By Ada Lovelace',
    );
    const tip = part(el, 'tooltip')!.getBoundingClientRect();
    const dot = first!.getBoundingClientRect();
    // Near the start and low on the chart: above the point, reaching from it towards the end.
    expect(tip.bottom).to.be.at.most(dot.top + 1);
    expect(tip.left).to.be.below(dot.right);
    expect(tip.right).to.be.above(dot.right);
    await sendMouse({ type: 'move', position: [0, 0] });
    await settle(el);
    expect(tooltipText(el)).to.equal(null);
  });

  it('is accessible in the dark theme with a tooltip open, in dark colours', async () => {
    const el = await renderHistory(increaseHistory(), inTimeframe, { theme: 'dark' });
    await tabIn(el);
    expect(tooltipText(el)).not.to.equal(null);
    await expect(el).to.be.accessible();
    expect(getComputedStyle(part(el, 'tooltip')!).backgroundColor).to.equal('rgb(13, 17, 23)');
    expect(getComputedStyle(part(el, 'pace-line')!).stroke).to.equal('rgb(145, 152, 161)');
  });

  it('has system colours for every piece of the drawing under forced colours', async () => {
    // wtr's emulateMedia cannot switch forced colours on, so the rules themselves are read.
    const el = await renderHistory(increaseHistory(), inTimeframe);
    const rules = el
      .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])
      .filter((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule)
      .filter((rule) => rule.conditionText === '(forced-colors: active)')
      .flatMap((rule) => [...rule.cssRules] as CSSStyleRule[]);
    const forced = (selector: string, property: string) =>
      rules.find((rule) => rule.selectorText === selector)?.style.getPropertyValue(property);
    expect(forced('.progress', 'stroke')).to.equal('linktext');
    expect(forced('.pace', 'stroke')).to.equal('graytext');
    expect(forced('.today', 'stroke')).to.equal('canvastext');
    expect(forced('.point', 'fill')).to.equal('canvastext');
    expect(forced('.tick', 'fill')).to.equal('canvastext');
    for (const piece of ['.progress', '.pace', '.today', '.point', '.tick', '.grid']) {
      expect(el.shadowRoot!.querySelector(piece), piece).not.to.equal(null);
    }
  });
});
