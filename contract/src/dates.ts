/**
 * Date rules. Timeframe bounds are calendar days (`YYYY-MM-DD`) in UTC: a timeframe starts at
 * the first millisecond of its start day and ends at the last millisecond of its end day, so a
 * quarter that ends on 31 March is still running all of that day.
 */

const DAY_MS = 86_400_000;

export interface TimeframeDays {
  startDate: string;
  endDate: string;
}

/** The UTC calendar day of an instant, as `YYYY-MM-DD`. */
export function dayOf(at: number | Date = new Date()): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** A timeframe's first and last millisecond (NaN for a day that does not parse). */
export function timeframeSpan({ startDate, endDate }: TimeframeDays): {
  start: number;
  end: number;
} {
  return {
    start: Date.parse(`${startDate}T00:00:00.000Z`),
    end: Date.parse(`${endDate}T00:00:00.000Z`) + DAY_MS - 1,
  };
}
