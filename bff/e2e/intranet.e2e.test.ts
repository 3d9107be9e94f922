import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import type { Goal } from '@okr-embed/contract';
import {
  hostToken,
  launchChromium,
  startDemoServer,
  watchedPage,
  type DemoServer,
} from './demo-server.js';

describe('the demo intranet embeds the widgets cross-origin, against a live BFF', () => {
  let server: DemoServer;
  let browser: Browser;

  const goalFromApi = async (goalId: string): Promise<Goal> => {
    const response = await fetch(`${server.baseUrl}/api/v1/goals/${goalId}`, {
      headers: { authorization: `Bearer ${await hostToken(server.demoUrl)}` },
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Goal;
  };

  const valueNow = async (bar: Locator) => Number(await bar.getAttribute('aria-valuenow'));

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('when the BFF runs, then /healthz answers 200 and the pages are on other origins', async () => {
    assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
    const origins = new Set(
      [server.baseUrl, server.demoUrl, server.partnerUrl].map((u) => new URL(u).origin),
    );
    assert.equal(origins.size, 3);
  });

  it('when the home page opens, then the news card shows the featured goal as the BFF has it and My OKRs lists goals, with no error and no CSP violation', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(server.demoUrl);
    const csp = (await page.request.get(server.demoUrl)).headers()['content-security-policy'];
    assert.ok(csp && !csp.includes('unsafe-inline'), `strict CSP: ${csp}`);

    const card = page.locator('article.news okr-goal-card');
    const goalId = await card.getAttribute('goal-id');
    assert.ok(goalId);
    const goal = await goalFromApi(goalId);
    await card.locator('[part="title"]').getByText(goal.title, { exact: true }).waitFor();
    assert.equal(await card.locator('[part="key-result"]').count(), goal.keyResults.length);

    const rows = page.locator('okr-goal-list [part="item"]');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 1);
    await page.locator('okr-alignment-tree [role="treeitem"]').first().waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('when the user walks the alignment tree by keyboard, then focus, selection and expansion follow the keys', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(server.demoUrl);
    const tree = page.locator('okr-alignment-tree');
    const items = tree.locator('[role="treeitem"]');
    await items.first().waitFor();
    const active = tree.locator('[role="treeitem"][tabindex="0"]');
    const activeTitle = () => active.locator('[part="title"]').innerText();

    await items.first().focus();
    const first = await activeTitle();
    await page.keyboard.press('ArrowDown');
    assert.notEqual(await activeTitle(), first, 'ArrowDown moves to the next node');
    await page.keyboard.press('Home');
    assert.equal(await activeTitle(), first, 'Home goes back to the first node');

    // The page opens the first level (expanded-depth="1"): ArrowLeft closes the root, ArrowRight
    // opens it again.
    const root = tree.locator('[role="treeitem"][data-index="0"]');
    assert.equal(await root.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowLeft');
    await assertEventually(async () => (await root.getAttribute('aria-expanded')) === 'false');
    await page.keyboard.press('ArrowRight');
    await assertEventually(async () => (await root.getAttribute('aria-expanded')) === 'true');

    await page.keyboard.press('Enter');
    assert.equal(await active.getAttribute('aria-selected'), 'true');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('when the owner checks in from the news post, then the card and the list show the new progress', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(server.demoUrl);
    const card = page.locator('article.news okr-goal-card');
    const goalId = (await card.getAttribute('goal-id'))!;
    const krId = (await page.locator('okr-check-in').getAttribute('key-result-id'))!;
    const before = await goalFromApi(goalId);
    const keyResult = before.keyResults.find((kr) => kr.id === krId)!;
    const value = keyResult.current === keyResult.target ? keyResult.start : keyResult.target;

    const form = page.locator('okr-check-in');
    await form.locator('input[part="value"]').fill(String(value));
    await form.locator('[part="submit"]').click();
    await form.locator('[part="message"]').getByText('Check-in saved.').waitFor();

    const after = await goalFromApi(goalId);
    assert.notEqual(after.progress, before.progress, 'the check-in moved the goal');
    const percent = Math.round(after.progress * 100);
    const cardBar = card
      .locator('[part="progress"] [role="progressbar"], [role="progressbar"]')
      .first();
    await assertEventually(async () => (await valueNow(cardBar)) === percent);
    const listBar = page
      .locator('okr-goal-list [part="item"]')
      .filter({ hasText: after.title })
      .locator('[role="progressbar"]');
    // The featured goal is the user's own, so My OKRs lists it too.
    assert.equal(await listBar.count(), 1);
    await assertEventually(async () => (await valueNow(listBar)) === percent);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('when the token has expired while the page sat open, then the widgets fetch a new one without the user noticing', async () => {
    const { page, problems } = await watchedPage(browser);
    let tokenRequests = 0;
    page.on('request', (request) => {
      if (request.url() === new URL('/token', server.demoUrl).href) tokenRequests += 1;
    });
    await page.clock.install();
    await page.goto(server.demoUrl);
    const card = page.locator('article.news okr-goal-card');
    await card.locator('[part="title"]').waitFor();
    assert.equal(tokenRequests, 1, 'one token for every widget on the page');

    // The laptop lid was closed for an hour: the 5-minute token is long expired.
    await page.clock.fastForward('01:00:00');
    await card.evaluate((element) => (element as unknown as { reload(): void }).reload());
    await card.locator('[part="title"]').waitFor();
    // At least one new token: the live stream, reconnecting after the jump, may ask too.
    await assertEventually(async () => tokenRequests >= 2);
    assert.equal(await card.locator('[part="error"]').count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('when the BFF is slow, then the widgets show their loading skeletons and then the data, with no error', async () => {
    const { page, problems } = await watchedPage(browser);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const api = `${server.baseUrl}/api/**`;
    await page.route(api, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(server.demoUrl);
    const card = page.locator('article.news okr-goal-card');
    await card.locator('[part="skeleton"]').waitFor();
    await page.locator('okr-goal-list [part="skeleton"]').waitFor();
    assert.equal(await card.locator('[part="title"]').count(), 0);

    release();
    await card.locator('[part="title"]').waitFor();
    await page.locator('okr-goal-list [part="item"]').first().waitFor();
    assert.equal(await card.locator('[part="skeleton"]').count(), 0);
    assert.deepEqual(problems, []);
    await page.unroute(api);
    await page.close();
  });

  it('when the BFF is stopped, then the card shows an error, and Retry recovers once it is back', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(server.demoUrl);
    const card = page.locator('article.news okr-goal-card');
    await card.locator('[part="title"]').waitFor();

    // The whole `okr serve --demo` process stops; the page stays open in the browser.
    await server.halt();
    await card.evaluate((element) => (element as unknown as { reload(): void }).reload());
    await card.locator('[part="error"]').waitFor();
    assert.equal(await card.locator('[part="title"]').count(), 0);

    await server.start();
    await card.locator('[part="retry"]').click();
    await card.locator('[part="title"]').waitFor();
    assert.equal(await card.locator('[part="error"]').count(), 0);
    // While the BFF was down the browser logged the refused requests; nothing was thrown.
    assert.deepEqual(
      problems.filter((problem) => problem.startsWith('uncaught') || problem.startsWith('csp')),
      [],
    );
    await page.close();
  });
});

async function assertEventually(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
