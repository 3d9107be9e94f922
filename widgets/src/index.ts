/**
 * The all-in-one entry (`okr-embed.js`): defines every element and exports `configure`, the
 * client and the types a host page needs.
 */
import { watchLazyElements } from './provider/lazy-elements.js';

export { configure } from './provider/configure.js';
export type { OkrConfig, OkrTheme } from './provider/settings.js';
export { OkrProvider } from './provider/provider.js';
export {
  OkrClient,
  type OkrClientOptions,
  type GoalQuery,
  type AlignmentQuery,
} from './client/client.js';
export { OkrApiError } from './client/errors.js';
export type {
  OkrEventMap,
  GoalSelectDetail,
  CheckInSubmittedDetail,
  ErrorDetail,
} from './events/events.js';
export { en, de, type Wording, type WordingOverrides } from './i18n/messages.js';
export type * from '@okr-embed/contract';
export { OkrProgressBar } from './progress-bar/progress-bar.js';
export { OkrStatusBadge } from './status-badge/status-badge.js';
export { OkrGoalCard } from './goal-card/goal-card.js';
export { OkrGoalList } from './goal-list/goal-list.js';
// Types only: the check-in form loads when it first appears (provider/lazy-elements.ts).
export type { OkrCheckIn } from './check-in/check-in.js';
export { OkrAlignmentTree } from './alignment-tree/alignment-tree.js';
export { loadElement } from './provider/lazy-elements.js';
// Types only: the progress history's code ships in okr-progress-history.js.
export type { OkrProgressHistory } from './progress-history/progress-history.js';
export type { HistoryWording } from './i18n/messages.js';
// Types only: the editor's code ships in okr-goal-editor.js.
export type { OkrGoalEditor } from './goal-editor/goal-editor.js';
export type { GoalSavedDetail, GoalDeletedDetail, CancelDetail } from './events/events.js';
export type { EditorWording } from './i18n/messages.js';

// The goal editor and the progress history are files of their own, loaded when first used.
if (typeof document !== 'undefined') watchLazyElements();
