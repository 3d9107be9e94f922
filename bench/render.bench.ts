/**
 * Widget rendering in Chromium, data passed by property (no BFF): the alignment tree fully
 * expanded with 100 and with 10 000 nodes, and a goal list of 100 cards next to one of 10.
 * Time runs from adding the element to the first frame that shows its rows; the DOM count
 * walks every element of the page, shadow roots included.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { median, type Row } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, '../widgets/dist/okr-embed.js');
const RUNS = 9;

interface Rendered {
  ms: number;
  elements: number;
  rows: number;
}

/** Runs in the page: builds the data, times the element until its rows are on screen. */
function renderInPage([tag, count, expandedDepth]: [string, number, number]): Promise<Rendered> {
  const owner = { id: 'u1', name: 'Ada Lovelace', avatarUrl: null };
  const statuses = ['on_track', 'needs_attention', 'off_track', 'accomplished', 'not_started'];
  const timeframe = { id: 'tf', name: 'Q1 2027', startDate: '2027-01-01', endDate: '2027-03-31' };
  // A balanced tree, five children per node, like the demo seed's generated goals.
  const items = Array.from({ length: count }, (_, i) => {
    const parent = i === 0 ? null : Math.floor((i - 1) / 5);
    return {
      id: `g${i}`,
      parentId: parent === null ? null : `g${parent}`,
      title: `Goal ${i + 1}`,
      level: i === 0 ? 'company' : 'team',
      status: statuses[i % statuses.length],
      progress: (i % 100) / 100,
      owner,
      depth: i === 0 ? 0 : Math.floor(Math.log(4 * i + 1) / Math.log(5)),
      childCount: Math.max(0, Math.min(5, count - 1 - 5 * i)),
      team: null,
      timeframe,
      keyResultCount: 2,
      version: 1,
      updatedAt: '2027-01-15T10:00:00Z',
    };
  });
  const countElements = (root: Document | ShadowRoot | Element): number => {
    let total = 0;
    for (const element of root.querySelectorAll('*')) {
      total += 1;
      if (element.shadowRoot) total += countElements(element.shadowRoot);
    }
    return total;
  };
  const rowsOf = (element: Element) =>
    element.shadowRoot?.querySelectorAll('[role=treeitem], [role=listitem], li, okr-goal-card')
      .length ?? 0;
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  return (async () => {
    document.body.replaceChildren();
    const start = performance.now();
    const element = document.createElement(tag) as HTMLElement & {
      updateComplete: Promise<boolean>;
      [key: string]: unknown;
    };
    element.style.cssText = 'display:block;height:600px';
    if (tag === 'okr-alignment-tree') {
      element.expandedDepth = expandedDepth;
      element.nodes = items;
    } else {
      element.limit = count;
      element.goals = items;
    }
    document.body.append(element);
    await element.updateComplete;
    // A virtualised tree renders its rows once it knows its viewport: wait for them.
    for (let i = 0; i < 300 && rowsOf(element) === 0; i++) {
      await frame();
      await element.updateComplete;
    }
    await frame();
    const ms = performance.now() - start;
    return { ms, elements: countElements(document), rows: rowsOf(element) };
  })();
}

interface Case {
  tag: string;
  count: number;
  /** For the tree: 50 opens every level (10 000 visible rows), 1 is the element's default. */
  expandedDepth?: number;
}

/**
 * Renders each case RUNS times, the cases taking turns, so that a burst of load from other
 * work on the machine hits both sides of a ratio alike; answers the median per case.
 */
async function measure(page: Page, cases: Case[]) {
  const runs: Rendered[][] = cases.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [i, c] of cases.entries()) {
      const args: [string, number, number] = [c.tag, c.count, c.expandedDepth ?? 50];
      runs[i]?.push(await page.evaluate(renderInPage, args));
    }
  }
  return cases.map((c, i) => {
    const all = runs[i] ?? [];
    const last = all[all.length - 1];
    if (!last || last.rows === 0)
      throw new Error(`<${c.tag}> with ${c.count} items rendered no rows`);
    return { ms: median(all.map((r) => r.ms)), elements: last.elements, rows: last.rows };
  });
}

export async function benchRendering(): Promise<Row[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setContent('<!doctype html><html lang="en"><body></body></html>');
    // tsx compiles with esbuild's keepNames, whose `__name` helper the page does not have.
    await page.evaluate('window.__name = (target) => target');
    await page.addScriptTag({ path: bundle, type: 'module' });
    await page.waitForFunction(
      () => customElements.get('okr-alignment-tree') && customElements.get('okr-goal-list'),
    );
    const tree = 'okr-alignment-tree';
    // Warm-up: JIT and style sheets.
    await measure(page, [
      { tag: tree, count: 100 },
      { tag: 'okr-goal-list', count: 10 },
    ]);
    const [small, large, largeDefault] = (await measure(page, [
      { tag: tree, count: 100 },
      { tag: tree, count: 10_000 },
      { tag: tree, count: 10_000, expandedDepth: 1 },
    ])) as [Rendered, Rendered, Rendered];
    const [fewCards, cards] = (await measure(page, [
      { tag: 'okr-goal-list', count: 10 },
      { tag: 'okr-goal-list', count: 100 },
    ])) as [Rendered, Rendered];
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    const timeRatio = large.ms / small.ms;
    const domRatio = large.elements / small.elements;
    return [
      {
        section: 'Render',
        name: 'tree, 100 nodes, all expanded: first render',
        value: small.ms,
        unit: 'ms',
        note: `${small.elements} elements, ${small.rows} rows`,
      },
      {
        section: 'Render',
        name: 'tree, 10 000 nodes, all expanded: first render',
        value: large.ms,
        unit: 'ms',
        baseline: { name: '100 nodes', value: small.ms },
        ratio: timeRatio,
        budget: '≤ 2×',
        pass: timeRatio <= 2,
      },
      {
        section: 'Render',
        name: 'tree, 10 000 nodes, top level expanded (default): first render',
        value: largeDefault.ms,
        unit: 'ms',
        baseline: { name: '100 nodes', value: small.ms },
        ratio: largeDefault.ms / small.ms,
      },
      {
        section: 'Render',
        name: 'tree, 10 000 nodes: DOM elements (shadow roots included)',
        value: large.elements,
        unit: '',
        baseline: { name: '100 nodes', value: small.elements },
        ratio: domRatio,
        budget: 'bounded: ≤ 2×',
        pass: domRatio <= 2,
        note: `${large.rows} rows in the DOM`,
      },
      {
        section: 'Render',
        name: 'goal list, 100 cards: first render',
        value: cards.ms,
        unit: 'ms',
        baseline: { name: '10 cards', value: fewCards.ms },
        ratio: cards.ms / fewCards.ms,
        note: `${cards.elements} elements vs ${fewCards.elements}, ${cards.rows} rows`,
      },
    ];
  } finally {
    await browser.close();
  }
}
