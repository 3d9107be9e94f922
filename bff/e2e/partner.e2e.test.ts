import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  hostToken,
  launchChromium,
  startDemoServer,
  watchedPage,
  type DemoServer,
} from './demo-server.js';

/** Relative luminance of a computed `rgb(…)` colour, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
  return (0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)) / 255;
}

describe('the white-label partner page', () => {
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

  it('when it opens, then the widgets are dark, German, branded and say "Vorhaben", with no error and no CSP violation', async () => {
    const { page, problems } = await watchedPage(browser);
    const response = await page.goto(server.partnerUrl);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self' http:\/\/localhost:\d+/);
    assert.doesNotMatch(csp, /unsafe-inline/);

    const card = page.locator('okr-goal-card');
    const surface = card.locator('[part="card"]');
    await card.locator('[part="title"]').waitFor();
    const look = await surface.evaluate((element) => {
      const style = element.ownerDocument.defaultView!.getComputedStyle(element);
      return { background: style.backgroundColor, radius: style.borderTopLeftRadius };
    });
    assert.ok(luminance(look.background) < 0.25, `dark card surface: ${look.background}`);
    assert.equal(look.radius, '14px', "the partner's --okr-radius reaches the card");
    await card.getByText(/^Warum \d+\s?%\?$/).waitFor();
    await card.getByText('Messgrößen').waitFor();

    const list = page.locator('okr-goal-list [part="list"]');
    await list.waitFor();
    assert.equal(await list.getAttribute('aria-label'), 'Vorhaben');
    await page.locator('okr-alignment-tree [role="treeitem"]').first().waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("when the partner's token asks for the intranet's goal, then the BFF answers 404 as for a missing one", async () => {
    const intranetPage = await browser.newPage();
    await intranetPage.goto(server.demoUrl);
    const goalId = await intranetPage.locator('article.news okr-goal-card').getAttribute('goal-id');
    await intranetPage.close();
    assert.ok(goalId);

    const ask = async (host: string, id: string) =>
      fetch(`${server.baseUrl}/api/v1/goals/${id}`, {
        headers: { authorization: `Bearer ${await hostToken(host)}` },
      });
    assert.equal((await ask(server.demoUrl, goalId)).status, 200);
    const foreign = await ask(server.partnerUrl, goalId);
    const missing = await ask(server.partnerUrl, '00000000-0000-4000-8000-000000000000');
    assert.equal(foreign.status, 404);
    assert.equal(missing.status, 404);
    const code = async (answer: Response) =>
      ((await answer.json()) as { error: { code: string } }).error.code;
    assert.equal(await code(foreign), await code(missing));
  });
});
