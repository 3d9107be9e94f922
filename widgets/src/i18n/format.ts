import type { KeyResult } from '@okr-embed/contract';
import { fill, type Wording } from './messages.js';

/** Formats a 0..1 share as a whole percent in the locale ("47 %" in German). */
export function formatPercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    share,
  );
}

let currencies: Set<string> | undefined;

/** ISO 4217 codes the browser knows; "NPS" or "KPI" look like codes but are not money. */
function isCurrency(unit: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(unit);
}

/**
 * A key-result number with its unit: `%` as a percent, an ISO 4217 code (`EUR`) as money,
 * anything else as free text after the number.
 */
export function formatAmount(value: number, unit: string | null, locale: string): string {
  if (unit === '%') {
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
      value / 100,
    );
  }
  if (unit && isCurrency(unit)) {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: unit,
      // Whole amounts without cents ("€42,000"), others with them ("€42,000.50").
      minimumFractionDigits: Number.isInteger(value) ? 0 : 2,
      maximumFractionDigits: 2,
    }).format(value);
  }
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
  return unit ? `${number} ${unit}` : number;
}

/** The value line of a key result, worded for its kind. */
export function formatKeyResultValue(
  keyResult: Pick<KeyResult, 'kind' | 'current' | 'target' | 'unit'>,
  locale: string,
  wording: Wording,
): string {
  const current = formatAmount(keyResult.current, keyResult.unit, locale);
  const target = formatAmount(keyResult.target, keyResult.unit, locale);
  switch (keyResult.kind) {
    case 'boolean':
      return keyResult.current >= 1 ? wording.done : wording.notDone;
    case 'initiative':
      return formatPercent(keyResult.current, locale);
    case 'stay_above':
      return fill(wording.valueAtLeast, { current, target });
    case 'stay_below':
      return fill(wording.valueAtMost, { current, target });
    case 'decrease':
      return fill(wording.valueDecrease, { current, target });
    default:
      return fill(wording.valueRange, { current, target });
  }
}

export function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 days ago" / "vor 3 Tagen", in the largest whole unit. */
export function formatRelativeTime(iso: string, locale: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds), 'second');
}
