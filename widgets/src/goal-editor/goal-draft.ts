import {
  LIMITS,
  type CreateGoalRequest,
  type Goal,
  type GoalLevel,
  type KeyResult,
  type KeyResultDraft,
  type KeyResultKind,
  type ProgressSource,
} from '@okr-embed/contract';
import type { GoalChanges, KeyResultChanges } from './editor-api.js';

/*
 * What the editor holds while the user types, and how it becomes requests. Numbers stay the
 * text the user typed, so a failed save (or a bad number) never rewrites what is on screen.
 */

/** A choice made in a picker: the id sent, and the words shown. */
export interface Picked {
  id: string;
  label: string;
}

export interface KeyResultRow {
  /** Stable across reorders, for rendering and for ids of new rows. */
  key: string;
  /** Set once the key result is stored. */
  id?: string;
  title: string;
  kind: KeyResultKind;
  start: string;
  target: string;
  unit: string;
  weight: string;
}

export interface GoalDraft {
  title: string;
  description: string;
  level: GoalLevel;
  owner: Picked | null;
  team: Picked | null;
  timeframeId: string;
  parent: Picked | null;
  progressSource: ProgressSource;
  keyResults: KeyResultRow[];
}

let rowCount = 0;
const newKey = () => `new-${++rowCount}`;

export function emptyRow(): KeyResultRow {
  return {
    key: newKey(),
    title: '',
    kind: 'increase',
    start: '0',
    target: '',
    unit: '',
    weight: '1',
  };
}

export function rowOf(kr: KeyResult): KeyResultRow {
  return {
    key: kr.id,
    id: kr.id,
    title: kr.title,
    kind: kr.kind,
    start: String(kr.start),
    target: String(kr.target),
    unit: kr.unit ?? '',
    weight: String(kr.weight),
  };
}

export function draftOf(goal: Goal): GoalDraft {
  return {
    title: goal.title,
    description: goal.description ?? '',
    level: goal.level,
    owner: goal.owner && { id: goal.owner.id, label: goal.owner.name },
    team: goal.team && { id: goal.team.id, label: goal.team.name },
    timeframeId: goal.timeframe.id,
    parent: goal.parent && { id: goal.parent.id, label: goal.parent.title },
    progressSource: goal.progressSource,
    keyResults: goal.keyResults.map(rowOf),
  };
}

export function newDraft(preset: Partial<GoalDraft>): GoalDraft {
  return {
    title: '',
    description: '',
    level: 'team',
    owner: null,
    team: null,
    timeframeId: '',
    parent: null,
    progressSource: 'key_results',
    keyResults: [],
    ...preset,
  };
}

/** Kinds whose start and target are the user's to set; the others have fixed bounds. */
export const hasRange = (kind: KeyResultKind) => kind === 'increase' || kind === 'decrease';
export const hasThreshold = (kind: KeyResultKind) => kind === 'stay_above' || kind === 'stay_below';

/** A key result as the BFF takes it: boolean and initiative run from 0 to 1 (done, 100 %). */
export function keyResultBody(row: KeyResultRow): KeyResultDraft {
  const fixed = !hasRange(row.kind) && !hasThreshold(row.kind);
  const unit = row.unit.trim();
  return {
    title: row.title.trim(),
    kind: row.kind,
    start: hasRange(row.kind) ? Number(row.start) : 0,
    target: fixed ? 1 : Number(row.target),
    unit: fixed || !unit ? null : unit,
    weight: Number(row.weight),
  };
}

export function createRequest(draft: GoalDraft): CreateGoalRequest {
  const description = draft.description.trim();
  return {
    title: draft.title.trim(),
    description: description || null,
    level: draft.level,
    timeframeId: draft.timeframeId,
    ...(draft.owner ? { ownerId: draft.owner.id } : {}),
    teamId: draft.team?.id ?? null,
    parentId: draft.parent?.id ?? null,
    progressSource: draft.progressSource,
    keyResults: draft.keyResults.map(keyResultBody),
  };
}

/** The goal fields that differ from `goal`: what a PATCH sends, nothing more. */
export function goalChanges(goal: Goal, draft: GoalDraft): GoalChanges {
  const wanted: GoalChanges = {
    title: draft.title.trim(),
    description: draft.description.trim() || null,
    level: draft.level,
    timeframeId: draft.timeframeId,
    ownerId: draft.owner?.id ?? null,
    teamId: draft.team?.id ?? null,
    parentId: draft.parent?.id ?? null,
    progressSource: draft.progressSource,
  };
  const stored: GoalChanges = {
    title: goal.title,
    description: goal.description,
    level: goal.level,
    timeframeId: goal.timeframe.id,
    ownerId: goal.owner?.id ?? null,
    teamId: goal.team?.id ?? null,
    parentId: goal.parent?.id ?? goal.parentId,
    progressSource: goal.progressSource,
  };
  return Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => stored[key as keyof GoalChanges] !== value),
  ) as GoalChanges;
}

/** The fields of a stored key result that the row changes. */
export function keyResultChanges(kr: KeyResult, row: KeyResultRow): KeyResultChanges {
  const wanted = keyResultBody(row);
  const stored: KeyResultDraft = {
    title: kr.title,
    kind: kr.kind,
    start: kr.start,
    target: kr.target,
    unit: kr.unit,
    weight: kr.weight,
  };
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(wanted) as (keyof KeyResultDraft)[]) {
    if (wanted[key] !== stored[key]) changes[key] = wanted[key];
  }
  // A start means nothing to the other kinds: keep the stored one rather than zero it.
  if (!hasRange(row.kind)) delete changes['start'];
  return changes as KeyResultChanges;
}

/** Every key-result request an edit needs, in the order they are sent. */
export interface KeyResultPlan {
  removed: KeyResult[];
  changed: Array<{ kr: KeyResult; changes: KeyResultChanges }>;
  added: KeyResultRow[];
}

export function keyResultPlan(goal: Goal, draft: GoalDraft): KeyResultPlan {
  const kept = new Map(draft.keyResults.filter((row) => row.id).map((row) => [row.id!, row]));
  const plan: KeyResultPlan = { removed: [], changed: [], added: [] };
  for (const kr of goal.keyResults) {
    const row = kept.get(kr.id);
    if (!row) plan.removed.push(kr);
    else {
      const changes = keyResultChanges(kr, row);
      if (Object.keys(changes).length > 0) plan.changed.push({ kr, changes });
    }
  }
  plan.added = draft.keyResults.filter((row) => !row.id);
  return plan;
}

/** The order to store, or undefined when the stored one already matches. */
export function orderChange(goal: Goal, ids: string[]): string[] | undefined {
  const stored = goal.keyResults.map((kr) => kr.id);
  return ids.length === stored.length && ids.every((id, i) => id === stored[i]) ? undefined : ids;
}

/** Field names as the BFF's 400 details name them (without `body.`), e.g. `keyResults.2.target`. */
export type FieldErrors = Record<string, string>;

export interface ValidationWords {
  titleRequired: string;
  valueRequired: string;
  weightRange: string;
  commentTooLong: string;
}

function checkLength(
  errors: FieldErrors,
  field: string,
  text: string,
  max: number,
  words: ValidationWords,
) {
  if (text.length > max) errors[field] = words.commentTooLong.replace('{max}', String(max));
}

/** What the BFF would refuse, found before sending. */
export function validate(draft: GoalDraft, words: ValidationWords): FieldErrors {
  const errors: FieldErrors = {};
  const title = draft.title.trim();
  if (!title) errors['title'] = words.titleRequired;
  checkLength(errors, 'title', title, LIMITS.goalTitle, words);
  checkLength(errors, 'description', draft.description.trim(), LIMITS.goalDescription, words);
  draft.keyResults.forEach((row, i) => {
    const at = `keyResults.${i}`;
    const krTitle = row.title.trim();
    if (!krTitle) errors[`${at}.title`] = words.titleRequired;
    checkLength(errors, `${at}.title`, krTitle, LIMITS.keyResultTitle, words);
    const numbers = hasRange(row.kind)
      ? ['start', 'target']
      : hasThreshold(row.kind)
        ? ['target']
        : [];
    for (const field of numbers) {
      const text = row[field as 'start' | 'target'].trim();
      const value = Number(text);
      if (!text || !Number.isFinite(value) || Math.abs(value) >= LIMITS.decimalMagnitude) {
        errors[`${at}.${field}`] = words.valueRequired;
      }
    }
    checkLength(errors, `${at}.unit`, row.unit.trim(), LIMITS.keyResultUnit, words);
    const weight = Number(row.weight.trim());
    if (!row.weight.trim() || !(weight >= 0 && weight <= LIMITS.keyResultWeightMax)) {
      errors[`${at}.weight`] = words.weightRange.replace(
        '{max}',
        String(LIMITS.keyResultWeightMax),
      );
    }
  });
  return errors;
}

/** The editor's name for a field the BFF named (`body.ownerId` is the owner picker). */
const goalFieldNames: Record<string, string> = {
  ownerId: 'owner',
  teamId: 'team',
  timeframeId: 'timeframe',
  parentId: 'parent',
};

/**
 * A 400's details as field errors. `prefix` places the details of a key result's own request
 * (`body.target`) at that key result's row.
 */
export function fieldErrorsOf(details: unknown, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  if (!Array.isArray(details)) return errors;
  for (const detail of details as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof detail?.field !== 'string' || typeof detail.message !== 'string') continue;
    const path = detail.field.replace(/^body\.?/, '');
    const field = prefix
      ? `${prefix}.${path}`
      : (goalFieldNames[path] ??
        path.replace(/^keyResults\.(\d+)\.ownerId$/, 'keyResults.$1.owner'));
    errors[field] ??= detail.message;
  }
  return errors;
}
