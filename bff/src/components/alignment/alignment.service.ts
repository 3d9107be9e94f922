import { dayOf, type Alignment } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import { notFound } from '../../lib/errors.js';
import type { TimeframesRepository } from '../timeframes/timeframes.repository.js';
import type { AlignmentRepository } from './alignment.repository.js';
import type { AlignmentQuery } from './alignment.schema.js';
import { alignmentTree } from './alignment.tree.js';

export function createAlignmentService(
  alignment: AlignmentRepository,
  timeframes: TimeframesRepository,
) {
  return {
    async alignment(auth: AuthContext, query: AlignmentQuery): Promise<Alignment> {
      const orgId = auth.org.id;
      if (query.root) {
        const goals = await alignment.liveGoals(orgId);
        const nodes = alignmentTree(goals, { rootId: query.root, depth: query.depth });
        if (nodes.length === 0) throw notFound('Goal');
        return { nodes };
      }
      let timeframeId = query.timeframe;
      if (timeframeId === 'current') {
        const current = await timeframes.timeframeOn(orgId, dayOf());
        if (!current) return { nodes: [] };
        timeframeId = current.id;
      } else if (timeframeId && !(await timeframes.findTimeframe(orgId, timeframeId))) {
        throw notFound('Timeframe');
      }
      const goals = await alignment.liveGoals(orgId);
      return { nodes: alignmentTree(goals, { timeframeId, depth: query.depth }) };
    },
  };
}

export type AlignmentService = ReturnType<typeof createAlignmentService>;
