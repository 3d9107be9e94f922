import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, startDemoServer, type DemoServer } from './demo-server.js';

describe('demo intranet page against a live BFF', () => {
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

  it('when the BFF runs, then /healthz answers 200', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    assert.equal(response.status, 200);
  });

  it('when the demo page opens, then its goal cards show the goals the BFF serves, with no console error', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(server.demoUrl);
    const card = page.locator('okr-goal-card').first();
    const goalId = await card.getAttribute('goal-id');
    assert.ok(goalId, 'the demo page has a goal card with a goal-id');

    // What the BFF says about that goal, fetched with a token from the demo's token endpoint.
    const tokenResponse = await fetch(`${server.baseUrl}/demo/token`, { method: 'POST' });
    assert.equal(tokenResponse.status, 200);
    const { token } = (await tokenResponse.json()) as { token: string };
    const goalResponse = await fetch(`${server.baseUrl}/api/v1/goals/${goalId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(goalResponse.status, 200);
    const goal = (await goalResponse.json()) as { title: string };

    // Playwright's locators pierce open shadow roots, so this finds the card's rendered title.
    await card.getByText(goal.title, { exact: true }).waitFor({ timeout: 15_000 });
    const progressBars = await card.getByRole('progressbar').count();
    assert.ok(progressBars >= 1, 'the card shows the goal progress as a progress bar');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
