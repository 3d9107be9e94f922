import { LIMITS, type Goal, type Me, type Timeframe } from '@okr-embed/contract';
import type { OkrClient } from '../client/client.js';
import type { EditorWords } from './editor-words.js';
import { selfAndDescendants } from './goal-conflict.js';

/** What the editor needs before it can show a form, loaded in one go. */
export interface Setting {
  me: Me;
  timeframes: Timeframe[];
  goal?: Goal;
  /** The goal and its descendants: not offered as its parent (the BFF refuses cycles). */
  excluded: Set<string>;
}

export async function loadSetting(
  client: OkrClient,
  goalId: string | undefined,
  signal: AbortSignal,
): Promise<Setting> {
  const [me, timeframes, goal, alignment] = await Promise.all([
    client.me({ signal }),
    client.timeframes({ signal }),
    goalId ? client.goal(goalId, { signal }) : undefined,
    goalId
      ? client.alignment({ root: goalId, depth: LIMITS.alignmentDepthMax }, { signal })
      : undefined,
  ]);
  return {
    me,
    timeframes: timeframes.items,
    goal,
    excluded: goalId ? selfAndDescendants(goalId, alignment?.nodes ?? []) : new Set(),
  };
}

/**
 * Why the user may not change this goal here, or undefined: the BFF's rules
 * (bff/src/components/goals/goal-rules.ts), so the editor never shows a form that must fail.
 * Creating needs the scope only; the BFF checks the chosen owner and team on save.
 */
export function readOnlyReason(me: Me, goal: Goal | undefined, words: EditorWords) {
  const admin = me.scopes.includes('okr:admin');
  if (!admin && !me.scopes.includes('okr:write')) return words.readOnlyScope;
  const owns =
    !goal ||
    admin ||
    goal.owner?.id === me.user.id ||
    (goal.team !== null && me.teams.some((team) => team.id === goal.team!.id));
  return owns ? undefined : words.readOnlyOwner;
}
