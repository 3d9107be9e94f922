import type { AlignmentNode } from '@okr-embed/contract';
import type { AlignmentGoal } from './alignment.repository.js';

/** Which part of the org's goals the tree shows. */
export interface AlignmentScope {
  /** A subtree: this goal and what is below it, whatever its timeframe or parent. */
  rootId?: string;
  /** Without a root: the top-level goals of this timeframe (their children may be in any). */
  timeframeId?: string;
  /** Levels below the roots to include; roots are depth 0. */
  depth: number;
}

/**
 * The alignment tree as one flat list in depth-first order, each node right after its parent
 * and siblings oldest first, built in O(n) from the org's live goals in (created_at, id) order
 * (as `liveGoals` reads them): siblings keep that order, so nothing is sorted here. A goal under
 * an archived or deleted parent is unreachable, as it was in the tree the SQL used to walk.
 * `childCount` counts live children even below the depth limit, so a widget knows what it can
 * expand.
 */
export function alignmentTree(goals: AlignmentGoal[], scope: AlignmentScope): AlignmentNode[] {
  const childrenOf = new Map<string, AlignmentGoal[]>();
  const roots: AlignmentGoal[] = [];
  for (const goal of goals) {
    if (
      scope.rootId
        ? goal.id === scope.rootId
        : goal.parentId === null &&
          (scope.timeframeId === undefined || goal.timeframeId === scope.timeframeId)
    ) {
      roots.push(goal);
    }
    if (goal.parentId !== null) {
      const siblings = childrenOf.get(goal.parentId);
      if (siblings) siblings.push(goal);
      else childrenOf.set(goal.parentId, [goal]);
    }
  }

  const nodes: AlignmentNode[] = [];
  // An explicit stack: a chain 50 levels deep is fine either way, but a pathological tree
  // should not depend on the call stack. Pushed in reverse so the oldest sibling pops first.
  const stack: Array<[AlignmentGoal, number]> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push([roots[i] as AlignmentGoal, 0]);
  while (stack.length > 0) {
    const [goal, depth] = stack.pop() as [AlignmentGoal, number];
    const children = childrenOf.get(goal.id) ?? [];
    nodes.push({
      id: goal.id,
      parentId: goal.parentId,
      title: goal.title,
      level: goal.level,
      status: goal.status,
      progress: goal.progress,
      owner: goal.owner,
      depth,
      childCount: children.length,
    });
    if (depth < scope.depth) {
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push([children[i] as AlignmentGoal, depth + 1]);
      }
    }
  }
  return nodes;
}
