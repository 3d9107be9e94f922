// V8 flags for every process of the `okr` CLI, `okr serve` above all; `npm start`, the bin and the
// benchmark all take them from here, so what is measured is what operators run.
//
// --optimize-for-size: by default V8 lets the old generation fill with garbage up to several times
// the live heap before a full collection (its growing factor goes up to 4 on a machine with
// memory to spare). Under 10 concurrent connections request garbage survives the young
// generation, so the BFF's heapTotal swung between 60 and 99 MB around a live heap of 24-26 MB
// and RSS rose 35-55 MB after the first few ten thousand requests. This flag makes V8 grow the
// heap by small factors and keep the young generation small: RSS then stays within a few MB of
// where it starts. See bff/README.md "Memory and the Node flags".
export const nodeFlags = ['--optimize-for-size'];
