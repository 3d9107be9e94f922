/**
 * Like Lit's `@customElement`, but a second definition of the same tag is ignored. Each
 * published file (`okr-embed.js`, `okr-goal-card.js`, …) is self-contained so that its size
 * is what a page downloads; a page that loads two of them then brings two copies of shared
 * elements, and the first one wins instead of the second throwing.
 */
export function customElement(tagName: string) {
  return (elementClass: CustomElementConstructor): void => {
    if (!customElements.get(tagName)) customElements.define(tagName, elementClass);
  };
}
