import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCaches } from '../../src/lib/caches.js';
import { LookupTtlCache } from '../../src/lib/lookup-cache.js';
import { ViewBody } from '../../src/lib/view-body.js';
import { ViewCache, type Standing } from '../../src/lib/view-cache.js';

async function standing(views: ViewCache, orgId: string): Promise<Standing> {
  const at = await views.standing(orgId);
  assert.ok(at, 'in one process the generation is always known');
  return at;
}

describe('view caches and generations', () => {
  it('when an org is written to, then its cached views are gone and other orgs keep theirs', async () => {
    const views = new ViewCache(60_000);
    views.set('a', 'goal:1', await standing(views, 'a'), 'card A');
    views.set('b', 'goal:1', await standing(views, 'b'), 'card B');
    await views.invalidate('a');
    assert.equal(views.get('a', 'goal:1', await standing(views, 'a')), undefined);
    assert.equal(views.get('b', 'goal:1', await standing(views, 'b')), 'card B');
  });

  it('when a view was read before a write committed, then no later read is answered with it', async () => {
    const views = new ViewCache(60_000);
    const readAt = await standing(views, 'a');
    await views.invalidate('a');
    views.set('a', 'goal:1', readAt, 'stale card');
    assert.equal(views.get('a', 'goal:1', await standing(views, 'a')), undefined);
  });

  it('when the cache forgets all, then views read before are neither served nor stored', async () => {
    const views = new ViewCache(60_000);
    const before = await standing(views, 'a');
    views.set('a', 'goal:1', before, 'card');
    views.forgetAll();
    views.set('a', 'goal:2', before, 'card read before');
    const now = await standing(views, 'a');
    assert.equal(now.generation, before.generation, 'the same generation number');
    assert.equal(views.get('a', 'goal:1', now), undefined);
    assert.equal(views.get('a', 'goal:2', now), undefined);
  });

  it('when the generation cannot be read, then every read computes and nothing is kept or shared', async () => {
    let known = false;
    const views = new ViewCache(60_000, undefined, Date.now, {
      generation: async () => (known ? 1 : undefined),
      bumpGeneration: async () => {},
    });
    let computations = 0;
    const compute = async () => {
      computations += 1;
      return computations;
    };
    const answers = await Promise.all([
      views.through('a', 'card', 'goal:1', compute),
      views.through('a', 'card', 'goal:1', compute),
    ]);
    assert.deepEqual(answers.sort(), [1, 2]);
    known = true;
    assert.equal(await views.through('a', 'card', 'goal:1', compute), 3, 'nothing was kept');
    assert.equal(await views.through('a', 'card', 'goal:1', compute), 3, 'kept once known');
  });
});

describe('view cache bounds and shared misses', () => {
  it('when lists and trees fill their bounds, then cards stay, and a view weighs its bytes', () => {
    // A JSON string of n characters is n + 2 bytes; each entry costs 256 bytes besides.
    const body = (bytes: number) => ViewBody.of('x'.repeat(bytes - 2));
    const views = new ViewCache(60_000, { card: 600, list: 600, tree: 1_500 });
    const at = { generation: 0, epoch: 0 };
    views.set('a', 'goal:1', at, body(40));
    views.set('a', 'goal:2', at, body(40));
    for (let i = 0; i < 50; i += 1) views.set('a', `goals:${i}`, at, body(40), 'list');
    views.set('a', 'alignment:small', at, body(500), 'tree');
    views.set('a', 'alignment:big', at, body(1_000), 'tree');
    assert.ok(views.get('a', 'goal:1', at));
    assert.ok(views.get('a', 'goal:2', at));
    assert.ok(views.get('a', 'goals:49', at, 'list'));
    assert.ok(views.get('a', 'goals:48', at, 'list'));
    assert.equal(views.get('a', 'goals:47', at, 'list'), undefined);
    // 756 and 1 256 bytes: together more than 1 500, so the older tree went.
    assert.equal(views.get('a', 'alignment:small', at, 'tree'), undefined);
    assert.ok(views.get('a', 'alignment:big', at, 'tree'));
    views.set('a', 'alignment:huge', at, body(2_000), 'tree');
    assert.equal(
      views.get('a', 'alignment:huge', at, 'tree'),
      undefined,
      'too heavy to keep at all',
    );
  });

  it('when a view is serialised, then its bytes are its UTF-8 JSON and its ETag their hash', () => {
    const view = { title: 'Wachstum — 2026', progress: 0.5 };
    const body = ViewBody.of(view);
    assert.equal(body.bytes.toString('utf8'), JSON.stringify(view));
    assert.match(body.etag, /^W\/"[A-Za-z0-9_-]{27}"$/);
    assert.equal(ViewBody.of({ ...view }).etag, body.etag, 'the same view, the same validator');
    assert.notEqual(ViewBody.of({ ...view, progress: 0.6 }).etag, body.etag);
  });

  it('when many callers miss one key at once, then one computation answers them all', async () => {
    const views = new ViewCache(60_000);
    let computations = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      computations += 1;
      await gate;
      return { items: ['x'] };
    };
    const answers = Array.from({ length: 20 }, () => views.through('a', 'list', 'k', compute));
    release();
    const settled = await Promise.all(answers);
    assert.equal(computations, 1);
    assert.ok(settled.every((answer) => answer === settled[0]));
    await views.through('a', 'list', 'k', compute);
    assert.equal(computations, 1, 'and the answer is kept');
    await views.invalidate('a');
    await views.through('a', 'list', 'k', compute);
    assert.equal(computations, 2, 'a write makes it stale');
  });

  it('when a shared computation fails, then every waiter gets the failure and nothing is kept', async () => {
    const views = new ViewCache(60_000);
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error('database down');
    };
    const results = await Promise.allSettled([
      views.through('a', 'tree', 'k', failing),
      views.through('a', 'tree', 'k', failing),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(calls, 1);
    await assert.rejects(views.through('a', 'tree', 'k', failing));
    assert.equal(calls, 2);
  });
});

describe('view cache sizing and lifetimes', () => {
  it('when 200 users each read their My OKRs, a whole tree and cards, then all of it is kept', () => {
    const views = createCaches().views;
    const at = { generation: 0, epoch: 0 };
    // A page of 20 goal summaries is about 15 KB; a 10 000-goal tree about 3 MB.
    const page = ViewBody.of({ items: Array.from({ length: 20 }, () => 'g'.repeat(750)) });
    const tree = ViewBody.of({ nodes: Array.from({ length: 10_000 }, () => 'n'.repeat(300)) });
    for (let user = 0; user < 200; user += 1) views.set('a', `goals:${user}`, at, page, 'list');
    views.set('a', 'alignment:whole', at, tree, 'tree');
    views.set('a', 'alignment:widget', at, page, 'tree');
    for (let card = 0; card < 100; card += 1) views.set('a', `goal:${card}`, at, page);
    for (let user = 0; user < 200; user += 1) {
      assert.equal(views.get('a', `goals:${user}`, at, 'list'), page, `user ${user}`);
    }
    assert.equal(views.get('a', 'alignment:whole', at, 'tree'), tree);
    assert.equal(views.get('a', 'alignment:widget', at, 'tree'), page);
    assert.equal(views.get('a', 'goal:0', at), page);
  });

  it('when 2 s have passed, then cards and trees are computed again and list pages are not', () => {
    let now = 0;
    const views = new ViewCache({ card: 2_000, tree: 2_000, list: 30_000 }, undefined, () => now);
    const at = { generation: 0, epoch: 0 };
    views.set('a', 'goal:1', at, 'card');
    views.set('a', 'alignment:1', at, 'tree', 'tree');
    views.set('a', 'goals:me', at, 'page', 'list');
    now = 2_000;
    assert.equal(views.get('a', 'goal:1', at), undefined);
    assert.equal(views.get('a', 'alignment:1', at, 'tree'), undefined);
    assert.equal(views.get('a', 'goals:me', at, 'list'), 'page');
    now = 30_000;
    assert.equal(views.get('a', 'goals:me', at, 'list'), undefined);
  });
});

describe('org lookup cache', () => {
  it('when a clear lands between a miss and its store, then the answer read before it is not kept', () => {
    const cache = new LookupTtlCache<string>(60_000, 10);
    assert.equal(cache.get('kid-1'), undefined);
    cache.clear();
    cache.set('kid-1', 'active, read before the key was retired');
    assert.equal(cache.get('kid-1'), undefined);
    cache.set('kid-1', 'read after');
    assert.equal(cache.get('kid-1'), 'read after');
    cache.set('kid-2', 'written by the repository itself, no miss first');
    assert.equal(cache.get('kid-2'), 'written by the repository itself, no miss first');
  });
});
