import { dayOf } from '@okr-embed/contract';
import type { ViewCache } from '../../lib/view-cache.js';
import type { TimeframesRepository } from './timeframes.repository.js';

/**
 * `timeframe=current` resolved to an id, through the view cache: cached reads are keyed by the
 * id (a new current timeframe is another key), and resolving it must not cost a query of its
 * own on every hit. Keyed by the day, so midnight moves it; a new timeframe bumps the org's
 * generation like any other write.
 */
export function createCurrentTimeframe(timeframes: TimeframesRepository, views: ViewCache) {
  return async function currentTimeframeId(orgId: string): Promise<string | null> {
    const day = dayOf();
    const resolved = await views.through(orgId, 'list', `timeframe:current:${day}`, async () => ({
      id: (await timeframes.timeframeOn(orgId, day))?.id ?? null,
    }));
    return resolved.id;
  };
}

export type CurrentTimeframe = ReturnType<typeof createCurrentTimeframe>;
