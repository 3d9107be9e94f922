import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlCache } from '../../src/lib/ttl-cache.js';
import { ViewCache } from '../../src/lib/view-cache.js';

describe('view and TTL caches', () => {
  it('when an org is written to, then its cached views are gone and other orgs keep theirs', () => {
    const views = new ViewCache(60_000);
    views.set('a', 'goal:1', views.generation('a'), 'card A');
    views.set('b', 'goal:1', views.generation('b'), 'card B');
    views.invalidate('a');
    assert.equal(views.get('a', 'goal:1'), undefined);
    assert.equal(views.get('b', 'goal:1'), 'card B');
  });

  it('when a view was read before a write committed, then it is not stored after the write', () => {
    const views = new ViewCache(60_000);
    const readAt = views.generation('a');
    views.invalidate('a');
    views.set('a', 'goal:1', readAt, 'stale card');
    assert.equal(views.get('a', 'goal:1'), undefined);
  });

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
});
