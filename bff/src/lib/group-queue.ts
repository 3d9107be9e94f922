/** What one item of a group came to: its answer, or the error its caller gets. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupQueueOptions<T, R> {
  /** Runs one group; answers one `Settled` per item, in the items' order. */
  run(items: T[]): Promise<Array<Settled<R>>>;
  /** The most items one group takes; the rest wait for the next. */
  limit: number;
  /** Items with the same `apart` key never share a group: the later waits for the next. */
  apart?(item: T): string | undefined;
}

/**
 * Group commit. Work for one key runs one group at a time: an item that finds its key idle runs
 * at once, alone, and what arrives while a group runs waits and goes together in the next. So
 * nothing waits that would not have waited for a lock anyway, and under contention one
 * transaction (its round trips, locks and COMMIT) is shared by everything that queued behind
 * the one before. Per process: other instances meet at the database's locks as before.
 */
export function createGroupQueue<T, R>(options: GroupQueueOptions<T, R>) {
  interface Entry {
    item: T;
    resolve(value: R): void;
    reject(error: unknown): void;
  }
  /** Keys with a group running, each with the entries waiting for the next. */
  const waiting = new Map<string, Entry[]>();

  /** The next group from what waits: in arrival order, `limit` at most, `apart` kept apart. */
  function nextGroup(queue: Entry[]): [Entry[], Entry[]] {
    const group: Entry[] = [];
    const rest: Entry[] = [];
    const taken = new Set<string>();
    for (const entry of queue) {
      const apart = options.apart?.(entry.item);
      if (group.length >= options.limit || (apart !== undefined && taken.has(apart))) {
        rest.push(entry);
        continue;
      }
      if (apart !== undefined) taken.add(apart);
      group.push(entry);
    }
    return [group, rest];
  }

  /** Runs `first`, then group after group of what waited meanwhile, until none waits. */
  async function drive(key: string, first: Entry[]): Promise<void> {
    for (let group = first; ;) {
      let settled: Array<Settled<R>>;
      try {
        settled = await options.run(group.map((entry) => entry.item));
      } catch (error) {
        settled = group.map(() => ({ ok: false, error }));
      }
      group.forEach((entry, i) => {
        const outcome = settled[i];
        if (!outcome) entry.reject(new Error('a group answered fewer items than it was given'));
        else if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
      const queue = waiting.get(key) ?? [];
      if (queue.length === 0) {
        waiting.delete(key);
        return;
      }
      // The first entry always fits, so every turn of the loop answers someone.
      const [next, rest] = nextGroup(queue);
      waiting.set(key, rest);
      group = next;
    }
  }

  return {
    /** Runs `item` in the next group of `key`; resolves to its own answer. */
    add(key: string, item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        const entry: Entry = { item, resolve, reject };
        const queue = waiting.get(key);
        if (queue) {
          queue.push(entry);
          return;
        }
        waiting.set(key, []);
        void drive(key, [entry]);
      });
    },
    /** Keys with a group running (for tests and metrics). */
    get busyKeys(): number {
      return waiting.size;
    },
  };
}
