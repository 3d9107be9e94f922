/**
 * Opens every entry of the built Storybook (`storybook-static/`, served by web-test-runner's own
 * server) in an iframe, as a visitor of the published site would, and fails when a story or docs
 * page shows Storybook's error display, logs a console error or an uncaught error, or a story
 * renders no element with a shadow root. The dev-mode story test cannot see what only the
 * production build breaks (Vite shipping standard `accessor` decorators untransformed, say).
 */
import { expect } from '@open-wc/testing';

declare global {
  interface Window {
    /** Why storybook-static cannot be tested (missing or older than its sources), if it cannot. */
    okrStaticBuildProblem?: string | null;
    /** In the built preview page: what it logged as errors (web-test-runner.config.mjs). */
    okrErrors?: string[];
  }
}

interface IndexEntry {
  id: string;
  type: 'story' | 'docs';
  title: string;
  name: string;
}

if (window.okrStaticBuildProblem) throw new Error(window.okrStaticBuildProblem);

const response = await fetch('/storybook-static/index.json');
if (!response.ok) throw new Error(`storybook-static/index.json: HTTP ${response.status}`);
const { entries } = (await response.json()) as { entries: Record<string, IndexEntry> };

/** Resolves once `check` returns true for the iframe's document, rejects after `timeout` ms. */
async function until(frame: HTMLIFrameElement, check: (doc: Document) => boolean, timeout = 15000) {
  const deadline = performance.now() + timeout;
  while (performance.now() < deadline) {
    const doc = frame.contentDocument;
    if (doc?.body && doc.location.href !== 'about:blank' && check(doc)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeout} ms`);
}

const showsError = (doc: Document) => doc.body.classList.contains('sb-show-errordisplay');

function errorShown(doc: Document): string {
  const title = doc.querySelector('#error-message')?.textContent ?? '';
  const stack = doc.querySelector('#error-stack')?.textContent ?? '';
  return `${title}\n${stack}`.trim();
}

/** The story's own element: the first custom element in the root other than the provider. */
function storyElement(doc: Document): Element | undefined {
  return [...doc.querySelectorAll('#storybook-root *')].find(
    (element) => element.localName.includes('-') && element.localName !== 'okr-provider',
  );
}

const rendered: Record<IndexEntry['type'], (doc: Document) => boolean> = {
  story: (doc) => (storyElement(doc)?.shadowRoot?.childNodes.length ?? 0) > 0,
  docs: (doc) => (doc.querySelector('#storybook-docs .sbdocs-content')?.textContent ?? '') !== '',
};

describe('storybook-static', () => {
  it('lists stories', () => {
    expect(Object.values(entries).filter((entry) => entry.type === 'story')).not.to.be.empty;
  });

  for (const entry of Object.values(entries)) {
    it(`${entry.title} › ${entry.name} (${entry.type}) renders`, async () => {
      const frame = document.createElement('iframe');
      frame.style.inlineSize = '1024px';
      frame.style.blockSize = '768px';
      frame.src = `/storybook-static/iframe.html?id=${encodeURIComponent(entry.id)}&viewMode=${entry.type}`;
      document.body.append(frame);
      try {
        await until(frame, (doc) => showsError(doc) || rendered[entry.type](doc));
        const doc = frame.contentDocument!;
        expect(showsError(doc), errorShown(doc)).to.equal(false);
        // Errors from timers and promises the render started surface a task later.
        await new Promise((resolve) => setTimeout(resolve));
        expect(frame.contentWindow!.okrErrors, 'errors the page recorded').to.deep.equal([]);
      } finally {
        frame.remove();
      }
    });
  }
});
