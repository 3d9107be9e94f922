/**
 * Renders every story of one stories file, the way Storybook does (project annotations from
 * `@storybook/web-components` and our `preview.ts`, so the toolbar decorator is applied), and
 * fails when a story throws, logs to `console.error`, raises an uncaught error, asks the network
 * for anything (stories must render without a BFF), renders no element with a shadow root, or
 * has an accessibility violation axe can find: once under every theme of the toolbar (light, dark,
 * the partner brand), unless the story sets its own theme.
 *
 * web-test-runner runs this module once per stories file (one group per file, see
 * `web-test-runner.config.mjs`); the page tells it which file through `window.okrStoriesFile`.
 */
import * as webComponentsAnnotations from '@storybook/web-components/entry-preview';
import { expect } from '@open-wc/testing';
import { composeStories, composeStory, setProjectAnnotations } from 'storybook/preview-api';
import preview from '../preview.js';
import { partnerBrand } from '../partner-brand.js';

declare global {
  interface Window {
    /** Browser path of the stories file this page tests; set by the test runner's HTML. */
    okrStoriesFile?: string;
  }
}

type StoriesModule = Parameters<typeof composeStories>[0];
type ComposedStory = ReturnType<typeof composeStory>;

const storiesFile = window.okrStoriesFile;
if (!storiesFile)
  throw new Error('window.okrStoriesFile is not set: run this through web-test-runner.config.mjs');

const annotations = setProjectAnnotations([webComponentsAnnotations, preview]);
const storiesModule = (await import(storiesFile)) as StoriesModule;
const meta = storiesModule.default ?? {};
const storyNames = Object.keys(composeStories(storiesModule, annotations));

/** The toolbar's themes, as preview.ts offers them. */
const toolbarThemes = (
  preview.globalTypes?.['theme']?.toolbar?.items as { value: string }[] | undefined
)?.map((item) => item.value) ?? ['light'];

type StoryAnnotations = Parameters<typeof composeStory>[0];

/** A story as Storybook renders it with the toolbar on `theme`; the story's own globals win. */
function storyUnder(name: string, theme: string): ComposedStory {
  const raw = (storiesModule as unknown as Record<string, StoryAnnotations>)[name]!;
  const own = (raw as { globals?: Record<string, unknown> }).globals;
  return composeStory(
    { ...raw, globals: { theme, ...own } } as StoryAnnotations,
    meta as Parameters<typeof composeStory>[1],
    annotations,
    undefined,
    name,
  );
}

/** Everything that went wrong while a story rendered, besides a thrown error. */
function watchForProblems(): { problems: string[]; stop: () => void } {
  const problems: string[] = [];
  const { error } = console;
  const { fetch } = window;
  console.error = (...args: unknown[]) => {
    problems.push(`console.error: ${args.map(String).join(' ')}`);
    error.apply(console, args);
  };
  window.fetch = (input) => {
    const url = input instanceof Request ? input.url : String(input);
    problems.push(`network request to ${url}: stories must render without a BFF`);
    return Promise.reject(new TypeError(`${url} is not reachable from a story`));
  };
  const onError = (event: ErrorEvent) => problems.push(`uncaught error: ${event.message}`);
  const onRejection = (event: PromiseRejectionEvent) =>
    problems.push(`unhandled rejection: ${String(event.reason)}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    problems,
    stop() {
      console.error = error;
      window.fetch = fetch;
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

/** Every element in `root`, looking into shadow roots, so nested widgets are found too. */
function deepElements(root: ParentNode): Element[] {
  return [...root.querySelectorAll('*')].flatMap((element) =>
    element.shadowRoot ? [element, ...deepElements(element.shadowRoot)] : [element],
  );
}

/** Waits until no Lit element in the canvas has a pending update (children render after parents). */
async function settle(canvas: HTMLElement): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const pending = deepElements(canvas)
      .map((element) => (element as Partial<{ updateComplete: Promise<boolean> }>).updateComplete)
      .filter((update): update is Promise<boolean> => update !== undefined);
    const settled = await Promise.all(pending);
    if (settled.every(Boolean)) return;
  }
  throw new Error('the story kept re-rendering for 10 update cycles');
}

/**
 * The element the story is about: the innermost one the meta's `component` names (the
 * decorator's own `<okr-provider>` wraps every story), else the first custom element the story
 * rendered inside that provider.
 */
function renderedElement(canvas: HTMLElement): Element | null {
  const { component } = meta as { component?: unknown };
  if (typeof component === 'string') return [...canvas.querySelectorAll(component)].at(-1) ?? null;
  const provider = canvas.querySelector('okr-provider');
  return (
    [...(provider ?? canvas).querySelectorAll('*')].find((e) => e.localName.includes('-')) ?? null
  );
}

before(async () => {
  await annotations.beforeAll?.();
});

describe(`${meta.title ?? storiesFile} (${storiesFile})`, () => {
  it('exports at least one story', () => {
    expect(storyNames.length).to.be.greaterThan(0);
  });

  it('the toolbar offers light, dark and the partner brand, which is the partner demo page', async () => {
    expect(toolbarThemes).to.deep.equal(['light', 'dark', 'partner']);
    const css = await (await fetch('/bff/src/demo-hosts/partner/partner.css')).text();
    const root = /:root\s*\{([^}]*)\}/.exec(css)![1]!;
    const tokens = Object.fromEntries(
      [...root.matchAll(/(--okr-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    expect(partnerBrand).to.deep.equal(tokens);
  });

  for (const [name, theme] of storyNames.flatMap((n) =>
    toolbarThemes.map((t) => [n, t] as const),
  )) {
    const story = storyUnder(name, theme);
    it(`${story.storyName} (toolbar theme ${theme}): renders without errors and passes axe`, async () => {
      const canvas = document.createElement('div');
      document.body.append(canvas);
      const watch = watchForProblems();
      try {
        await story.run({ canvasElement: canvas });
        await settle(canvas);
        const element = renderedElement(canvas);
        expect(element, 'the element the story renders').to.exist;
        expect(element!.shadowRoot, `<${element!.localName}> has a shadow root`).to.exist;
        // Everything the story shows, not only that element: stories render several at once.
        await expect(canvas).to.be.accessible();
        // Errors from timers and promises the render started surface a task later.
        await new Promise((resolve) => setTimeout(resolve));
        expect(watch.problems).to.deep.equal([]);
      } finally {
        watch.stop();
        canvas.remove();
      }
    });
  }
});
