/**
 * Elements that ship as files of their own and load when first used, so the all-in-one
 * `okr-embed.js` stays within its budget: the goal editor and the progress history. The file
 * is found next to the script that asks for it (`okr-embed.js` and the per-element files sit
 * side by side in `widgets/dist/`), so a host that serves the bundle from its own CDN serves
 * these beside it.
 */
const lazyFiles: Record<string, string> = {
  'okr-goal-editor': 'okr-goal-editor.js',
  'okr-progress-history': 'okr-progress-history.js',
};

const loading = new Map<string, Promise<void>>();

/** Defines `tag` if it is one of the lazy elements and not defined yet; resolves once it is. */
export function loadElement(tag: string, base: string = import.meta.url): Promise<void> {
  const file = lazyFiles[tag];
  if (!file || customElements.get(tag)) return Promise.resolve();
  let pending = loading.get(tag);
  if (!pending) {
    const url = new URL(file, base).href;
    pending = import(/* @vite-ignore */ url).then(
      () => customElements.whenDefined(tag).then(() => undefined),
      (error: unknown) => {
        // A later use may try again (the CDN hiccuped); the error says which file failed.
        loading.delete(tag);
        throw new Error(`okr-embed: could not load ${url} for <${tag}>`, { cause: error });
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
  const selector = Object.keys(lazyFiles).join(',');
  const visit = (node: ParentNode) => {
    for (const element of node.querySelectorAll(selector)) {
      void loadElement(element.localName).catch((error: unknown) => console.error(error));
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
