import type { Change, GoalProgressPatch, LiveEventType, ProgressStatus } from '@okr-embed/contract';
import type { ViewCache } from './view-cache.js';

/** A committed write, as live streams carry it. */
export interface CommittedChange {
  type: LiveEventType;
  change: Change;
}

export type PublishChange = (orgId: string, event: CommittedChange) => Promise<void>;

/**
 * The one place a committed write has its consequences, in order: the org's generation moves
 * (no cached view older than the write is served again, by this instance or any other), then
 * the change goes out to live streams. Writers await it before they answer, so an
 * acknowledged write is one every later read sees.
 */
export function createChanges(views: ViewCache, publish?: PublishChange) {
  /** Several events (a group of check-ins committed together) move the generation once. */
  async function committed(orgId: string, ...events: CommittedChange[]): Promise<void> {
    await views.invalidate(orgId);
    if (publish) for (const event of events) await publish(orgId, event);
  }
  return {
    committed,
    /**
     * For a writer that answers with a view it reads after the commit (the card, the key
     * result) and publishes that view: the read comes first, so the event carries it, and a
     * failed read still moves the generation before it is thrown.
     */
    async committedWith<T>(
      orgId: string,
      read: () => Promise<T>,
      eventOf: (view: T) => CommittedChange,
    ): Promise<T> {
      let view: T;
      try {
        view = await read();
      } catch (error) {
        await committed(orgId);
        throw error;
      }
      await committed(orgId, eventOf(view));
      return view;
    },
  };
}

export type Changes = ReturnType<typeof createChanges>;

/**
 * What a roll-up moved, as events carry it: each goal whose progress or status changed, with
 * the `updatedAt` it was written with (structural, so lib/ needs nothing from components/).
 */
export function progressPatches(propagation: {
  moved: Array<{ id: string; progress: number; status: ProgressStatus }>;
  goals: Map<string, { updatedAt: string }>;
}): GoalProgressPatch[] {
  return propagation.moved.map(({ id, progress, status }) => ({
    id,
    progress,
    status,
    updatedAt: propagation.goals.get(id)?.updatedAt ?? new Date().toISOString(),
  }));
}
