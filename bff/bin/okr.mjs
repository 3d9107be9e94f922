#!/usr/bin/env node
// The package's `okr` bin (and the root `npm run okr`/`npm start`): runs the built CLI
// (`bff/dist/cli.js`, from `npm run build`) with the BFF's V8 flags and environment
// (node-flags.mjs). Tests and development run the TypeScript sources through tsx instead;
// production never needs tsx.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeEnv, nodeFlags } from './node-flags.mjs';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');
if (!existsSync(cli)) {
  process.stderr.write('error: the BFF is not built; run `npm run build` first\n');
  process.exit(1);
}
const child = spawn(process.execPath, [...nodeFlags, cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ...nodeEnv },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
