// V8 flags (and below, the environment) for every process of the `okr` CLI, `okr serve` above
// all; `npm start`, the bin and the benchmark all take them from here, so what is measured is
// what operators run.
//
// --optimize-for-size: by default V8 lets the old generation fill with garbage up to several times
// the live heap before a full collection (its growing factor goes up to 4 on a machine with
// memory to spare). Under 10 concurrent connections request garbage survives the young
// generation, so the BFF's heapTotal swung between 60 and 99 MB around a live heap of 24-26 MB
// and RSS rose 35-55 MB after the first few ten thousand requests. This flag makes V8 grow the
// heap by small factors.
//
// --max-semi-space-size=4: the same flag also shrinks the young generation to 1 MB, and a
// check-in's objects, alive while it waits for MariaDB, outlived it: the garbage collector took
// 28 % of the BFF's profile during the check-in bench. Semi-spaces of up to 4 MB let that
// garbage die young (the collector's share fell to 17 %), and less of it reaches the old
// generation. See bff/README.md "Memory and the Node flags".
export const nodeFlags = ['--optimize-for-size', '--max-semi-space-size=4'];

// The environment every such process starts with (glibc reads it before Node runs, so it cannot
// be set from inside). MALLOC_ARENA_MAX=1: node-sqlite3 runs every statement on libuv's thread
// pool, and glibc gives each thread its own malloc arena, which keeps freed memory that the
// main thread cannot reuse; in `npm run bench` the SQLite BFF ended 100 000+ requests at
// 173–185 MB with the default arenas, 148–152 MB with two, and 133–137 MB with one. A value the
// operator set is kept.
export const nodeEnv = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX || '1' };
