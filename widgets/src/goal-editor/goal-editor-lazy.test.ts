import { expect } from '@open-wc/testing';

/**
 * The editor is not in okr-embed.js: the built bundle must fetch the editor's on-demand chunk
 * when the tag appears, and that chunk must define the element. A frame loads the built
 * files (widgets/dist, made by the build step before the widget tests) and nothing else.
 */
function frameWithBundle(): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><head><title>lazy</title></head><body>
    <script type="module" src="/widgets/dist/okr-embed.js"></script></body></html>`;
  const loaded = new Promise<HTMLIFrameElement>((resolve) =>
    frame.addEventListener('load', () => resolve(frame), { once: true }),
  );
  document.body.append(frame);
  return loaded;
}

describe('<okr-goal-editor> from the built files', () => {
  it('is loaded from its chunk when the tag appears, and renders', async () => {
    const frame = await frameWithBundle();
    const win = frame.contentWindow!;
    await win.customElements.whenDefined('okr-goal-card');
    expect(win.customElements.get('okr-goal-editor'), 'not in okr-embed.js').to.equal(undefined);
    win.document.body.append(win.document.createElement('okr-goal-editor'));
    await win.customElements.whenDefined('okr-goal-editor');
    const files = win.performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname);
    expect(
      files.some((file) => /^\/widgets\/dist\/chunks\/goal-editor-[\w-]+\.js$/.test(file)),
    ).to.equal(true, files.join(', '));
    expect(files).not.to.include('/widgets/dist/okr-goal-editor.js');
    const editor = win.document.querySelector('okr-goal-editor') as HTMLElement & {
      updateComplete: Promise<unknown>;
    };
    await editor.updateComplete;
    // No BFF configured in the frame: the editor waits (its skeleton), it does not throw.
    expect(editor.shadowRoot!.querySelector('[part="skeleton"]')).not.to.equal(null);
    frame.remove();
  });
});
