import type {
  AlignmentNode,
  Change,
  Goal,
  GoalProgressPatch,
  GoalRef,
  GoalSummary,
  KeyResult,
  LiveEventType,
} from '@okr-embed/contract';
import type { TreeModel } from '../alignment-tree/tree-model.js';
import type { CheckInSubmittedDetail } from '../events/events.js';

/*
 * How a change moves the views widgets hold, without asking the BFF again. Each patch keeps
 * what is newer: an event replayed after a reconnect, or one that arrives after the page's own
 * check-in answered, must not take the numbers back.
 */

/** A check-in made on this page, as the change it is (the stream sends the same one). */
export function asChange(change: Change | CheckInSubmittedDetail): Change {
  if ('goals' in change) return change;
  const { goal, progress, keyResult, checkIn } = change;
  return { goals: [goal], progress, keyResults: [keyResult], checkIn };
}

/**
 * A check-in form after the change: its goal (when it loaded one and the change moved it),
 * the key result it shows (the newer version, so the next check-in starts from what is
 * stored) and the input's value: a value the user is typing stays, an untouched input follows
 * the stored value. `valueText` is the form's own rule for showing a stored value.
 */
export function patchForm(
  shown: KeyResult,
  goal: Goal | undefined,
  input: HTMLInputElement | null | undefined,
  draft: string,
  valueText: (kr: KeyResult) => string,
  change: Change,
): { goal?: Goal; keyResult: KeyResult; draft: string } {
  const next = goal && patchGoal(goal, change);
  const fresh = (next?.keyResults ?? change.keyResults).find((kr) => kr.id === shown.id);
  const keyResult = fresh && fresh.version >= shown.version ? fresh : shown;
  const untouched =
    shown.kind === 'boolean'
      ? input?.checked === shown.current >= 1
      : input?.value === valueText(shown);
  return {
    goal: next === goal ? undefined : next,
    keyResult,
    draft: untouched ? valueText(keyResult) : draft,
  };
}

function progressOf(change: Change, id: string): GoalProgressPatch | undefined {
  return change.progress.find((patch) => patch.id === id);
}

/** A row's (or card's) own progress and status; the same row when nothing newer moved them. */
function withProgress<T extends GoalRef & { updatedAt: string }>(row: T, change: Change): T {
  const patch = progressOf(change, row.id);
  if (!patch || patch.updatedAt < row.updatedAt) return row;
  return { ...row, progress: patch.progress, status: patch.status, updatedAt: patch.updatedAt };
}

/** A parent or child link: it carries no time, so the change's numbers win. */
function refWithProgress(ref: GoalRef, change: Change): GoalRef {
  const patch = progressOf(change, ref.id);
  return patch ? { ...ref, progress: patch.progress, status: patch.status } : ref;
}

/** A list row after the change (its summary fields from a whole card, if the change has one). */
function patchSummary(row: GoalSummary, change: Change): GoalSummary {
  const whole = change.goals.find((goal) => goal.id === row.id);
  let next = row;
  if (whole && whole.updatedAt >= row.updatedAt) {
    next = { ...row };
    for (const key of Object.keys(row) as (keyof GoalSummary)[]) {
      (next as unknown as Record<string, unknown>)[key] = whole[key];
    }
  }
  return withProgress(next, change);
}

/** A list's rows after the change: deleted goals gone, the others patched. */
export function patchRows(rows: GoalSummary[], change: Change): GoalSummary[] {
  const gone = change.deleted?.goalIds ?? [];
  return rows.filter((row) => !gone.includes(row.id)).map((row) => patchSummary(row, change));
}

/** A goal card after the change; the same object when the change does not touch it. */
export function patchGoal(goal: Goal, change: Change): Goal {
  const whole = change.goals.find((other) => other.id === goal.id);
  let next = whole && whole.updatedAt >= goal.updatedAt ? whole : goal;
  next = withProgress(next, change);
  const parent = next.parent && refWithProgress(next.parent, change);
  const gone = change.deleted ?? { goalIds: [], keyResultIds: [] };
  const children = next.children
    .filter((child) => !gone.goalIds.includes(child.id))
    .map((child) => refWithProgress(child, change));
  const ownResults = change.keyResults.filter((kr) => kr.goalId === next.id);
  const keyResults = next.keyResults
    .filter((kr) => !gone.keyResultIds.includes(kr.id))
    .map((kr) => {
      const fresh = ownResults.find((other) => other.id === kr.id);
      return fresh && fresh.version >= kr.version ? fresh : kr;
    });
  for (const kr of ownResults)
    if (!keyResults.some((known) => known.id === kr.id)) keyResults.push(kr);
  const checkIn = change.checkIn;
  const lastCheckIn =
    checkIn &&
    keyResults.some((kr) => kr.id === checkIn.keyResultId) &&
    (!next.lastCheckIn || next.lastCheckIn.createdAt <= checkIn.createdAt)
      ? checkIn
      : next.lastCheckIn;
  const same = <T>(a: readonly T[], b: readonly T[]) =>
    a.length === b.length && a.every((item, i) => item === b[i]);
  if (
    parent === next.parent &&
    same(children, next.children) &&
    same(keyResults, next.keyResults) &&
    lastCheckIn === next.lastCheckIn
  ) {
    return next;
  }
  return { ...next, parent, children, keyResults, lastCheckIn };
}

/** What a tree shows: the subtree under `root`, or the top-level goals of a timeframe. */
export interface TreeScope {
  root?: string;
  timeframe?: string;
}

/** Whether a top-level goal is one of the roots the tree shows (the BFF's filter, repeated). */
function showsAsRoot(goal: Goal, { root, timeframe }: TreeScope): boolean {
  if (root) return false;
  if (!timeframe || timeframe === goal.timeframe.id) return true;
  const today = new Date().toISOString().slice(0, 10);
  return (
    timeframe === 'current' && goal.timeframe.startDate <= today && today <= goal.timeframe.endDate
  );
}

/** Adds `by` to a loaded node's child count; the node as it was, or undefined when not loaded. */
function recount(model: TreeModel, id: string | null, by: number): AlignmentNode | undefined {
  const node = model.loaded.find((known) => known.id === id);
  if (node) model.refresh(node.id, { childCount: Math.max(0, node.childCount + by) });
  return node;
}

/**
 * Hangs a goal (with what is loaded below it, each after its parent) under its parent as the
 * last child, or among the roots when the tree shows it as one. A parent whose children are
 * not loaded yet only counts one more: expanding it loads them all, this one included.
 * False when the tree does not show where the goal now hangs.
 */
function graft(model: TreeModel, goal: Goal, nodes: AlignmentNode[], scope: TreeScope): boolean {
  const parent = recount(model, goal.parentId, 1);
  if (parent) {
    // Asked of the node as it was: a parent that had no children has them all now.
    if (model.needsChildren(parent)) return true;
  } else if (goal.parentId !== null || !showsAsRoot(goal, scope)) return false;
  const shift = (parent ? parent.depth + 1 : 0) - nodes[0]!.depth;
  model.add(
    nodes.map((node, i) => ({
      ...node,
      parentId: i ? node.parentId : goal.parentId,
      depth: node.depth + shift,
    })),
  );
  return true;
}

/**
 * The tree after the change: titles, progress and status of loaded nodes moved in place,
 * deleted goals (and what hangs below them) gone, a created goal added below its loaded parent
 * (or among the roots), a goal given another parent moved there with its loaded subtree.
 * Undefined when nothing it shows changed.
 */
export function patchTree(
  model: TreeModel,
  change: Change,
  type?: LiveEventType,
  scope: TreeScope = {},
): TreeModel | undefined {
  let moved = false;
  for (const { id, title, progress, status } of change.goals) {
    moved = model.refresh(id, { title, progress, status }) || moved;
  }
  for (const { id, progress, status } of change.progress) {
    moved = model.refresh(id, { progress, status }) || moved;
  }
  // Created and updated events carry one card: the goal written.
  const goal = change.goals[0];
  const known = goal && model.loaded.find((node) => node.id === goal.id);
  // The subtree's own root keeps its place whatever its parent: it is what the tree shows.
  const move =
    type === 'goal.updated' && known && known.parentId !== goal.parentId && goal.id !== scope.root;
  const cut = new Set<string>();
  if (move) {
    cut.add(goal.id);
    recount(model, known.parentId, -1);
  }
  // Deletions and moves are rare: the model is rebuilt without the goals and what hangs below
  // them (each node arrives after its parent, so one pass finds every descendant).
  const gone = new Set(change.deleted?.goalIds);
  const kept: AlignmentNode[] = [];
  const moving: AlignmentNode[] = [];
  for (const node of model.loaded) {
    if (gone.has(node.id) || gone.has(node.parentId!)) gone.add(node.id);
    else if (!cut.has(node.id) && !cut.has(node.parentId!)) kept.push(node);
    else {
      cut.add(node.id);
      moving.push(node);
    }
  }
  // The model's own class: importing it here would split the tree's code into a shared chunk.
  const Model = model.constructor as typeof TreeModel;
  const next = kept.length < model.size ? new Model(kept) : model;
  if (move) graft(next, goal, moving, scope);
  else if (type === 'goal.created' && goal && !known) {
    const { id, parentId, title, level, status, progress, owner } = goal;
    const node = { id, parentId, title, level, status, progress, owner, depth: 0, childCount: 0 };
    moved = graft(next, goal, [node], scope) || moved;
  }
  return next !== model || moved ? next : undefined;
}
