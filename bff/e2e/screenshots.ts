/**
 * `npm run screenshots`: starts the demo as `npm start` does, opens both demo pages in Chromium
 * once their widgets have loaded, and writes docs/screenshots/{intranet,partner}.png for the
 * README. Nothing here is drawn by hand.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, startDemoServer } from './demo-server.js';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
mkdirSync(out, { recursive: true });

const server = await startDemoServer();
const browser = await launchChromium();
try {
  for (const [name, url] of [
    ['intranet', server.demoUrl],
    ['partner', server.partnerUrl],
  ] as const) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await page.locator('okr-goal-card [part="title"]').first().waitFor();
    await page.locator('okr-goal-list [part="item"]').first().waitFor();
    await page.locator('okr-alignment-tree [role="treeitem"]').first().waitFor();
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
