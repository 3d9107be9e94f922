/**
 * Measures what a page downloads for each widget entry: the entry module plus every chunk it
 * imports statically, minified (as built) and gzipped together. A Lit-only module built with the
 * same rollup config is the baseline, so the figures say what okr-embed adds on top of Lit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(repoRoot, 'widgets/dist');

export const budgets = {
  'okr-embed.js': 25 * 1024,
  'okr-progress-bar.js': 8 * 1024,
};

/**
 * What okr-embed.js loads when an element first appears (provider/lazy-elements.ts), by the
 * chunk's name: measured as the bytes that chunk adds to a page that already has okr-embed.js.
 * (The self-contained per-element files, such as okr-goal-editor.js, are for pages without
 * okr-embed.js and carry their own copy of Lit; they have no budget.)
 */
export const onDemandBudgets = {
  'goal-editor': 16 * 1024,
  'progress-history': 16 * 1024,
  'check-in': 16 * 1024,
};

const staticImport = /(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*from\s*)?["']([^"']+)["']/g;

/** The entry and its static import closure, each file once. */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const match of code.matchAll(staticImport)) {
    const specifier = match[1];
    if (specifier.startsWith('.')) closure(path.resolve(path.dirname(file), specifier), seen);
  }
  return seen;
}

export function gzippedSize(files) {
  const code = [...files].map((file) => readFileSync(file, 'utf8')).join('\n');
  return { minified: Buffer.byteLength(code), gzipped: gzipSync(code, { level: 9 }).length };
}

/** The on-demand chunk `name` that okr-embed.js imports, and what it adds beyond the bundle. */
export function measureOnDemand(name) {
  const embed = path.join(distDir, 'okr-embed.js');
  const pattern = new RegExp(`["'](\\./chunks/${name}-[\\w-]+\\.js)["']`);
  const found = readFileSync(embed, 'utf8').match(pattern);
  if (!found) throw new Error(`okr-embed.js loads no chunk named ${name}`);
  const already = closure(embed);
  const added = [...closure(path.resolve(distDir, found[1]))].filter((file) => !already.has(file));
  return { entry: `${name} (on demand)`, files: added.length, ...gzippedSize(added) };
}

export function measureEntry(entry) {
  const files = closure(path.join(distDir, entry));
  return { entry, files: files.size, ...gzippedSize(files) };
}

/** Builds `import 'lit'` plus a trivial element with the project's rollup plugins. */
export async function measureLitBaseline() {
  const { default: config } = await import(path.join(repoRoot, 'rollup.config.mjs'));
  // Inside the repo, so that `lit` resolves from node_modules as it does for the widgets.
  const work = mkdtempSync(path.join(repoRoot, 'node_modules', '.okr-lit-baseline-'));
  try {
    const input = path.join(work, 'lit-only.js');
    writeFileSync(
      input,
      "import {LitElement, html, css} from 'lit';\n" +
        'class LitOnly extends LitElement { static styles = css`:host{display:block}`; render() { return html`<slot></slot>`; } }\n' +
        "customElements.define('lit-only', LitOnly);\n",
    );
    // The widgets' own plugins (resolve, Lit production build, esbuild, terser), minus the
    // step that empties widgets/dist.
    const plugins = config[0].plugins.filter((plugin) => plugin.name !== 'clean-dist');
    const bundle = await rollup({
      input,
      plugins,
      onwarn(warning) {
        throw new Error(`Lit baseline build: ${warning.message}`);
      },
    });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    const code = output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
    return {
      entry: 'lit-only baseline',
      files: output.length,
      minified: Buffer.byteLength(code),
      gzipped: gzipSync(code, { level: 9 }).length,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
