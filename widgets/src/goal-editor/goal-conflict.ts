import type { Goal } from '@okr-embed/contract';
import { fill } from '../i18n/messages.js';
import type { EditorWords as Wording } from './editor-words.js';

/**
 * What another person changed between the goal the editor loaded and the one stored now, in
 * words: the user decides from this list whether to take theirs or re-apply their own edits.
 */
export function conflictLines(before: Goal, now: Goal, words: Wording): string[] {
  const lines: string[] = [];
  const field = (label: string, a: unknown, b: unknown, shown: string) => {
    if (a !== b) lines.push(fill(words.conflictField, { field: label, value: shown }));
  };
  const levelWord = {
    company: words.levelCompany,
    team: words.levelTeam,
    personal: words.levelPersonal,
  };
  const sourceWord = {
    key_results: words.sourceKeyResults,
    aligned_goals: words.sourceAlignedGoals,
    both: words.sourceBoth,
  };
  field(words.fieldTitle, before.title, now.title, now.title);
  field(words.fieldDescription, before.description, now.description, now.description ?? '');
  field(words.fieldLevel, before.level, now.level, levelWord[now.level]);
  field(words.owner, before.owner?.id, now.owner?.id, now.owner?.name ?? '');
  field(words.fieldTeam, before.team?.id, now.team?.id, now.team?.name ?? '');
  field(words.timeframe, before.timeframe.id, now.timeframe.id, now.timeframe.name);
  field(words.fieldParent, before.parentId, now.parentId, now.parent?.title ?? '');
  field(
    words.fieldProgressSource,
    before.progressSource,
    now.progressSource,
    sourceWord[now.progressSource],
  );
  if (before.archived !== now.archived) {
    lines.push(now.archived ? words.goalArchived : words.goalUnarchived);
  }
  const old = new Map(before.keyResults.map((kr) => [kr.id, kr]));
  const fresh = new Map(now.keyResults.map((kr) => [kr.id, kr]));
  for (const kr of now.keyResults) {
    const was = old.get(kr.id);
    if (!was) lines.push(fill(words.conflictKrAdded, { title: kr.title }));
    else if (
      was.title !== kr.title ||
      was.kind !== kr.kind ||
      was.start !== kr.start ||
      was.target !== kr.target ||
      was.unit !== kr.unit ||
      was.weight !== kr.weight
    ) {
      lines.push(fill(words.conflictKrChanged, { title: kr.title }));
    }
  }
  for (const kr of before.keyResults) {
    if (!fresh.has(kr.id)) lines.push(fill(words.conflictKrRemoved, { title: kr.title }));
  }
  const kept = (goal: Goal, other: Map<string, unknown>) =>
    goal.keyResults.map((kr) => kr.id).filter((id) => other.has(id));
  if (kept(before, fresh).join() !== kept(now, old).join()) lines.push(words.conflictOrder);
  return lines;
}

/** The goal and every goal aligned under it, at any depth: never offered as its parent. */
export function selfAndDescendants(
  goalId: string,
  nodes: ReadonlyArray<{ id: string; parentId: string | null }>,
): Set<string> {
  const excluded = new Set([goalId]);
  // Nodes come in tree order, but a second pass costs little and needs no such promise.
  for (let grew = true; grew;) {
    grew = false;
    for (const node of nodes) {
      if (!excluded.has(node.id) && node.parentId && excluded.has(node.parentId)) {
        excluded.add(node.id);
        grew = true;
      }
    }
  }
  return excluded;
}
