/**
 * `npm run bench -- --profile <row>` (or BENCH_PROFILE=<row>): a CPU profile of the BFF process
 * for the length of that one row, written to bench/profiles/ as a `.cpuprofile` that Chrome
 * DevTools (Performance → Load profile) or speedscope opens. Only the server is profiled, and
 * only while the row's load runs, so the profile shows where a budget's time goes.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchServer } from './server-process.js';

/** Every row that can be profiled, by the key `--profile` takes. */
export const PROFILE_ROWS = [
  'healthz',
  'card',
  'card-304',
  'my-okrs',
  'alignment-widget',
  'alignment-tree',
  'static',
  'refused-origin',
  'write-mix',
  'unknown-kid',
  'checkins',
  'checkins-two-orgs',
] as const;
export type ProfileRow = (typeof PROFILE_ROWS)[number];

const flag = process.argv.indexOf('--profile');
export const profiledRow: string | undefined =
  flag >= 0 ? process.argv[flag + 1] : process.env.BENCH_PROFILE || undefined;

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs one row's load, under the profiler when that row was asked for. */
export function profiled<T>(
  server: BenchServer,
  row: ProfileRow,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  if (row !== profiledRow) return work();
  const dir = path.join(here, 'profiles');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${label.replace(/[^\w.-]+/g, '-')}-${row}-${stamp}.cpuprofile`);
  return server.profile(file, work);
}
