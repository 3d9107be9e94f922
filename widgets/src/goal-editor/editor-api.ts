import type {
  CopyGoalRequest,
  CopyGoalResult,
  CreateGoalRequest,
  DirectoryTeam,
  DirectoryUser,
  Goal,
  GoalLevel,
  KeyResult,
  KeyResultDraft,
  Page,
  ProgressSource,
} from '@okr-embed/contract';
import type { OkrClient, RequestOptions } from '../client/client.js';

/** The goal fields a PATCH may change; `archived` archives and un-archives. */
export interface GoalChanges {
  title?: string;
  description?: string | null;
  level?: GoalLevel;
  timeframeId?: string;
  ownerId?: string | null;
  teamId?: string | null;
  parentId?: string | null;
  progressSource?: ProgressSource;
  archived?: boolean;
}

export type KeyResultChanges = Partial<KeyResultDraft>;

const goalPath = (id: string) => `/goals/${encodeURIComponent(id)}`;
const keyResultPath = (id: string) => `/key-results/${encodeURIComponent(id)}`;
const search = (q: string) => {
  const params = new URLSearchParams({ limit: '10' });
  if (q) params.set('q', q);
  return params.toString();
};

/**
 * The editor's requests, typed, over the page's one client: they ship in okr-goal-editor.js
 * only, so pages without the editor do not download them.
 */
export function editorApi(client: OkrClient) {
  return {
    createGoal: (body: CreateGoalRequest, options?: RequestOptions) =>
      client.write<Goal>('POST', '/goals', body, undefined, options),
    updateGoal: (id: string, version: number, changes: GoalChanges, options?: RequestOptions) =>
      client.write<Goal>('PATCH', goalPath(id), changes, version, options),
    deleteGoal: (id: string, version: number, options?: RequestOptions) =>
      client.write<void>('DELETE', goalPath(id), undefined, version, options),
    createKeyResult: (goalId: string, body: KeyResultDraft, options?: RequestOptions) =>
      client.write<KeyResult>('POST', `${goalPath(goalId)}/key-results`, body, undefined, options),
    updateKeyResult: (
      id: string,
      version: number,
      changes: KeyResultChanges,
      options?: RequestOptions,
    ) => client.write<KeyResult>('PATCH', keyResultPath(id), changes, version, options),
    deleteKeyResult: (id: string, version: number, options?: RequestOptions) =>
      client.write<void>('DELETE', keyResultPath(id), undefined, version, options),
    /** The goal's key results in this order; the goal's version guards it like an edit. */
    orderKeyResults: (goalId: string, version: number, ids: string[], options?: RequestOptions) =>
      client.write<Goal>(
        'PUT',
        `${goalPath(goalId)}/key-results/order`,
        { keyResultIds: ids },
        version,
        options,
      ),
    copyGoal: (id: string, body: CopyGoalRequest, options?: RequestOptions) =>
      client.write<CopyGoalResult>('POST', `${goalPath(id)}/copy`, body, undefined, options),
    users: (q: string, signal?: AbortSignal) =>
      client.get<Page<DirectoryUser>>(`/users?${search(q)}`, { signal }),
    teams: (q: string, signal?: AbortSignal) =>
      client.get<Page<DirectoryTeam>>(`/teams?${search(q)}`, { signal }),
  };
}

export type EditorApi = ReturnType<typeof editorApi>;
