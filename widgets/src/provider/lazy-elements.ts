/**
 * Elements that load when first used, so the all-in-one `okr-embed.js` stays within its
 * budget: the forms (check-in, goal editor) and the progress history. The reading widgets a
 * page shows first are in the bundle itself. The build splits each into an on-demand
 * chunk (`dist/chunks/`) holding only its own code; everything it shares with the widgets
 * (Lit, the client, the theme) comes from the bundle already on the page. Pages without
 * `okr-embed.js` load the element's own, self-contained file instead (`okr-goal-editor.js`).
 */
export const lazyElements: Record<string, () => Promise<unknown>> = {
  'okr-check-in': () => import('../check-in/check-in.js'),
  'okr-goal-editor': () => import('../goal-editor/goal-editor.js'),
  'okr-progress-history': () => import('../progress-history/progress-history.js'),
};

const loading = new Map<string, Promise<void>>();

/** Defines `tag` if it is one of the lazy elements and not defined yet; resolves once it is. */
export function loadElement(tag: string): Promise<void> {
  const load = lazyElements[tag];
  if (!load || customElements.get(tag)) return Promise.resolve();
  let pending = loading.get(tag);
  if (!pending) {
    pending = load().then(
      () => undefined,
      (error: unknown) => {
        // A later use may try again (the CDN hiccuped); the error names the element.
        loading.delete(tag);
        throw new Error(`okr-embed: could not load <${tag}>`, { cause: error });
      },
    );
    loading.set(tag, pending);
  }
  return pending;
}

/**
 * Loads lazy elements as they appear in the light DOM of the page (elements inside widgets'
 * shadow roots ask `loadElement` themselves). Started once by the all-in-one bundle.
 */
export function watchLazyElements(root: ParentNode & Node = document): void {
  const selector = Object.keys(lazyElements).join(',');
  const visit = (node: ParentNode) => {
    for (const element of node.querySelectorAll(selector)) {
      void loadElement(element.localName).catch(console.error);
    }
  };
  visit(root);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element) {
          if (node.matches(selector)) void loadElement(node.localName).catch(console.error);
          visit(node);
        }
      }
    }
  }).observe(root, { childList: true, subtree: true });
}
