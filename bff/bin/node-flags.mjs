// V8 flags (and below, the environment) for every process of the `okr` CLI, `okr serve` above
// all; `npm start`, the bin and the benchmark all take them from here, so what is measured is
// what operators run.
//
// --heap-growing-percent=30: by default V8 lets the old generation fill with garbage up to several
// times the live heap before a full collection (its growing factor goes up to 4 on a machine
// with memory to spare). Under 10 concurrent connections request garbage survives the young
// generation, so the BFF's heapTotal swung between 60 and 99 MB around a live heap of 24-26 MB
// and RSS rose 35-55 MB after the first few ten thousand requests. With the flag the heap grows
// by 1.3 times what a full collection left. (--optimize-for-size, used before for the same end,
// also makes V8 favour memory over speed elsewhere: the collector took 17 % of the BFF's
// profile during the check-in bench with it and 7 % without it.)
//
// --max-semi-space-size=4: the young generation grows to 2 x 4 MB at most (V8's own limit on
// 64-bit is 2 x 16 MB): room enough for a check-in's objects, alive while it waits for MariaDB,
// to die young (with 1 MB semi-spaces the collector's share of that profile was 28 %), without
// up to 24 MB more of resident memory. See bff/README.md "Memory and the Node flags".
export const nodeFlags = ['--max-semi-space-size=4', '--heap-growing-percent=30'];

// The environment every such process starts with (glibc reads it before Node runs, so it cannot
// be set from inside). MALLOC_ARENA_MAX=1: node-sqlite3 runs every statement on libuv's thread
// pool, and glibc gives each thread its own malloc arena, which keeps freed memory that the
// main thread cannot reuse; in `npm run bench` the SQLite BFF ended 100 000+ requests at
// 173–185 MB with the default arenas, 148–152 MB with two, and 133–137 MB with one. A value the
// operator set is kept.
export const nodeEnv = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX || '1' };
