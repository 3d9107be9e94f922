/**
 * Builds the widgets into widgets/dist/: one ES module per element plus the all-in-one
 * okr-embed.js, sharing chunks so a page that loads several never defines an element twice.
 * Lit's production build (its `production` export condition) drops the dev-mode warnings.
 */
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const widgets = fileURLToPath(new URL('./widgets/', import.meta.url));

const elements = ['provider', 'progress-bar', 'status-badge', 'goal-card'];

const input = { 'okr-embed': `${widgets}src/index.ts` };
for (const element of elements) {
  const source = element === 'provider' ? 'provider/provider.ts' : `${element}/${element}.ts`;
  input[`okr-${element}`] = `${widgets}src/${source}`;
}

export default {
  input,
  output: {
    dir: `${widgets}dist`,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  plugins: [
    // Chunk names carry hashes: without a clean start, stale chunks pile up in dist/.
    {
      name: 'clean-dist',
      buildStart: () => rmSync(`${widgets}dist`, { recursive: true, force: true }),
    },
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"production"' } }),
    nodeResolve({ exportConditions: ['production'], browser: true }),
    esbuild({ tsconfig: `${widgets}tsconfig.json`, target: 'es2022' }),
    terser({ ecma: 2022, module: true, format: { comments: false } }),
  ],
};
