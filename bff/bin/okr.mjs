#!/usr/bin/env node
// The package's `okr` bin: runs the TypeScript CLI through tsx with the BFF's path aliases.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const child = spawn(
  process.execPath,
  [
    tsxCli,
    '--tsconfig',
    path.join(bffRoot, 'tsconfig.json'),
    path.join(bffRoot, 'src/cli.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
