/**
 * Builds the widgets into widgets/dist/: the all-in-one okr-embed.js and one ES module per
 * element. Each file is self-contained (no chunks shared between entries; only its own
 * on-demand chunks in dist/chunks/), so its size is exactly what a page downloads first; copies of an element on one page are harmless (see provider/define.ts).
 * Lit's production build (its `production` export condition) drops the dev-mode warnings.
 */
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const widgets = fileURLToPath(new URL('./widgets/', import.meta.url));
const dist = `${widgets}dist`;

const entries = {
  'okr-embed': 'index.ts',
  'okr-provider': 'provider/provider.ts',
  'okr-progress-bar': 'progress-bar/progress-bar.ts',
  'okr-status-badge': 'status-badge/status-badge.ts',
  'okr-goal-card': 'goal-card/goal-card.ts',
  'okr-goal-list': 'goal-list/goal-list.ts',
  'okr-alignment-tree': 'alignment-tree/alignment-tree.ts',
  'okr-check-in': 'check-in/check-in.ts',
  'okr-progress-history': 'progress-history/progress-history.ts',
  'okr-goal-editor': 'goal-editor/goal-editor.ts',
};

/**
 * Lit keeps a `css` template's text as written, indentation and comments included. Collapsing
 * it is safe for the widgets' styles (no CSS string in them holds whitespace that matters) and
 * makes room in okr-embed.js's budget. Only `*.styles.ts` files, only `css` templates; the
 * whitespace of `html` templates can matter and is left alone.
 */
const minifyCssTemplates = () => ({
  name: 'minify-css-templates',
  transform(code, id) {
    if (!id.endsWith('.styles.ts')) return null;
    const squeeze = (css) =>
      css
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([{};,])\s*/g, '$1')
        .trim();
    return { code: code.replace(/css`([^`]*)`/g, (_, css) => `css\`${squeeze(css)}\``), map: null };
  },
});

const plugins = () => [
  minifyCssTemplates(),
  replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"production"' } }),
  nodeResolve({ exportConditions: ['production'], browser: true }),
  esbuild({ tsconfig: `${widgets}tsconfig.json`, target: 'es2022' }),
  terser({ ecma: 2022, module: true, format: { comments: false } }),
];

const configs = Object.entries(entries).map(([name, source], index) => ({
  input: `${widgets}src/${source}`,
  // On-demand chunks import what they share from the entry itself: the entry may export more
  // than its own API instead of becoming a facade over one more chunk.
  preserveEntrySignatures: 'allow-extension',
  // A directory, so that code loaded on demand (the live-update stream and patches) becomes a
  // chunk of its own under chunks/ instead of weighing on the first download.
  output: {
    dir: dist,
    entryFileNames: `${name}.js`,
    chunkFileNames: 'chunks/[name]-[hash].js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    // The first build starts from an empty dist/, so files of removed entries do not linger.
    ...(index === 0
      ? [{ name: 'clean-dist', buildStart: () => rmSync(dist, { recursive: true, force: true }) }]
      : []),
    ...plugins(),
  ],
}));

export default configs;
