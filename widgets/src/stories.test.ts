/**
 * Storybook's toolbar reaches the widgets only through the `<okr-provider theme locale>` that
 * storybook/preview.ts wraps every story in, so a story shows the toolbar's theme and locale only
 * if its widgets (and any provider of its own) leave them unset. Every story is rendered here as
 * that decorator does, once per toolbar setting, with the story's own `globals` winning.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import * as alignmentTree from './alignment-tree/alignment-tree.stories.js';
import * as checkIn from './check-in/check-in.stories.js';
import * as goalCard from './goal-card/goal-card.stories.js';
import * as goalEditor from './goal-editor/goal-editor.stories.js';
import * as goalList from './goal-list/goal-list.stories.js';
import * as progressBar from './progress-bar/progress-bar.stories.js';
import * as provider from './provider/provider.stories.js';
import * as statusBadge from './status-badge/status-badge.stories.js';

type Render = (args: Record<string, unknown>, context: unknown) => TemplateResult;

interface StoryShape {
  args?: Record<string, unknown>;
  globals?: { theme?: string; locale?: string };
  parameters?: { backgrounds?: unknown };
  render?: Render;
}

interface MetaShape extends StoryShape {
  title: string;
}

const storyFiles = [
  alignmentTree,
  checkIn,
  goalCard,
  goalEditor,
  goalList,
  progressBar,
  provider,
  statusBadge,
];
const toolbarSettings = [
  { theme: 'light', locale: 'en' },
  { theme: 'dark', locale: 'de' },
];

/** Widgets and story-made providers; the decorator's own provider is the story's outer element. */
function storyElements(page: Element): (HTMLElement & { locale?: string; theme?: string })[] {
  const decorator = page.querySelector('okr-provider');
  return [...page.querySelectorAll<HTMLElement>('*')].filter(
    (element) => element.localName.startsWith('okr-') && element !== decorator,
  );
}

for (const storyFile of storyFiles) {
  const { default: metaExport, ...stories } = storyFile as unknown as Record<string, StoryShape>;
  const meta = metaExport as MetaShape;

  describe(`${meta.title} stories`, () => {
    for (const [name, story] of Object.entries(stories)) {
      it(`${name} shows the toolbar's theme and locale unless it sets its own globals`, async () => {
        // Storybook 10 takes the canvas background from globals only.
        expect(story.parameters?.backgrounds).to.equal(undefined);
        const render = (story.render ?? meta.render)!;
        for (const toolbar of toolbarSettings) {
          const globals = { ...toolbar, ...story.globals };
          const page = await fixture(
            html`<div lang=${globals.locale}>
              <okr-provider theme=${globals.theme} locale=${globals.locale}>
                ${render({ ...meta.args, ...story.args }, {})}
              </okr-provider>
            </div>`,
          );
          const elements = storyElements(page);
          expect(elements, 'the story renders widgets').not.to.be.empty;
          for (const element of elements) {
            await (element as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
            const what = `<${element.localName}> with the toolbar on ${JSON.stringify(toolbar)}`;
            expect(element.locale, `${what}: own locale`).to.equal(undefined);
            if (element.localName === 'okr-provider') {
              expect(element.theme, `${what}: own theme`).to.equal(undefined);
            } else {
              expect(element.dataset['okrTheme'], `${what}: theme`).to.equal(globals.theme);
            }
          }
        }
      });
    }
  });
}
