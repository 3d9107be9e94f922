/**
 * Widget tests in the system Chromium (`npm run test:widgets` from the root). The esbuild
 * plugin gets the tsconfig so legacy decorators compile; the summary reporter prints the
 * `Tests: N passed, N failed` line that `npm test` adds up.
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';
import { fileURLToPath } from 'node:url';
import { summaryReporter } from '../scripts/wtr-summary-reporter.mjs';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));

export default {
  rootDir: root,
  files: ['widgets/src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  plugins: [
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
    // Accessible names as the browser computes them (alignment-tree-layout.test.ts).
    a11ySnapshotPlugin(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    }),
  ],
  // The machine is shared; a slow moment must not fail a test that waits for a render.
  testFramework: { config: { timeout: 10000 } },
  reporters: [defaultReporter(), summaryReporter()],
};
