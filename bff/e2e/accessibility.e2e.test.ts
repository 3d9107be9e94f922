/**
 * axe (serious and critical = 0) on both demo pages, in Chromium, in the light, dark and partner
 * themes; and a demo page opened on an origin its org has not registered explains the refusal.
 *
 * Each page is checked whole in the theme it ships with (the intranet light, the partner page in
 * its brand). The other themes are applied to the widgets as a host would apply them (the
 * `theme` attribute, the partner's `--okr-*` tokens on the page root) with the page canvas to
 * match, and axe checks the widgets: the host page's own colors are its own design.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startDemoServer, watchedPage, type DemoServer } from './demo-server.js';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const partnerCss = readFileSync(
  path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../src/demo-hosts/partner/partner.css',
  ),
  'utf8',
);
/** The partner's brand tokens, as its style sheet sets them on `:root`. */
const partnerTokens = Object.fromEntries(
  [.../:root\s*\{([^}]*)\}/.exec(partnerCss)![1]!.matchAll(/(--okr-[\w-]+):\s*([^;]+);/g)].map(
    (m) => [m[1]!, m[2]!.trim()],
  ),
);

interface Theme {
  name: 'light' | 'dark' | 'partner';
  widgets: 'light' | 'dark';
  tokens: Record<string, string>;
  canvas: { background: string; color: string; scheme: 'light' | 'dark' };
}

const cleared = Object.fromEntries(Object.keys(partnerTokens).map((name) => [name, 'initial']));
const themes: Theme[] = [
  {
    name: 'light',
    widgets: 'light',
    tokens: cleared,
    canvas: { background: '#ffffff', color: '#1f2328', scheme: 'light' },
  },
  {
    name: 'dark',
    widgets: 'dark',
    tokens: cleared,
    canvas: { background: '#010409', color: '#e6edf3', scheme: 'dark' },
  },
  {
    name: 'partner',
    widgets: 'dark',
    tokens: partnerTokens,
    canvas: { background: '#10141c', color: '#e9edf5', scheme: 'dark' },
  },
];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/*
 * Browser code is handed over as text: the BFF's TypeScript has no DOM types, and this keeps
 * what runs in the page apart from what runs here.
 */

/** Serious and critical violations axe finds in `selectors` (the whole page when none). */
async function axeViolations(page: Page, selectors?: string[]): Promise<string[]> {
  await page.evaluate(axeSource);
  const context = selectors
    ? `{ include: ${JSON.stringify(selectors.map((s) => [s]))} }`
    : 'document';
  const violations = (await page.evaluate(
    `axe.run(${context}, { resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (node) =>
          `${v.id} (${v.impact}) at ${JSON.stringify(node.target)}: ${node.failureSummary ?? v.help}`,
      ),
    );
}

/** Applies a theme to every widget on the page and paints the page canvas to match. */
async function applyTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate(`(() => {
    const t = ${JSON.stringify(theme)};
    const root = document.documentElement;
    for (const [name, value] of Object.entries(t.tokens)) root.style.setProperty(name, value);
    root.style.setProperty('background', t.canvas.background);
    root.style.setProperty('color', t.canvas.color);
    root.style.setProperty('color-scheme', t.canvas.scheme);
    for (const element of document.querySelectorAll('*')) {
      if (element.localName.startsWith('okr-')) element.setAttribute('theme', t.widgets);
    }
  })()`);
  // Let the widgets take the theme before axe reads their colors.
  await until(
    page,
    `[...document.querySelectorAll('okr-goal-card, okr-goal-list, okr-alignment-tree')]
    .every((e) => e.dataset.okrTheme === ${JSON.stringify(theme.widgets)})`,
  );
}

/**
 * Polls `expression` in the page until it is true. Not `waitForFunction`: given a string, its
 * polling evaluates it with eval in the page, which the demo pages' CSP refuses whenever the
 * first check is false; `evaluate` goes through the debugger protocol, which CSP does not govern.
 */
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until every data widget has drawn its content (no skeleton left); opens the why panels. */
async function loaded(page: Page): Promise<void> {
  await page.locator('okr-alignment-tree [role="treeitem"]').first().waitFor();
  await page.locator('okr-goal-list [part="item"]').first().waitFor();
  await page.locator('okr-goal-card [part="title"]').first().waitFor();
  await until(
    page,
    `(() => {
    const deep = (root) =>
      [...root.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e, ...deep(e.shadowRoot)] : [e]));
    return !deep(document).some((e) => e.getAttribute('part') === 'skeleton');
  })()`,
  );
  await page.evaluate(`(() => {
    for (const card of document.querySelectorAll('okr-goal-card')) {
      const why = card.shadowRoot && card.shadowRoot.querySelector('[part="why"]');
      if (why) why.open = true;
    }
  })()`);
}

const dataWidgets = ['okr-goal-card', 'okr-goal-list', 'okr-alignment-tree', 'okr-check-in'];

describe('accessibility of the demo pages, and a refused origin', () => {
  let server: DemoServer;
  let browser: Browser;

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [pageName, native] of [
    ['intranet', 'light'],
    ['partner', 'partner'],
  ] as const) {
    it(`when the ${pageName} page opens in its own theme, then axe finds nothing serious or critical on the whole page`, async () => {
      const { page, problems } = await watchedPage(browser);
      await page.goto(pageName === 'intranet' ? server.demoUrl : server.partnerUrl);
      await loaded(page);
      assert.deepEqual(await axeViolations(page), [], `${pageName} in ${native}`);
      assert.deepEqual(problems, []);
      await page.close();
    });

    for (const theme of themes) {
      it(`when the ${pageName} page shows its widgets in the ${theme.name} theme, then axe finds nothing serious or critical in them`, async () => {
        const { page } = await watchedPage(browser);
        await page.goto(pageName === 'intranet' ? server.demoUrl : server.partnerUrl);
        await loaded(page);
        await applyTheme(page, theme);
        const present = (await page.evaluate(
          `${JSON.stringify(dataWidgets)}.filter((tag) => document.querySelector(tag))`,
        )) as string[];
        assert.ok(present.length >= 3, `widgets on the page: ${present.join(', ')}`);
        assert.deepEqual(await axeViolations(page, present), [], `${pageName} in ${theme.name}`);
        await page.close();
      });
    }
  }

  it('when a demo page is opened on an origin its org has not registered, then the widgets say so and the console says what to register', async () => {
    const registered = new URL(server.demoUrl);
    const elsewhere = `http://127.0.0.1:${registered.port}`;
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${elsewhere}${registered.pathname}`);
    const card = page.locator('article.news okr-goal-card');
    const detail = card.locator('[part="error"] .error-detail');
    await detail.waitFor();
    assert.equal(
      await detail.textContent(),
      `This page (${elsewhere}) is not registered to show OKRs. The browser console says what to register.`,
    );
    const consoleLines = problems.filter((p) => p.startsWith('console: okr-embed:'));
    assert.equal(consoleLines.length, 1, problems.join('\n'));
    assert.match(consoleLines[0]!, new RegExp(`origin ${elsewhere.replace(/\./g, '\\.')} `));
    assert.match(
      consoleLines[0]!,
      new RegExp(`okr org update demo --add-origin ${elsewhere.replace(/\./g, '\\.')}$`),
    );
    // The refusal was readable (a 403 the page could parse), not a failed fetch.
    assert.ok(
      problems.some((p) => p.startsWith('403 ') && p.includes('/api/v1/')),
      problems.join('\n'),
    );
    assert.ok(!problems.some((p) => p.startsWith('uncaught')), problems.join('\n'));
    await page.close();
  });
});
