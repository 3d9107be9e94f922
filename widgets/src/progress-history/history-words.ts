import type { HistoryWording, Wording } from '../i18n/messages.js';

/** The progress history's built-in words, English and German; partners override them like any other. */
export const historyEn: HistoryWording = {
  historyOf: 'Progress of {title} over {timeframe}',
  historyTable: 'Check-ins of {title}',
  expectedPace: 'Expected pace',
  today: 'Today',
  startsOn: 'Starts on {date}',
  historyStart: 'Start',
  date: 'Date',
  valueColumn: 'Value',
  author: 'By',
  historySubject: 'Set either key-result-id or goal-id on <okr-progress-history>, not both.',
};

export const historyDe: HistoryWording = {
  historyOf: 'Fortschritt von {title} im Zeitraum {timeframe}',
  historyTable: 'Check-ins von {title}',
  expectedPace: 'Erwartetes Tempo',
  today: 'Heute',
  startsOn: 'Beginnt am {date}',
  historyStart: 'Beginn',
  date: 'Datum',
  valueColumn: 'Wert',
  author: 'Von',
  historySubject:
    'Bitte entweder key-result-id oder goal-id an <okr-progress-history> setzen, nicht beides.',
};

export function historyWording(locale: string): HistoryWording {
  return locale.toLowerCase().startsWith('de') ? historyDe : historyEn;
}

/** Every word the history shows: the shared ones and its own. */
export type HistoryWords = Wording & HistoryWording;

/** What the history's pieces need to word a check-in. */
export interface HistoryLook {
  locale: string;
  words: HistoryWords;
}
