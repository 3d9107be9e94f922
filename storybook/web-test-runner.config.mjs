/**
 * The story tests (`npm run test:stories`), in Chromium:
 * - every story of every `*.stories.ts` file, rendered from source; one group (one page) per
 *   stories file, so a broken file or a story leaking global state cannot take the others down
 *   with it, and a new stories file is tested without touching this file;
 * - every element of the manifest named as the `component` of some stories file (its docs page);
 * - the preview's decorator handing the toolbar's theme, locale and direction to the widgets;
 * - every entry of the built `storybook-static/`, which must be built first (`npm test` does).
 */
import rollupCommonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summaryReporter } from '../scripts/wtr-summary-reporter.mjs';
import { customElementsManifestPlugin } from './custom-elements-manifest.mjs';
import { findStoryFiles } from './story-files.mjs';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const storiesTest = fileURLToPath(new URL('./test/stories.test.ts', import.meta.url));
const staticBuildTest = fileURLToPath(new URL('./test/static-build.test.ts', import.meta.url));
const elementDocsTest = fileURLToPath(new URL('./test/element-docs.test.ts', import.meta.url));
const previewTest = fileURLToPath(new URL('./test/preview.test.ts', import.meta.url));
const staticBuildIndex = path.join(rootDir, 'storybook-static', 'index.json');

const commonjs = fromRollup(rollupCommonjs);
const customElementsManifest = fromRollup(customElementsManifestPlugin);

const storyFiles = findStoryFiles();
const browserPath = (file) => `/${path.relative(rootDir, file).split(path.sep).join('/')}`;

/**
 * A test page that tells its test module what to load. Storybook's browser code reads
 * `process.env.NODE_ENV`, which only its own builder defines.
 */
function testPage(title, settings) {
  return (testFramework) => `<!DOCTYPE html>
<html lang="en">
  <head><title>${title}</title></head>
  <body>
    <script>
      window.process = { env: { NODE_ENV: 'test' } };
      Object.assign(window, ${JSON.stringify(settings)});
    </script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`;
}

/** Files a change of which needs a new static build: widget sources and stories, and this folder. */
function buildSources() {
  return [path.join(rootDir, 'widgets', 'src'), path.join(rootDir, 'storybook')].flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.split(path.sep)[0] !== 'test' && !file.endsWith('.test.ts'))
      .map((file) => path.join(dir, file)),
  );
}

/**
 * The static build is tested as it is; a missing or stale one would test nothing or the wrong
 * thing, so the test fails and says what to run (`npm test` builds it just before).
 */
function staticBuildProblem() {
  if (!existsSync(staticBuildIndex)) {
    return 'storybook-static/ does not exist: run `npm run build-storybook` first';
  }
  const builtAt = statSync(staticBuildIndex).mtimeMs;
  // Files only: a folder's time changes whenever an editor or formatter writes a temporary file.
  const newer = buildSources().find((file) => {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats?.isFile() && stats.mtimeMs > builtAt;
  });
  return newer
    ? `storybook-static/ is older than ${path.relative(rootDir, newer)}: run \`npm run build-storybook\` again`
    : null;
}

/** Checked as the run starts: sources edited while it runs do not make the tested build stale. */
const staticBuildProblemAtStart = staticBuildProblem();

/**
 * The built preview page with a recorder of what it logs as errors, run before Storybook's own
 * scripts, so the static-build test sees a console error as the story test does.
 */
const recordStaticBuildErrors = {
  name: 'record-storybook-static-errors',
  transform(context) {
    if (context.path !== '/storybook-static/iframe.html') return undefined;
    const recorder = `<script>
      window.okrErrors = [];
      const consoleError = console.error;
      console.error = (...args) => {
        window.okrErrors.push('console.error: ' + args.map(String).join(' '));
        consoleError.apply(console, args);
      };
      addEventListener('error', (event) => window.okrErrors.push('uncaught error: ' + event.message));
      addEventListener('unhandledrejection', (event) =>
        window.okrErrors.push('unhandled rejection: ' + String(event.reason)),
      );
    </script>`;
    return { body: String(context.body).replace('<head>', `<head>${recorder}`) };
  },
};

export default {
  rootDir,
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 2,
  groups: [
    {
      name: 'storybook-static',
      files: staticBuildTest,
      testRunnerHtml: testPage('storybook-static', {
        okrStaticBuildProblem: staticBuildProblemAtStart,
      }),
    },
    {
      name: 'element docs pages',
      files: elementDocsTest,
      testRunnerHtml: testPage('element docs pages', {
        okrStoriesFiles: storyFiles.map(browserPath),
      }),
    },
    { name: 'preview decorator', files: previewTest, testRunnerHtml: testPage('preview', {}) },
    ...storyFiles.map((storiesFile) => ({
      name: path.relative(rootDir, storiesFile),
      files: storiesTest,
      testRunnerHtml: testPage(browserPath(storiesFile), {
        okrStoriesFile: browserPath(storiesFile),
      }),
    })),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    }),
  ],
  plugins: [
    recordStaticBuildErrors,
    customElementsManifest(),
    // Storybook's preview code still pulls in a few CommonJS packages; only node_modules has any.
    commonjs({ strictRequires: false, include: ['**/node_modules/**'] }),
    // Without the tsconfig esbuild ignores `experimentalDecorators` and Lit's decorators fail.
    esbuildPlugin({
      ts: true,
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  testFramework: { config: { timeout: 20000 } },
  reporters: [defaultReporter(), summaryReporter()],
};
