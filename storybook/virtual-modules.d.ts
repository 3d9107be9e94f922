/** Served by `custom-elements-manifest.mjs`: the widgets' element manifest, analysed on load. */
declare module 'okr-custom-elements-manifest' {
  interface NamedItem {
    name: string;
    description?: string;
  }
  interface Member extends NamedItem {
    kind: 'field' | 'method';
    privacy?: 'public' | 'protected' | 'private';
    static?: boolean;
  }
  interface Declaration {
    kind: string;
    name: string;
    tagName?: string;
    members?: Member[];
    cssParts?: NamedItem[];
    cssProperties?: (NamedItem & { default?: string })[];
  }
  export interface Manifest {
    schemaVersion: string;
    modules: { path: string; declarations?: Declaration[] }[];
  }
  const manifest: Manifest;
  export default manifest;
}
