/**
 * A web-test-runner reporter that prints one `Tests: N passed, N failed` line when the run
 * stops. The runner's own closing line sits inside a progress bar that CI cannot read, and
 * `scripts/run-tests.mjs` adds this line to the other runners' counts.
 *
 * A skipped test counts as failed (the project's rule), and so does a test file that could
 * not run at all (a syntax error or a failed import leaves a session with errors and no tests).
 */
function countSuite(suite, counts) {
  for (const test of suite.tests) {
    if (test.passed && !test.skipped) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite.suites) countSuite(child, counts);
}

export function summaryReporter() {
  return {
    stop({ sessions }) {
      const counts = { passed: 0, failed: 0 };
      for (const session of sessions) {
        const before = counts.passed + counts.failed;
        if (session.testResults) countSuite(session.testResults, counts);
        const ranNone = counts.passed + counts.failed === before;
        if (session.errors.length > 0 || (ranNone && session.passed === false)) {
          counts.failed += Math.max(1, session.errors.length);
        }
      }
      process.stdout.write(`\nTests: ${counts.passed} passed, ${counts.failed} failed\n`);
    },
  };
}
