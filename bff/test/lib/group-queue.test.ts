/**
 * The group-commit queue on its own: what arrives while a key's group runs goes together in the
 * next group, in arrival order, within the limit, with `apart` items split; other keys do not
 * wait; each item gets its own answer or error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGroupQueue, type Settled } from '../../src/lib/group-queue.js';

/** A queue whose runs wait until the test releases them, recording each group. */
function gatedQueue(options: { limit?: number; apart?: (item: string) => string | undefined }) {
  const groups: string[][] = [];
  const gates: Array<() => void> = [];
  const queue = createGroupQueue<string, string>({
    limit: options.limit ?? 10,
    apart: options.apart,
    async run(items) {
      groups.push(items);
      await new Promise<void>((release) => gates.push(release));
      return items.map((item): Settled<string> =>
        item.startsWith('bad')
          ? { ok: false, error: new Error(`refused ${item}`) }
          : { ok: true, value: `done ${item}` },
      );
    },
  });
  /** Lets the oldest running group finish, then lets its successor start. */
  const release = async () => {
    gates.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { queue, groups, release };
}

describe('group queue', () => {
  it('when items arrive while a group runs, then they go together in the next, in arrival order', async () => {
    const { queue, groups, release } = gatedQueue({});
    const first = queue.add('kr', 'a');
    const later = ['b', 'c', 'd'].map((item) => queue.add('kr', item));
    assert.deepEqual(groups, [['a']], 'the first runs at once, alone');
    await release();
    assert.equal(await first, 'done a');
    assert.deepEqual(groups, [['a'], ['b', 'c', 'd']]);
    await release();
    assert.deepEqual(await Promise.all(later), ['done b', 'done c', 'done d']);
    assert.equal(queue.busyKeys, 0, 'an idle key holds nothing');
  });

  it('when another key is busy, then an item runs at once', async () => {
    const { queue, groups, release } = gatedQueue({});
    const one = queue.add('kr-1', 'a');
    const other = queue.add('kr-2', 'b');
    assert.deepEqual(groups, [['a'], ['b']]);
    assert.equal(queue.busyKeys, 2);
    await release();
    await release();
    assert.deepEqual(await Promise.all([one, other]), ['done a', 'done b']);
  });

  it('when more wait than the limit, or two must stay apart, then the rest go in later groups', async () => {
    const { queue, groups, release } = gatedQueue({
      limit: 2,
      apart: (item) => item.split(':')[0],
    });
    const all = [
      queue.add('kr', 'x:1'),
      queue.add('kr', 'y:1'),
      queue.add('kr', 'y:2'),
      queue.add('kr', 'z:1'),
      queue.add('kr', 'w:1'),
    ];
    for (let i = 0; i < 4; i++) await release();
    await Promise.all(all);
    assert.deepEqual(groups, [['x:1'], ['y:1', 'z:1'], ['y:2', 'w:1']]);
  });

  it('when one item is refused or a whole run throws, then only those callers get the error', async () => {
    const { queue, release } = gatedQueue({});
    const first = queue.add('kr', 'a');
    // Watched from the start: it is refused while the test still awaits the others.
    const refused = assert.rejects(queue.add('kr', 'bad-b'), /refused bad-b/);
    const fine = queue.add('kr', 'c');
    await release();
    await release();
    assert.equal(await first, 'done a');
    await refused;
    assert.equal(await fine, 'done c');

    const throwing = createGroupQueue<string, string>({
      limit: 10,
      run: async () => {
        throw new Error('the transaction failed');
      },
    });
    await assert.rejects(throwing.add('kr', 'a'), /the transaction failed/);
    const short = createGroupQueue<string, string>({ limit: 10, run: async () => [] });
    await assert.rejects(short.add('kr', 'a'), /fewer items/);
    assert.equal(throwing.busyKeys + short.busyKeys, 0, 'a failed run does not wedge its key');
  });
});
