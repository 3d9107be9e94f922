// Builds what production runs: every `src/**/*.ts` transpiled one-to-one into `dist/` (imports
// already name `.js` files), and every other file (the demo sites' HTML, CSS and browser
// scripts) copied beside the code that serves it. Types are checked by `npm run typecheck`, not here, so a build takes well under a second.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(bffRoot, 'src');
const dist = path.join(bffRoot, 'dist');

const files = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => path.relative(src, path.join(entry.parentPath, entry.name)));
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: files.filter((file) => file.endsWith('.ts')).map((file) => path.join(src, file)),
  outdir: dist,
  outbase: src,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
});
for (const file of files.filter((name) => !name.endsWith('.ts'))) {
  cpSync(path.join(src, file), path.join(dist, file));
}
