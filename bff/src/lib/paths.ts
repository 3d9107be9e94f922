import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: relative paths in configuration (the SQLite file, `data/`) start here. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
