/** Drives the operator CLI as an operator would: a separate process, its exit code and output. */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/okr.mjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Longer than any command takes here; a command still running then has hung, and says so. */
const HUNG_AFTER_MS = 120_000;

export function okr(
  args: string[],
  env: Record<string, string | undefined>,
  stdin?: string,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Its own process group: bin/okr.mjs runs the CLI in a child that shares our pipes, so a
      // hung command is killed as a group, or `close` would wait for the grandchild forever.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    if (stdin !== undefined) child.stdin?.end(stdin);
    const hung = setTimeout(() => {
      stderr += `\n[test] okr ${args.join(' ')} still running after ${HUNG_AFTER_MS} ms: killed`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group ended on its own meanwhile: `close` is on its way.
      }
    }, HUNG_AFTER_MS);
    child.on('close', (code) => {
      clearTimeout(hung);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs and insists on exit 0, so a failing step names its own stderr. */
export async function okrOk(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  const run = await okr(args, env);
  if (run.code !== 0) throw new Error(`okr ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run;
}

export async function okrJson<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read JSON freely
  args: string[],
  env: Record<string, string | undefined>,
): Promise<T> {
  return JSON.parse((await okrOk([...args, '--json'], env)).stdout) as T;
}

export interface RunningApi {
  baseUrl: string;
  close(): Promise<void>;
}

/** A BFF in this process over the database the CLI wrote, to see what running servers see. */
export async function startApi(
  url: string,
  config: Record<string, string> = {},
): Promise<RunningApi> {
  const [{ createApp }, { createDatabase }, { createLogger }, { testConfig }] = await Promise.all([
    import('../../src/app.js'),
    import('../../src/lib/db.js'),
    import('../../src/lib/logger.js'),
    import('../support/harness.js'),
  ]);
  const db = createDatabase(url);
  const app = createApp({ config: testConfig(url, config), db, logger: createLogger('silent') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await db.close();
    },
  };
}
