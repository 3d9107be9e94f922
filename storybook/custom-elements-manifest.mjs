// @ts-check
/**
 * Storybook's docs tables (attributes, properties, events, slots, parts, CSS properties) come
 * from the widgets' element manifest. `widgets/custom-elements.json` is a build output that a
 * fresh clone does not have, and a copy made by an earlier build goes stale as soon as an
 * element changes. So Storybook and the story test import this virtual module instead: loading
 * it runs the widgets' own analyzer configuration (it only reads `src`), and the dev server
 * reloads it whenever one of the analysed sources changes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const manifestModuleId = 'okr-custom-elements-manifest';
const resolvedManifestModuleId = `\0${manifestModuleId}`;

const widgetsDir = fileURLToPath(new URL('../widgets/', import.meta.url));
const analyzerConfig = 'custom-elements-manifest.config.mjs';
const analyzerCli = createRequire(import.meta.url).resolve(
  '@custom-elements-manifest/analyzer/cem.js',
);

/**
 * Whether a file can change the manifest: any widget source but tests and stories.
 * @param {string} file
 */
function isAnalysedSource(file) {
  return (
    file.startsWith(path.join(widgetsDir, 'src')) &&
    file.endsWith('.ts') &&
    !file.endsWith('.test.ts') &&
    !file.endsWith('.stories.ts')
  );
}

/** Names and modification times of the analysed sources and the analyzer configuration. */
function sourcesStamp() {
  const sources = readdirSync(path.join(widgetsDir, 'src'), { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(widgetsDir, 'src', file))
    .filter(isAnalysedSource);
  return [path.join(widgetsDir, analyzerConfig), ...sources]
    .map((file) => `${file}@${statSync(file).mtimeMs}`)
    .join('\n');
}

/** @type {{ stamp: string, manifest: any } | undefined} */
let lastAnalysis;

/**
 * Runs the widgets' analyzer configuration and returns the manifest it wrote. Every test page
 * loads the manifest, so an analysis is reused until a source changes (each takes seconds).
 */
export function analyzeWidgets() {
  if (!existsSync(path.join(widgetsDir, analyzerConfig))) {
    throw new Error(
      `widgets/${analyzerConfig} is missing: it says which widget sources the element manifest documents`,
    );
  }
  const stamp = sourcesStamp();
  if (lastAnalysis?.stamp !== stamp) {
    execFileSync(process.execPath, [analyzerCli, 'analyze', '--config', analyzerConfig], {
      cwd: widgetsDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const manifest = JSON.parse(
      readFileSync(path.join(widgetsDir, 'custom-elements.json'), 'utf8'),
    );
    lastAnalysis = { stamp, manifest };
  }
  return lastAnalysis.manifest;
}

/**
 * A Rollup-style plugin (Vite uses it as is, web-test-runner through `fromRollup`) that serves
 * the manifest as `export default {…}` under the id `okr-custom-elements-manifest`. Not
 * `virtual:…`: web-test-runner leaves anything that parses as a URL alone.
 */
export function customElementsManifestPlugin() {
  return {
    name: 'okr-custom-elements-manifest',
    // Before Vite's own resolver, which would look for a package of that name.
    enforce: 'pre',
    /** @param {string} id */
    resolveId(id) {
      return id === manifestModuleId ? resolvedManifestModuleId : null;
    },
    /**
     * @this {{ addWatchFile(file: string): void }}
     * @param {string} id
     */
    load(id) {
      if (id !== resolvedManifestModuleId) return null;
      const manifest = analyzeWidgets();
      // Watch modes of Rollup and web-test-runner re-run on these.
      for (const module of manifest.modules ?? []) {
        this.addWatchFile(path.join(widgetsDir, module.path));
      }
      return `export default ${JSON.stringify(manifest)};`;
    },
    /**
     * Vite's dev server keeps a virtual module's code until it is invalidated, and does not
     * connect it to the sources it was generated from: after an element's source changes, drop
     * the manifest too, so the page reloads with docs analysed afresh.
     *
     * @this {{ environment: { moduleGraph: ViteModuleGraph } }}
     * @param {{ file: string, modules: ViteModule[] }} update
     */
    hotUpdate({ file, modules }) {
      if (!isAnalysedSource(file)) return undefined;
      const manifestModule = this.environment.moduleGraph.getModuleById(resolvedManifestModuleId);
      if (!manifestModule) return undefined;
      this.environment.moduleGraph.invalidateModule(manifestModule);
      return [...modules, manifestModule];
    },
  };
}

/**
 * @typedef {object} ViteModule
 * @typedef {{
 *   getModuleById(id: string): ViteModule | undefined,
 *   invalidateModule(module: ViteModule): void,
 * }} ViteModuleGraph
 */
