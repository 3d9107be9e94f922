/**
 * `npm run bench`: every performance claim of PRODUCT.md "Budgets", each measured against a
 * baseline run in the same invocation (the machine is shared, so only ratios mean much).
 * Prints a table, writes bench/results.json, exits 1 when a budget fails or a measurement breaks.
 * BENCH_ONLY=bundle,http,http-sqlite,http-mariadb,alignment,checkins,render,scale,events runs a subset while
 * working on one (`http` is both HTTP sections); `--profile <row>` writes a CPU profile of the
 * BFF during that row (bench/profile.ts).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAlignment } from './alignment.bench.js';
import { benchBundles } from './bundles.bench.js';
import { benchCheckIns } from './check-ins.bench.js';
import { scratchMariaDb, scratchSqlite, sqliteVersion, type ScratchDatabase } from './databases.js';
import { benchEvents } from './events.bench.js';
import { benchHttp } from './http.bench.js';
import { PROFILE_ROWS, profiledRow } from './profile.js';
import { benchRendering } from './render.bench.js';
import { benchScale } from './scale.bench.js';
import { table, type Row } from './report.js';
import { startBenchServer } from './server-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (name: string) =>
  !only || only.includes(name) || only.includes(name.split('-')[0] as string);
if (profiledRow !== undefined && !(PROFILE_ROWS as readonly string[]).includes(profiledRow)) {
  console.error(`--profile takes one of: ${PROFILE_ROWS.join(', ')}`);
  process.exit(2);
}
/** The org every HTTP row runs on: what a large customer's embeds hit. */
const HTTP_GOALS = 10_000;
/** The scale rows ask for one card: a smaller org seeds faster and serves the same card path. */
const SCALE_GOALS = 1_000;

async function withDatabase<T>(
  make: () => ScratchDatabase | Promise<ScratchDatabase>,
  work: (database: ScratchDatabase) => Promise<T>,
): Promise<T> {
  const database = await make();
  try {
    return await work(database);
  } finally {
    await database.drop();
  }
}

const sections: Array<[string, () => Promise<Row[]>]> = [
  ['bundle', benchBundles],
  ...(
    [
      ['http-sqlite', scratchSqlite, async () => `sqlite ${await sqliteVersion()}`],
      ['http-mariadb', scratchMariaDb, async () => 'mariadb'],
    ] as const
  ).map(([name, make, engine]): [string, () => Promise<Row[]>] => [
    name,
    () =>
      withDatabase(make, async (database) => {
        const server = await startBenchServer(database.url, [HTTP_GOALS]);
        try {
          return await benchHttp(server, await engine());
        } finally {
          await server.stop();
        }
      }),
  ]),
  ['alignment', () => benchAlignment([scratchSqlite, scratchMariaDb], withDatabase)],
  [
    'checkins',
    () =>
      withDatabase(scratchMariaDb, async (database) => {
        const server = await startBenchServer(database.url, [1000, 1000]);
        try {
          return await benchCheckIns(server, database.url);
        } finally {
          await server.stop();
        }
      }),
  ],
  ['render', benchRendering],
  ['scale', () => benchScale(scratchSqlite, withDatabase, SCALE_GOALS)],
  ['events', () => withDatabase(scratchMariaDb, benchEvents)],
];

const started = Date.now();
const rows: Row[] = [];
const failures: string[] = [];
for (const [name, run] of sections) {
  if (!wanted(name)) continue;
  const sectionStart = Date.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    rows.push(...(await run()));
  } catch (error) {
    failures.push(
      `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  process.stderr.write(
    `bench: ${name} took ${((Date.now() - sectionStart) / 1000).toFixed(0)} s\n`,
  );
}
const seconds = (Date.now() - started) / 1000;
const failed = rows.filter((row) => row.pass === false);

console.log(table(rows));
console.log(
  `\n${rows.filter((r) => r.pass).length} budgets passed, ${failed.length} failed, ` +
    `${failures.length} measurements broke; ${seconds.toFixed(0)} s on ${os.cpus().length} × ` +
    `${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
);
for (const failure of failures) console.error(`\nBROKE ${failure}`);

writeFileSync(
  path.join(here, 'results.json'),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      seconds,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      rows,
      failures,
    },
    null,
    2,
  )}\n`,
);
process.exitCode = failed.length > 0 || failures.length > 0 ? 1 : 0;
