import { html, nothing } from 'lit';
import type { HistoryPoint, ProgressHistory } from '@okr-embed/contract';
import { formatDate, formatKeyResultValue, formatPercent } from '../i18n/format.js';
import { fill } from '../i18n/messages.js';
import type { HistoryLook } from './history-words.js';

/*
 * What a check-in says, worded once for the tooltip, the point's accessible name and the
 * table, so the three never disagree.
 */

/** A timeframe's calendar day (`YYYY-MM-DD`, a UTC day: see contract dates.ts) for people. */
export function formatDay(
  day: string,
  locale: string,
  style: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
): string {
  return new Intl.DateTimeFormat(locale, { ...style, timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** A point's value worded for its key result's kind (a goal's history has none). */
export function pointValue(
  history: ProgressHistory,
  value: number | undefined,
  look: HistoryLook,
): string | null {
  const subject = history.subject;
  if (subject.type !== 'key-result' || value === undefined) return null;
  return formatKeyResultValue(
    { kind: subject.kind, current: value, target: subject.target, unit: subject.unit },
    look.locale,
    look.words,
  );
}

export interface PointWords {
  date: string;
  value: string | null;
  progress: string;
  status: string;
  author: string | null;
  comment: string | null;
}

export function pointWords(
  history: ProgressHistory,
  point: HistoryPoint,
  look: HistoryLook,
): PointWords {
  const { words, locale } = look;
  return {
    date: formatDate(point.at, locale),
    value: pointValue(history, point.value, look),
    progress: formatPercent(point.progress, locale),
    status: words.status[point.status],
    author: point.author ? `${words.author} ${point.author.name}` : null,
    comment: point.comment ? point.comment : null,
  };
}

/** The accessible name of a point: everything its tooltip shows, in one line. */
export function pointLabel(said: PointWords): string {
  return [said.date, said.value, said.progress, said.status, said.author, said.comment]
    .filter((part): part is string => part !== null)
    .join(', ');
}

/** The chart's data as a table, for screen readers (the element hides it visually). */
/** `said` holds `pointWords` of each point, worded once for chart and table alike. */
export function historyTable(history: ProgressHistory, look: HistoryLook, said: PointWords[]) {
  const { words, locale } = look;
  const withValues = history.subject.type === 'key-result';
  const start = pointValue(history, history.initial.value, look);
  // A table grows to fit its cells whatever its width, so the wrapper is what gets hidden.
  return html`<div class="visually-hidden">
    <table part="table">
      <caption>
        ${fill(words.historyTable, { title: history.subject.title })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${words.date}</th>
          <th scope="col">${words.progress}</th>
          ${withValues ? html`<th scope="col">${words.valueColumn}</th>` : nothing}
          <th scope="col">${words.statusLabel}</th>
          <th scope="col">${words.author}</th>
          <th scope="col">${words.comment}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">
            ${words.historyStart} (${formatDay(history.timeframe.startDate, locale)})
          </th>
          <td>${formatPercent(history.initial.progress, locale)}</td>
          ${withValues ? html`<td>${start ?? ''}</td>` : nothing}
          <td></td>
          <td></td>
          <td></td>
        </tr>
        ${history.points.map((point, index) => {
          const worded = said[index]!;
          return html`<tr>
            <th scope="row">${worded.date}</th>
            <td>${worded.progress}</td>
            ${withValues ? html`<td>${worded.value ?? ''}</td>` : nothing}
            <td>${worded.status}</td>
            <td>${point.author?.name ?? ''}</td>
            <td>${worded.comment ?? ''}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
