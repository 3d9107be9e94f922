import { timeframeSpan, type ProgressHistory } from '@okr-embed/contract';

/*
 * The chart's geometry, apart from its drawing so that tests can check the numbers. Coordinates
 * are CSS pixels: the element sizes its viewBox to the width it is given, so text and strokes
 * keep their size at 320 px as at 1200 px instead of being scaled with the drawing.
 */

/** Where the timeframe stands against now. */
export type TimeframePhase = 'past' | 'current' | 'future';

export interface ChartBox {
  width: number;
  height: number;
}

/** Room for the axis labels around the plot. */
export const margin = { top: 12, right: 16, bottom: 28, left: 44 } as const;

export interface PlottedPoint {
  x: number;
  y: number;
}

export interface HistoryGeometry {
  phase: TimeframePhase;
  plot: { left: number; right: number; top: number; bottom: number };
  /** The progress as a step line: it holds its value until the next check-in. */
  progressPath: string | null;
  /** 0 % at the timeframe's start to 100 % at its end. */
  pacePath: string;
  /** Where today is, when it falls inside the timeframe. */
  todayX: number | null;
  points: PlottedPoint[];
  /** Grid lines of the progress axis: share 0..1 and its y. */
  ticks: { share: number; y: number }[];
}

/** Two decimals are finer than a pixel and keep the path strings short with hundreds of points. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export function phaseOf(history: Pick<ProgressHistory, 'timeframe'>, now: number): TimeframePhase {
  const { start, end } = timeframeSpan(history.timeframe);
  if (now < start) return 'future';
  return now > end ? 'past' : 'current';
}

export function historyGeometry(
  history: ProgressHistory,
  box: ChartBox,
  now: number,
): HistoryGeometry {
  const { start, end } = timeframeSpan(history.timeframe);
  const plot = {
    left: margin.left,
    right: box.width - margin.right,
    top: margin.top,
    bottom: box.height - margin.bottom,
  };
  const span = end > start ? end - start : 1;
  // A check-in recorded just outside the timeframe is drawn at its edge, not off the chart.
  const x = (at: number) =>
    round(plot.left + (clamp(at, start, end) - start) * ((plot.right - plot.left) / span));
  const y = (progress: number) =>
    round(plot.bottom - clamp(progress, 0, 1) * (plot.bottom - plot.top));

  const phase = phaseOf(history, now);
  const points = history.points.map((point) => ({
    x: x(Date.parse(point.at)),
    y: y(point.progress),
  }));

  let progressPath: string | null = null;
  if (points.length > 0 || phase !== 'future') {
    const parts = [`M${plot.left} ${y(history.initial.progress)}`];
    for (const point of points) parts.push(`H${point.x}V${point.y}`);
    // The last value still holds today (or held until the end), but says nothing of the future.
    const holdsUntil = phase === 'past' ? plot.right : phase === 'current' ? x(now) : plot.left;
    const lastX = points.length > 0 ? points[points.length - 1]!.x : plot.left;
    if (holdsUntil > lastX) parts.push(`H${holdsUntil}`);
    progressPath = parts.join('');
  }

  return {
    phase,
    plot,
    progressPath,
    pacePath: `M${plot.left} ${y(0)}L${round(plot.right)} ${y(1)}`,
    todayX: phase === 'current' ? x(now) : null,
    points,
    ticks: [0, 0.5, 1].map((share) => ({ share, y: y(share) })),
  };
}
