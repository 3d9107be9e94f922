/**
 * `npm test`: every suite of the project, one after another, then one closing line
 * `N passed, N failed` summed over all of them. Exits non-zero when anything failed.
 *
 * Each runner prints its own summary; this script reads it from the runner's output:
 * - web-test-runner: `Tests: N passed, N failed` (scripts/wtr-summary-reporter.mjs)
 * - node:test (BFF, end-to-end): `ℹ pass N` / `ℹ fail N` from the spec reporter, or
 *   `# pass N` / `# fail N` from TAP (Node 20's default when piped); `skipped`, `todo` and
 *   `cancelled` count as failed: a skipped test is a failing test here
 * A step without a test count (type check, lint, build) counts as one test.
 * A runner that exits non-zero always contributes at least one failure, so a crash
 * before the summary can never read as green.
 */
import { spawn } from 'node:child_process';

const steps = [
  { name: 'types', command: 'npm run --silent typecheck' },
  { name: 'lint', command: 'npx eslint --max-warnings 0 .' },
  { name: 'format', command: 'npx prettier --check --log-level warn .' },
  { name: 'build', command: 'npm run --silent build' },
  { name: 'bundle size', command: 'node --test bench/bundle-size.test.mjs' },
  { name: 'contract', command: 'npm run --silent test:contract' },
  { name: 'widgets', command: 'npm run --silent test:widgets' },
  { name: 'bff', command: 'npm run --silent test:bff' },
  { name: 'storybook build', command: 'npm run --silent build-storybook -- --quiet' },
  { name: 'stories', command: 'npm run --silent test:stories' },
  { name: 'end-to-end', command: 'npm run --silent test:e2e' },
];

// Runner output is full of colour codes and progress-bar redraws.
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Sums every summary line a pattern matches: one npm script may run several test processes. */
function sumOf(text, pattern) {
  const matches = [...text.matchAll(pattern)];
  return matches.length === 0 ? undefined : matches.reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Reads the counts a runner printed; undefined when it printed none. */
function countsFrom(output) {
  const text = output.replace(ansi, '');
  const wtrPassed = sumOf(text, /^Tests: (\d+) passed, \d+ failed$/gm);
  if (wtrPassed !== undefined) {
    return { passed: wtrPassed, failed: sumOf(text, /^Tests: \d+ passed, (\d+) failed$/gm) };
  }
  const passed = sumOf(text, /^(?:ℹ|#) pass (\d+)$/gm);
  if (passed === undefined) return undefined;
  const notPassed = ['fail', 'skipped', 'todo', 'cancelled'].map(
    (label) => sumOf(text, new RegExp(`^(?:ℹ|#) ${label} (\\d+)$`, 'gm')) ?? 0,
  );
  return { passed, failed: notPassed.reduce((a, b) => a + b, 0) };
}

function run(step) {
  return new Promise((resolve) => {
    process.stdout.write(`\n=== ${step.name}: ${step.command}\n`);
    const child = spawn(step.command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.on('close', (code) => {
      const counted = countsFrom(output);
      let counts = counted ?? (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
      if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
      resolve({ ...step, code, ...counts });
    });
  });
}

const only = process.argv.slice(2);
const selected = only.length ? steps.filter((step) => only.includes(step.name)) : steps;
const results = [];
for (const step of selected) results.push(await run(step));

process.stdout.write('\n=== summary\n');
for (const result of results) {
  const mark = result.failed === 0 ? 'ok  ' : 'FAIL';
  process.stdout.write(
    `${mark} ${result.name.padEnd(16)} ${result.passed} passed, ${result.failed} failed\n`,
  );
}
const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
