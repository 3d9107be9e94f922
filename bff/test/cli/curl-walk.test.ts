import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../../src/lib/paths.js';
import { freePort } from '../support/private-mariadb.js';

type Answer = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read JSON freely

/** The block of bff/README.md between its curl-walk markers, as a reader would paste it. */
function curlWalk(): string {
  const readme = readFileSync(path.join(repoRoot, 'bff/README.md'), 'utf8');
  const block = /<!-- curl-walk:start -->\n```sh\n([\s\S]*?)```\n<!-- curl-walk:end -->/.exec(
    readme,
  );
  if (!block?.[1]) throw new Error('bff/README.md has no curl-walk block');
  return block[1];
}

describe('[sqlite] the curl walk of bff/README.md', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'okr-walk-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('when the walk runs as written, then every call succeeds and every list it reads is non-empty', async () => {
    const port = await freePort();
    // Its own process group, so the server the walk starts in the background cannot outlive it.
    const child = spawn('bash', ['-euo', 'pipefail', '-c', curlWalk()], {
      cwd: repoRoot,
      detached: true,
      env: {
        ...process.env,
        OKR_MASTER_KEY: undefined,
        PORT: String(port),
        DATABASE_URL: `sqlite:${path.join(dir, 'walk.sqlite')}`,
        OKR_DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 120_000);
      child.on('close', (exit) => {
        clearTimeout(timer);
        resolve(exit);
      });
    });
    try {
      process.kill(-(child.pid ?? 0), 'SIGTERM');
    } catch {
      // The group has already gone: the walk's own `kill $SERVER` stopped the server.
    }
    assert.equal(code, 0, `the walk failed:\n${stderr}\n${stdout}`);

    const answers = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Answer);
    const find = (test: (answer: Answer) => boolean, what: string) => {
      const found = answers.find(test);
      assert.ok(found, `no answer with ${what} in:\n${stdout}`);
      return found;
    };
    assert.equal(find((a) => 'links' in a, 'links').links.openApi, '/api/v1/openapi.json');
    assert.equal(find((a) => 'scopes' in a, 'the caller').user.externalId, 'alice');
    const timeframes = find((a) => Array.isArray(a.items) && a.items[0]?.startDate, 'timeframes');
    assert.ok(
      timeframes.items.some((t: { current: boolean }) => t.current),
      'the timeframe spans today',
    );
    const myGoals = find(
      (a) => Array.isArray(a.items) && a.items[0]?.title === 'Grow revenue',
      'my goals',
    );
    assert.equal(myGoals.items.length, 1);
    const checkIns = find(
      (a) => Array.isArray(a.items) && a.items[0]?.comment === 'Q1 deals',
      'check-ins',
    );
    assert.equal(checkIns.items.length, 1);
    const alignment = find((a) => Array.isArray(a.nodes), 'the alignment tree');
    assert.equal(alignment.nodes.length, 1);
    assert.deepEqual(stdout.match(/^204$/gm), ['204', '204'], 'both deletes answered 204');
  });
});
