#!/usr/bin/env node
// The package's `okr` bin (and the root `npm run okr`/`npm start`): runs the TypeScript CLI
// through tsx with the BFF's path aliases and its V8 flags (node-flags.mjs).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFlags } from './node-flags.mjs';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const child = spawn(
  process.execPath,
  [
    tsxCli,
    ...nodeFlags,
    '--tsconfig',
    path.join(bffRoot, 'tsconfig.json'),
    path.join(bffRoot, 'src/cli.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
