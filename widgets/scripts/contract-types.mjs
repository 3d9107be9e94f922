/**
 * Copies the contract's declarations into dist/types/contract/ and points the widgets'
 * declarations at that copy. `@okr-embed/contract` is on no registry, and the bundles already
 * inline its code; with its types inside too, a packed widgets tarball installs on its own.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const types = fileURLToPath(new URL('../dist/types/', import.meta.url));
const contractDist = path.dirname(createRequire(import.meta.url).resolve('@okr-embed/contract'));
const copy = path.join(types, 'contract');

mkdirSync(copy, { recursive: true });
for (const name of readdirSync(contractDist).filter((n) => n.endsWith('.d.ts'))) {
  // The source maps point into contract/src, which the tarball does not carry.
  const text = readFileSync(path.join(contractDist, name), 'utf8');
  writeFileSync(path.join(copy, name), text.replace(/^\/\/# sourceMappingURL=.*$/m, ''));
}

const declarations = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.startsWith(copy + path.sep));

for (const file of declarations(types)) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes("'@okr-embed/contract'")) continue;
  let relative = path.relative(path.dirname(file), path.join(copy, 'index.js'));
  if (!relative.startsWith('.')) relative = `./${relative}`;
  writeFileSync(file, text.replaceAll("'@okr-embed/contract'", `'${relative}'`));
}
