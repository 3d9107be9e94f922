/**
 * The in-process bus's replay window, with a clock the test moves: it holds at most N events
 * and at most T ms of them, ids never go back, and an id it no longer holds answers reset.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveEvent } from '@okr-embed/contract';
import { compareEventIds } from '../../src/lib/events/event-bus.js';
import { createMemoryBus } from '../../src/lib/events/memory-bus.js';

const change = { goals: [], progress: [], keyResults: [] };

describe('in-memory event bus', () => {
  it('when more events than the window holds are published, then the oldest id answers reset with the newest id', async () => {
    let clock = 1_000_000;
    const bus = createMemoryBus({ events: 3, ms: 60_000 }, () => clock);
    const seen: LiveEvent[] = [];
    bus.listen('org-a', { deliver: (event) => seen.push(event), gap: () => {} });
    for (let i = 0; i < 5; i += 1) {
      await bus.publish('org-a', { type: 'goal.updated', change });
      clock += 1;
    }
    const ids = seen.map((event) => event.id);
    assert.equal(ids.length, 5);
    assert.deepEqual(await bus.replay('org-a', ids[0] as string), {
      reset: true,
      newestId: ids[4],
    });
    const inside = await bus.replay('org-a', ids[2] as string);
    assert.deepEqual(
      'events' in inside ? inside.events.map((event) => event.id) : inside,
      ids.slice(3),
    );
  });

  it('when events are older than the time window, then they are gone from replay', async () => {
    let clock = 5_000_000;
    const bus = createMemoryBus({ events: 100, ms: 1_000 }, () => clock);
    const seen: LiveEvent[] = [];
    bus.listen('org-a', { deliver: (event) => seen.push(event), gap: () => {} });
    await bus.publish('org-a', { type: 'goal.created', change });
    await bus.publish('org-a', { type: 'goal.updated', change });
    assert.deepEqual(await bus.replay('org-a', seen[0]?.id as string), { events: [seen[1]] });
    clock += 1_001;
    assert.deepEqual(await bus.replay('org-a', seen[0]?.id as string), {
      reset: true,
      newestId: null,
    });
  });

  it('when the clock goes back or events share a millisecond, then ids still grow, per org', async () => {
    let clock = 9_000_000;
    const bus = createMemoryBus({ events: 100, ms: 60_000 }, () => clock);
    const seen: LiveEvent[] = [];
    const other: LiveEvent[] = [];
    bus.listen('org-a', { deliver: (event) => seen.push(event), gap: () => {} });
    const stop = bus.listen('org-b', { deliver: (event) => other.push(event), gap: () => {} });
    await bus.publish('org-a', { type: 'goal.created', change });
    await bus.publish('org-a', { type: 'goal.updated', change });
    clock -= 5_000;
    await bus.publish('org-a', { type: 'goal.updated', change });
    const ids = seen.map((event) => event.id);
    assert.deepEqual([...ids].sort(compareEventIds), ids);
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(other, [], 'another org hears nothing');
    stop();
    await bus.publish('org-b', { type: 'goal.created', change });
    assert.deepEqual(other, [], 'a listener let go of hears nothing');
  });

  it('when an id was never made by this process, then replay answers reset', async () => {
    const bus = createMemoryBus();
    assert.deepEqual(await bus.replay('org-a', '42-0'), { reset: true, newestId: null });
  });
});
