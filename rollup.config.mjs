/**
 * Builds the widgets into widgets/dist/: the all-in-one okr-embed.js and one ES module per
 * element. Each file is self-contained (no shared chunks), so its size is exactly what a page
 * downloads for it; copies of an element on one page are harmless (see provider/define.ts).
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
  'okr-goal-editor': 'goal-editor/goal-editor.ts',
};

const plugins = () => [
  replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"production"' } }),
  nodeResolve({ exportConditions: ['production'], browser: true }),
  esbuild({ tsconfig: `${widgets}tsconfig.json`, target: 'es2022' }),
  terser({ ecma: 2022, module: true, format: { comments: false } }),
];

const configs = Object.entries(entries).map(([name, source], index) => ({
  input: `${widgets}src/${source}`,
  output: { file: `${dist}/${name}.js`, format: 'es', sourcemap: true },
  plugins: [
    // The first build starts from an empty dist/, so files of removed entries do not linger.
    ...(index === 0
      ? [{ name: 'clean-dist', buildStart: () => rmSync(dist, { recursive: true, force: true }) }]
      : []),
    ...plugins(),
  ],
}));

export default configs;
