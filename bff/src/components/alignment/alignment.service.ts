import { dayOf, type Alignment, type AlignmentNode } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import { notFound } from '../../lib/errors.js';
import type { TimeframesRepository } from '../timeframes/timeframes.repository.js';
import type { AlignmentRepository } from './alignment.repository.js';
import type { AlignmentQuery } from './alignment.schema.js';

/** Depth-first order: each node right after its parent, siblings oldest first. */
function treeOrder(rows: Array<AlignmentNode & { createdAt: number }>): AlignmentNode[] {
  const ids = new Set(rows.map((row) => row.id));
  const byParent = new Map<string | null, typeof rows>();
  for (const row of rows) {
    const parent = row.parentId !== null && ids.has(row.parentId) ? row.parentId : null;
    const siblings = byParent.get(parent) ?? [];
    siblings.push(row);
    byParent.set(parent, siblings);
  }
  for (const siblings of byParent.values()) {
    siblings.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }
  const ordered: AlignmentNode[] = [];
  const stack = [...(byParent.get(null) ?? [])].reverse();
  while (stack.length > 0) {
    const { createdAt: _c, ...node } = stack.pop()!;
    ordered.push(node);
    stack.push(...[...(byParent.get(node.id) ?? [])].reverse());
  }
  return ordered;
}

export function createAlignmentService(
  alignment: AlignmentRepository,
  timeframes: TimeframesRepository,
) {
  return {
    async alignment(auth: AuthContext, query: AlignmentQuery): Promise<Alignment> {
      const orgId = auth.org.id;
      if (query.root) {
        const rows = await alignment.treeRows({ orgId, rootId: query.root, depth: query.depth });
        if (rows.length === 0) throw notFound('Goal');
        return { nodes: treeOrder(rows) };
      }
      let timeframeId = query.timeframe;
      if (timeframeId === 'current') {
        const current = await timeframes.timeframeOn(orgId, dayOf());
        if (!current) return { nodes: [] };
        timeframeId = current.id;
      } else if (timeframeId && !(await timeframes.findTimeframe(orgId, timeframeId))) {
        throw notFound('Timeframe');
      }
      return {
        nodes: treeOrder(await alignment.treeRows({ orgId, timeframeId, depth: query.depth })),
      };
    },
  };
}

export type AlignmentService = ReturnType<typeof createAlignmentService>;
