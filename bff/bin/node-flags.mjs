// V8 flags (and below, the environment) for every process of the `okr` CLI, `okr serve` above
// all; `npm start`, the bin and the benchmark all take them from here, so what is measured is
// what operators run.
//
// --optimize-for-size: by default V8 lets the old generation fill with garbage up to several times
// the live heap before a full collection (its growing factor goes up to 4 on a machine with
// memory to spare). Under 10 concurrent connections request garbage survives the young
// generation, so the BFF's heapTotal swung between 60 and 99 MB around a live heap of 24-26 MB
// and RSS rose 35-55 MB after the first few ten thousand requests. This flag makes V8 grow the
// heap by small factors and keep the young generation small: RSS then stays within a few MB of
// where it starts. See bff/README.md "Memory and the Node flags".
export const nodeFlags = ['--optimize-for-size'];

// The environment every such process starts with (glibc reads it before Node runs, so it cannot
// be set from inside). MALLOC_ARENA_MAX=2: node-sqlite3 runs every statement on libuv's thread
// pool, and glibc gives each thread its own malloc arena, which keeps freed memory it cannot
// hand back; in `npm run bench` the SQLite BFF ended 100 000+ requests at 173–185 MB with the
// default arenas and at 148 MB with two. A value the operator set is kept.
export const nodeEnv = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX || '2' };
