import type { Alignment } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import { ViewBody } from '../../lib/view-body.js';
import type { ViewCache } from '../../lib/view-cache.js';
import type { CurrentTimeframe } from '../timeframes/current-timeframe.js';
import type { AlignmentQuery } from './alignment.schema.js';
import type { AlignmentService } from './alignment.service.js';

/**
 * The alignment service behind the view cache. It wraps the service's answer and nothing
 * beneath it, so how the tree is built can change freely. The key is the resolved query:
 * `current` becomes the timeframe's id first, so a new current timeframe is a new key; trees
 * are kept serialised and weighed by their bytes against a bound of their own (see ViewCache).
 */
export function cachedAlignment(
  service: AlignmentService,
  views: ViewCache,
  currentTimeframeId: CurrentTimeframe,
) {
  return {
    async alignment(auth: AuthContext, query: AlignmentQuery): Promise<ViewBody<Alignment>> {
      const orgId = auth.org.id;
      let { timeframe } = query;
      if (!query.root && timeframe === 'current') {
        const resolved = await currentTimeframeId(orgId);
        if (!resolved) return ViewBody.of<Alignment>({ nodes: [] });
        timeframe = resolved;
      }
      const resolved = query.root
        ? { root: query.root, depth: query.depth }
        : { timeframe, depth: query.depth };
      return views.through(orgId, 'tree', `alignment:${JSON.stringify(resolved)}`, async () =>
        ViewBody.of(await service.alignment(auth, { ...query, timeframe })),
      );
    },
  };
}

export type CachedAlignment = ReturnType<typeof cachedAlignment>;
