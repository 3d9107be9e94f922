import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import type { Goal, GoalSummary } from '@okr-embed/contract';
import { elementsOf, reactEventProp } from '../../widgets/scripts/framework-bindings.mjs';
import { launchChromium, watchedPage } from './demo-server.js';
import {
  examplesDir,
  installPackedExample,
  repoRoot,
  startExampleHosts,
  type ExampleHosts,
} from './example-hosts.js';

const run = promisify(execFile);
const examples = ['react18', 'react19', 'vue3', 'html'] as const;
/** The React 18 example, with the package installed from its tarball instead of the workspace. */
const packed = 'react18-packed';

describe('the example hosts embed the widgets in React 18, React 19, Vue 3 and plain HTML', () => {
  let hosts: ExampleHosts;
  let browser: Browser;

  const api = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${hosts.bffUrl}/api/v1${route}`, {
      headers: { authorization: `Bearer ${await hosts.token()}` },
    });
    assert.equal(response.status, 200, route);
    return (await response.json()) as T;
  };

  /** One of the user's goals whose first key result takes a number (the form's first field). */
  const numericGoal = async (): Promise<Goal> => {
    const { items } = await api<{ items: GoalSummary[] }>('/goals?owner=me');
    for (const summary of items) {
      const goal = await api<Goal>(`/goals/${summary.id}`);
      const kind = goal.keyResults[0]?.kind;
      if (kind && kind !== 'boolean' && kind !== 'initiative') return goal;
    }
    throw new Error('the seeded user has no goal with a numeric key result');
  };

  before(async () => {
    hosts = await startExampleHosts();
    for (const name of examples) await hosts.buildExample(name);
    const install = await installPackedExample('react18');
    try {
      await hosts.buildApp(packed, install.root);
    } finally {
      install.remove();
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await hosts?.stop();
  });

  for (const name of [...examples, packed]) {
    it(`when the ${name} example opens, then its list shows the BFF's goals, a selection reaches the app, and a check-in persists and fills the card the app passes the goal to`, async () => {
      const { page, problems } = await watchedPage(browser);
      await page.goto(`${hosts.hostUrl}/${name}/`);
      const goal = await numericGoal();
      const keyResult = goal.keyResults[0]!;
      const value = keyResult.current === keyResult.target ? keyResult.start : keyResult.target;

      // The list loads only if the framework handed the function `tokenProvider` (or configure's).
      const title = page
        .locator('okr-goal-list [part="title"]')
        .getByText(goal.title, { exact: true });
      await title.click();
      // The app's own handler of okr-goal-select rendered this.
      await page.locator('#selected').getByText(`Selected goal: ${goal.id}`).waitFor();

      const form = page.locator('okr-check-in');
      await form.locator('[part="key-result"]').getByText(keyResult.title).waitFor();
      await form.locator('input[part="value"]').fill(String(value));
      await form.locator('[part="submit"]').click();
      await form.locator('[part="message"]').getByText('Check-in saved.').waitFor();

      const stored = await api<Goal>(`/goals/${goal.id}`);
      assert.equal(stored.keyResults[0]!.current, value, 'the check-in is stored');
      // The app put the event's goal into the card's `goal` property: an object, not an attribute.
      const card = page.locator('okr-goal-card#saved');
      await card.locator('[part="title"]').getByText(goal.title, { exact: true }).waitFor();
      assert.equal(
        Number(await card.locator('[role="progressbar"]').first().getAttribute('aria-valuenow')),
        Math.round(stored.progress * 100),
      );
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  it("when docs/embedding.md quotes an example, then the snippet is still in the example's file", () => {
    const guide = readFileSync(path.join(repoRoot, 'docs/embedding.md'), 'utf8');
    const quotes = [...guide.matchAll(/<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)];
    assert.ok(quotes.length >= 8, `the guide quotes the examples (${quotes.length} found)`);
    for (const [, file, snippet] of quotes) {
      assert.ok(readFileSync(path.join(repoRoot, file!), 'utf8').includes(snippet!), file);
    }
  });

  it('when the widgets are built, then the React, JSX and Vue bindings name every element, property and event of the manifest', () => {
    const widgets = path.join(repoRoot, 'widgets');
    const read = (file: string) => readFileSync(path.join(widgets, file), 'utf8');
    const elements = elementsOf(JSON.parse(read('custom-elements.json')));
    const [react, reactTypes, jsx, vue] = [
      'dist/react.js',
      'dist/types/react.d.ts',
      'dist/types/react-jsx.d.ts',
      'dist/types/vue.d.ts',
    ].map(read);
    assert.ok(elements.length >= 7, 'every okr-* element is in the manifest');
    for (const element of elements) {
      assert.match(react!, new RegExp(`tagName: '${element.tagName}'`));
      for (const event of element.events) {
        assert.ok(
          react!.includes(`${reactEventProp(event)}: '${event}'`),
          `${element.tagName} ${event}`,
        );
        assert.ok(reactTypes!.includes(`OkrEventMap['${event}']`), event);
      }
      for (const types of [jsx!, vue!]) {
        const entry = types.split('\n').find((line) => line.includes(`'${element.tagName}':`));
        assert.ok(entry, element.tagName);
        for (const name of [...element.properties, ...element.events]) {
          assert.ok(entry.includes(`'${name}'`), `${element.tagName} ${name}`);
        }
      }
    }
  });

  it('when the examples are type-checked (tsc, vue-tsc with strictTemplates), then there are no errors', async () => {
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    const vueTsc = path.join(repoRoot, 'node_modules/vue-tsc/bin/vue-tsc.js');
    // Two at a time: the machine has two cores.
    const check = (name: string) =>
      run(
        process.execPath,
        [name === 'vue3' ? vueTsc : tsc, '--noEmit', '-p', path.join(examplesDir, name)],
        { cwd: repoRoot },
      );
    // A failing check rejects with the compiler's output in the message.
    await Promise.all([check('react18'), check('vue3')]);
    await Promise.all([check('react19'), check('html')]);
  });
});
