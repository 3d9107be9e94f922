/**
 * Planning a quarter on the demo intranet, as a user does it: write an objective with two key
 * results in the goal editor, align it under a company goal, see it in My OKRs and in the tree
 * without a reload, check in on it, and see the check-in as a point of its history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Goal } from '@okr-embed/contract';
import {
  hostToken,
  launchChromium,
  startDemoServer,
  watchedPage,
  type DemoServer,
} from './demo-server.js';

const COMPANY_GOAL = 'Become the most trusted OKR tool for mid-size companies';

describe('planning a quarter in the demo intranet', () => {
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

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await hostToken(server.demoUrl)}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(
      response.ok,
      `${method} ${path}: ${response.status} ${await response.clone().text()}`,
    );
    return (await response.json()) as T;
  }

  it('when Kim writes an objective with two key results aligned under a company goal, then My OKRs and the tree show it without reload, and a check-in becomes a history point', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(server.demoUrl);
    const title = `Launch the partner portal ${Date.now()}`;
    const editor = page.locator('okr-goal-editor');
    await editor.locator('#title').fill(title);
    await editor.getByRole('button', { name: 'Add key result' }).click();
    await editor.locator('#keyResults-0-title').fill('Partners live on the portal');
    await editor.locator('#keyResults-0-target').fill('10');
    await editor.getByRole('button', { name: 'Add key result' }).click();
    await editor.locator('#keyResults-1-title').fill('Portal satisfaction');
    await editor.locator('#keyResults-1-target').fill('80');
    // The parent picker searches as one types; pick the company goal from its options.
    await editor.locator('#parent').fill('trusted OKR tool');
    await editor.getByRole('option', { name: COMPANY_GOAL }).click();

    // Browser code, as a string: this project's types know no DOM.
    const saved = page.evaluate<string>(`new Promise((resolve) =>
      document.addEventListener('okr-goal-saved', (event) => resolve(event.detail.goal.id), {
        once: true,
      }))`);
    const requests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/v1/')) requests.push(`${request.method()} ${url.pathname}`);
    });
    await editor.locator('[part="submit"]').click();
    const goalId = await saved;
    assert.equal(requests.filter((r) => r === 'POST /api/v1/goals').length, 1, 'one request');

    const stored = await api<Goal>('GET', `/goals/${goalId}`);
    assert.equal(stored.title, title);
    assert.equal(stored.parent?.title, COMPANY_GOAL);
    assert.deepEqual(
      stored.keyResults.map((kr) => kr.title),
      ['Partners live on the portal', 'Portal satisfaction'],
    );

    // Without a reload: the list and the tree learn of it from the live stream.
    await page.locator('okr-goal-list [part="item"]').filter({ hasText: title }).waitFor();
    await page.locator('okr-alignment-tree [role="treeitem"]').filter({ hasText: title }).waitFor();

    const [first] = stored.keyResults;
    await api('POST', `/key-results/${first!.id}/check-ins`, { value: 4, comment: 'Four live' });
    await page.evaluate(`{
      const history = document.createElement('okr-progress-history');
      history.setAttribute('key-result-id', ${JSON.stringify(first!.id)});
      document.querySelector('.plan').append(history);
    }`);
    const history = page.locator('okr-progress-history');
    await history.locator('[part="point"]').first().waitFor({ state: 'attached' });
    assert.equal(await history.locator('[part="point"]').count(), 1);
    assert.match(await history.locator('[part="table"]').innerText(), /Four live/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
