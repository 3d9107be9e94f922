import type { Goal } from '@okr-embed/contract';
import type { EditorApi } from './editor-api.js';
import {
  goalChanges,
  keyResultBody,
  keyResultPlan,
  orderChange,
  type GoalDraft,
} from './goal-draft.js';

/** A request of an edit failed; `field` prefixes its 400 details (`keyResults.2`). */
export class EditFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly field: string,
  ) {
    super('edit failed');
  }
}

/** Where an edit stands: the goal as stored so far, and the draft (new rows get their ids). */
export interface EditProgress {
  base: Goal;
  draft: GoalDraft;
}

/**
 * Sends an edit as the few requests it needs: the goal's changed fields, then removed, changed
 * and new key results, then their order. `progress` moves on after every request that
 * succeeded, so after a failure a retry sends only what is still missing, with the versions
 * the BFF answered. Resolves with the stored goal, or undefined when nothing differed.
 */
export async function sendEdit(
  api: EditorApi,
  progress: EditProgress,
  reload: (signal: AbortSignal) => Promise<Goal>,
  signal: AbortSignal,
): Promise<Goal | undefined> {
  const options = { signal };
  const step = async <T>(field: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw new EditFailure(error, field);
    }
  };
  const goalId = progress.base.id;
  let sent = false;
  const changes = goalChanges(progress.base, progress.draft);
  if (Object.keys(changes).length > 0) {
    progress.base = await step('', () =>
      api.updateGoal(goalId, progress.base.version, changes, options),
    );
    sent = true;
  }
  const plan = keyResultPlan(progress.base, progress.draft);
  for (const kr of plan.removed) {
    await step('', () => api.deleteKeyResult(kr.id, kr.version, options));
    progress.base = {
      ...progress.base,
      keyResults: progress.base.keyResults.filter((other) => other.id !== kr.id),
    };
    sent = true;
  }
  const rowIndex = (id: string) => progress.draft.keyResults.findIndex((row) => row.id === id);
  for (const { kr, changes: krChanges } of plan.changed) {
    const stored = await step(`keyResults.${rowIndex(kr.id)}`, () =>
      api.updateKeyResult(kr.id, kr.version, krChanges, options),
    );
    progress.base = {
      ...progress.base,
      keyResults: progress.base.keyResults.map((other) => (other.id === kr.id ? stored : other)),
    };
    sent = true;
  }
  for (const row of plan.added) {
    const index = progress.draft.keyResults.indexOf(row);
    const stored = await step(`keyResults.${index}`, () =>
      api.createKeyResult(goalId, keyResultBody(row), options),
    );
    progress.base = { ...progress.base, keyResults: [...progress.base.keyResults, stored] };
    progress.draft = {
      ...progress.draft,
      keyResults: progress.draft.keyResults.map((other) =>
        other === row ? { ...row, id: stored.id } : other,
      ),
    };
    sent = true;
  }
  const order = orderChange(
    progress.base,
    progress.draft.keyResults.map((row) => row.id!),
  );
  if (order) {
    progress.base = await step('', () =>
      api.orderKeyResults(goalId, progress.base.version, order, options),
    );
    return progress.base;
  }
  if (!sent) return undefined;
  // Key-result answers do not carry the goal's new progress and status; the card view does.
  progress.base = await step('', () => reload(signal));
  return progress.base;
}
