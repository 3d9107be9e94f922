export interface ManifestElement {
  tagName: string;
  className: string;
  properties: string[];
  events: string[];
}
export declare function elementsOf(manifest: unknown): ManifestElement[];
export declare function reactEventProp(event: string): string;
