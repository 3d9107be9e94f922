export interface ManifestElement {
  tagName: string;
  className: string;
  properties: string[];
  events: string[];
  /** Where an element that okr-embed.js leaves out is imported from; null for the others. */
  ownFile: { js: string; types: string } | null;
}
export declare function elementsOf(manifest: unknown): ManifestElement[];
export declare function reactEventProp(event: string): string;
