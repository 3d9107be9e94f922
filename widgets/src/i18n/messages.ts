import type { ProgressStatus } from '@okr-embed/contract';

/**
 * Every word the widgets show. A partner overrides any of them through `configure({wording})`,
 * `<okr-provider .wording>` or an element's own `.wording`; `{name}` marks a value filled in.
 */
export interface Wording {
  objective: string;
  objectives: string;
  keyResults: string;
  progress: string;
  progressOf: string;
  status: Record<ProgressStatus, string>;
  owner: string;
  timeframe: string;
  updated: string;
  noUpdates: string;
  whyTitle: string;
  whyNothing: string;
  whyKeyResult: string;
  whyGoal: string;
  contribution: string;
  // "Why N %?" also says what it leaves out and where the status comes from; a refused origin
  // is explained to the reader; the host developer finds the fix in the console (errors.ts).
  whyExcluded: string;
  whyExcludedInitiative: string;
  whyExcludedWeight: string;
  whyStatus: string;
  whyStatusNotStarted: string;
  whyQuoted: string;
  originNotAllowed: string;
  valueRange: string;
  valueDecrease: string;
  valueAtLeast: string;
  valueAtMost: string;
  done: string;
  notDone: string;
  loading: string;
  error: string;
  retry: string;
  tooManyRequests: string;
  emptyGoals: string;
  loadMore: string;
  emptyKeyResults: string;
  emptyTree: string;
  alignment: string;
  loadingChildren: string;
  checkIn: string;
  value: string;
  comment: string;
  statusLabel: string;
  percentComplete: string;
  save: string;
  saving: string;
  saved: string;
  conflict: string;
  saveFailed: string;
  valueRequired: string;
  commentTooLong: string;
  noKeyResult: string;
  // The goal card's control that opens <okr-progress-history>.
  history: string;
}

export const en: Wording = {
  objective: 'Objective',
  objectives: 'Objectives',
  keyResults: 'Key results',
  progress: 'Progress',
  progressOf: 'Progress of {title}',
  status: {
    not_started: 'Not started',
    on_track: 'On track',
    needs_attention: 'Needs attention',
    off_track: 'Off track',
    accomplished: 'Accomplished',
  },
  owner: 'Owner',
  timeframe: 'Timeframe',
  updated: 'Updated {time}',
  noUpdates: 'No check-ins yet',
  whyTitle: 'Why {percent}?',
  whyNothing: 'Nothing contributes to this number yet.',
  whyKeyResult: 'Key result',
  whyGoal: 'Aligned objective',
  contribution: '{progress}, weight {weight}: {share} of the total',
  whyExcluded: 'Not counted',
  whyExcludedInitiative: 'initiatives do not count toward progress in this organization',
  whyExcludedWeight: 'weight 0',
  whyStatus:
    '“{status}” because of {titles}: an objective has the status of its weakest key result.',
  whyStatusNotStarted: '“{status}”: no key result has a check-in yet.',
  whyQuoted: '“{title}”',
  originNotAllowed:
    'This page ({origin}) is not registered to show OKRs. The browser console says what to register.',
  valueRange: '{current} of {target}',
  // "9 customers of 4 customers" reads as a share; a decrease is a current value and its aim.
  valueDecrease: '{current}, target {target}',
  valueAtLeast: '{current}, at least {target}',
  valueAtMost: '{current}, at most {target}',
  done: 'Done',
  notDone: 'Not done',
  loading: 'Loading…',
  error: 'This could not be loaded.',
  retry: 'Try again',
  tooManyRequests: 'Too many requests — try again in {seconds} s',
  emptyGoals: 'No objectives here yet.',
  loadMore: 'Show more',
  emptyKeyResults: 'No key results yet.',
  emptyTree: 'Nothing is aligned yet.',
  alignment: 'Alignment',
  loadingChildren: 'Loading aligned objectives…',
  checkIn: 'Check in',
  value: 'New value',
  comment: 'Comment',
  statusLabel: 'Status',
  percentComplete: 'Percent complete',
  save: 'Save check-in',
  saving: 'Saving…',
  saved: 'Check-in saved.',
  conflict:
    'Someone updated this key result meanwhile. The latest values are shown; check and save again.',
  saveFailed: 'The check-in was not saved: {message}',
  valueRequired: 'Enter a number.',
  commentTooLong: 'Use at most {max} characters.',
  noKeyResult: 'No key result to check in.',
  history: 'History',
};

export const de: Wording = {
  objective: 'Ziel',
  objectives: 'Ziele',
  keyResults: 'Schlüsselergebnisse',
  progress: 'Fortschritt',
  progressOf: 'Fortschritt von {title}',
  status: {
    not_started: 'Nicht begonnen',
    on_track: 'Im Plan',
    needs_attention: 'Braucht Aufmerksamkeit',
    off_track: 'Gefährdet',
    accomplished: 'Erreicht',
  },
  owner: 'Verantwortlich',
  timeframe: 'Zeitraum',
  updated: 'Aktualisiert {time}',
  noUpdates: 'Noch keine Check-ins',
  whyTitle: 'Warum {percent}?',
  whyNothing: 'Zu dieser Zahl trägt noch nichts bei.',
  whyKeyResult: 'Schlüsselergebnis',
  whyGoal: 'Ausgerichtetes Ziel',
  contribution: '{progress}, Gewicht {weight}: {share} des Gesamtwerts',
  whyExcluded: 'Nicht gezählt',
  whyExcludedInitiative: 'Initiativen zählen in dieser Organisation nicht zum Fortschritt',
  whyExcludedWeight: 'Gewicht 0',
  whyStatus:
    '„{status}“ wegen {titles}: Ein Ziel hat den Status seines schwächsten Schlüsselergebnisses.',
  whyStatusNotStarted: '„{status}“: Noch kein Schlüsselergebnis hat einen Check-in.',
  whyQuoted: '„{title}“',
  originNotAllowed:
    'Diese Seite ({origin}) ist nicht für OKRs registriert. Was zu registrieren ist, steht in der Browser-Konsole.',
  valueRange: '{current} von {target}',
  valueDecrease: '{current}, Ziel {target}',
  valueAtLeast: '{current}, mindestens {target}',
  valueAtMost: '{current}, höchstens {target}',
  done: 'Erledigt',
  notDone: 'Offen',
  loading: 'Wird geladen …',
  error: 'Das konnte nicht geladen werden.',
  retry: 'Erneut versuchen',
  tooManyRequests: 'Zu viele Anfragen – bitte in {seconds} s erneut versuchen',
  emptyGoals: 'Hier gibt es noch keine Ziele.',
  loadMore: 'Mehr anzeigen',
  emptyKeyResults: 'Noch keine Schlüsselergebnisse.',
  emptyTree: 'Noch ist nichts ausgerichtet.',
  alignment: 'Ausrichtung',
  loadingChildren: 'Ausgerichtete Ziele werden geladen …',
  checkIn: 'Check-in',
  value: 'Neuer Wert',
  comment: 'Kommentar',
  statusLabel: 'Status',
  percentComplete: 'Prozent erledigt',
  save: 'Check-in speichern',
  saving: 'Wird gespeichert …',
  saved: 'Check-in gespeichert.',
  conflict:
    'Jemand hat dieses Schlüsselergebnis inzwischen geändert. Die aktuellen Werte werden angezeigt; bitte prüfen und erneut speichern.',
  saveFailed: 'Der Check-in wurde nicht gespeichert: {message}',
  valueRequired: 'Bitte eine Zahl eingeben.',
  commentTooLong: 'Höchstens {max} Zeichen.',
  noKeyResult: 'Kein Schlüsselergebnis zum Einchecken.',
  history: 'Verlauf',
};

/**
 * The progress history's words. Only their type is here: the words themselves ship in
 * okr-progress-history.js (progress-history/history-words.ts), so okr-embed.js does not carry them.
 */
export interface HistoryWording {
  historyOf: string;
  historyTable: string;
  expectedPace: string;
  today: string;
  startsOn: string;
  historyStart: string;
  date: string;
  valueColumn: string;
  author: string;
  historySubject: string;
}

/**
 * The goal editor's words. Only their type is here: the words themselves ship in
 * okr-goal-editor.js (goal-editor/editor-words.ts), so okr-embed.js does not carry them.
 */
export interface EditorWording {
  editorNew: string;
  editorEdit: string;
  fieldTitle: string;
  fieldDescription: string;
  fieldLevel: string;
  levelCompany: string;
  levelTeam: string;
  levelPersonal: string;
  fieldTeam: string;
  fieldParent: string;
  fieldProgressSource: string;
  sourceKeyResults: string;
  sourceAlignedGoals: string;
  sourceBoth: string;
  optionalPick: string;
  keyResultN: string;
  krKind: string;
  kindIncrease: string;
  kindDecrease: string;
  kindStayAbove: string;
  kindStayBelow: string;
  kindBoolean: string;
  kindInitiative: string;
  krStart: string;
  krTarget: string;
  krThreshold: string;
  krUnit: string;
  krWeight: string;
  krBooleanHint: string;
  krInitiativeHint: string;
  addKeyResult: string;
  removeKeyResult: string;
  moveUp: string;
  moveDown: string;
  movedTo: string;
  createGoal: string;
  saveGoal: string;
  cancel: string;
  goalCreated: string;
  goalSaved: string;
  nothingChanged: string;
  goalNotSaved: string;
  fixFields: string;
  titleRequired: string;
  weightRange: string;
  pickerNoMatch: string;
  pickerSearching: string;
  conflictTitle: string;
  conflictField: string;
  conflictKrAdded: string;
  conflictKrRemoved: string;
  conflictKrChanged: string;
  conflictOrder: string;
  reloadTheirs: string;
  reapplyMine: string;
  archive: string;
  unarchive: string;
  goalArchived: string;
  goalUnarchived: string;
  undo: string;
  deleteGoal: string;
  deleteConfirm: string;
  deleteKeyResults: string;
  deleteChildren: string;
  confirmDelete: string;
  keepGoal: string;
  goalDeleted: string;
  copyTo: string;
  copiedTo: string;
  readOnlyScope: string;
  readOnlyOwner: string;
}

/** Overrides for some words; `status` may name only some statuses. */
export type WordingOverrides = Partial<Omit<Wording, 'status'>> &
  Partial<HistoryWording> &
  Partial<EditorWording> & {
    status?: Partial<Record<ProgressStatus, string>>;
  };

/** The built-in wording for a BCP 47 locale (German for `de`, `de-AT`, …; else English). */
export function builtInWording(locale: string): Wording {
  return locale.toLowerCase().startsWith('de') ? de : en;
}

/**
 * Later overrides win; each level may name only some words. The base may itself be overrides
 * (a provider inside another one), so every level merges statuses the same way.
 */
export function mergeWording<T extends WordingOverrides>(
  base: T,
  ...overrides: (WordingOverrides | undefined)[]
): T {
  let merged = base;
  for (const override of overrides) {
    if (!override) continue;
    // Overrides only add words, so a full wording stays full.
    merged = { ...merged, ...override, status: { ...merged.status, ...override.status } } as T;
  }
  return merged;
}

/** Fills `{name}` placeholders; the values are text and are rendered as text. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  );
}
