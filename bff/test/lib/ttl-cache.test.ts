/**
 * TtlCache's lifetimes and bound: an entry ends when its time to live has passed and the oldest
 * goes first when full; with jitter, entries written at one moment end apart, each within its
 * share of the lifetime; an entry's age counts from its write, and a use does not renew it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlCache } from '../../src/lib/ttl-cache.js';

describe('TtlCache', () => {
  it('when the time to live has passed, then an entry is forgotten, and the oldest goes first when full', () => {
    let now = 0;
    const cache = new TtlCache<string>(1_000, 2, () => now);
    cache.set('x', '1');
    now = 999;
    assert.equal(cache.get('x'), '1');
    now = 1_000;
    assert.equal(cache.get('x'), undefined);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('c'), 'C');
  });

  it('when entries are written together with jitter, then each ends between 75 % and all of its lifetime, not all at once', () => {
    let now = 0;
    const cache = new TtlCache<number>(
      30_000,
      10_000,
      () => now,
      () => 1,
      0.25,
    );
    for (let i = 0; i < 200; i++) cache.set(`user-${i}`, i);
    const liveAt = (at: number) => {
      now = at;
      return Array.from({ length: 200 }, (_, i) => cache.ageOf(`user-${i}`)).filter(
        (age) => age !== undefined,
      ).length;
    };
    assert.equal(liveAt(22_499), 200);
    const midway = liveAt(26_250);
    assert.ok(midway > 20 && midway < 180, `${midway} of 200 live at 26.25 s`);
    assert.equal(liveAt(30_000), 0);
  });

  it('when an entry is read, then its age still counts from its write, and it ends on time', () => {
    let now = 1_000;
    const cache = new TtlCache<string>(30_000, 10, () => now);
    cache.set('k', 'v');
    now = 21_000;
    assert.equal(cache.get('k'), 'v');
    assert.equal(cache.ageOf('k'), 20_000);
    now = 31_000;
    assert.equal(cache.ageOf('k'), undefined);
    assert.equal(cache.get('k'), undefined);
  });
});
