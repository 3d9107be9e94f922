/** Served by `custom-elements-manifest.mjs`: the widgets' element manifest, analysed on load. */
declare module 'okr-custom-elements-manifest' {
  const manifest: {
    schemaVersion: string;
    modules: {
      path: string;
      declarations?: {
        kind: string;
        name: string;
        tagName?: string;
        cssProperties?: { name: string; description?: string; default?: string }[];
      }[];
    }[];
  };
  export default manifest;
}
