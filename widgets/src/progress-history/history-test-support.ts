import { fixture, html } from '@open-wc/testing';
import { timeframeSpan, type ProgressHistory } from '@okr-embed/contract';
import './progress-history.js';
import type { OkrProgressHistory } from './progress-history.js';

/*
 * The chart's expected geometry, written out again here (not taken from history-chart.ts), so
 * a test fails when the drawing and the data disagree.
 */
export const WIDTH = 600;
export const HEIGHT = 220;
export const LEFT = 44;
export const RIGHT = WIDTH - 16;
export const TOP = 12;
export const BOTTOM = HEIGHT - 28;

export function expectedX(history: ProgressHistory, at: number | string): number {
  const { start, end } = timeframeSpan(history.timeframe);
  const time = typeof at === 'string' ? Date.parse(at) : at;
  return LEFT + ((time - start) / (end - start)) * (RIGHT - LEFT);
}

export function expectedY(progress: number): number {
  return BOTTOM - progress * (BOTTOM - TOP);
}

/** Renders a history passed in, in a box of `width` pixels, once it has measured itself. */
export async function renderHistory(
  history: ProgressHistory,
  now: number,
  options: { width?: number; theme?: 'light' | 'dark'; locale?: string } = {},
): Promise<OkrProgressHistory> {
  const box = await fixture<HTMLDivElement>(
    html`<div style="width: ${options.width ?? WIDTH}px">
      <okr-progress-history
        .history=${history}
        .now=${now}
        theme=${options.theme ?? 'light'}
        locale=${options.locale ?? 'en'}
      ></okr-progress-history>
    </div>`,
  );
  const el = box.querySelector('okr-progress-history')!;
  await measured(el);
  return el;
}

/** Waits for the resize observer's first answer and the render it causes. */
export async function measured(el: OkrProgressHistory): Promise<void> {
  await el.updateComplete;
  for (let frame = 0; frame < 3; frame += 1) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await el.updateComplete;
  }
}

export function part(el: Element, name: string): Element | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

export function points(el: Element): SVGCircleElement[] {
  return [...el.shadowRoot!.querySelectorAll<SVGCircleElement>('[part="point"]')];
}

/** The path's commands as letters and numbers: `M44 192H100V150` → [['M',44,192],['H',100],…]. */
export function commands(d: string): [string, ...number[]][] {
  return [...d.matchAll(/([MLHV])([^MLHV]*)/g)].map(([, letter, numbers]) => [
    letter!,
    ...numbers!
      .trim()
      .split(/[\s,]+/)
      .map(Number),
  ]);
}

export function tooltipText(el: Element): string | null {
  const tip = part(el, 'tooltip');
  return tip ? tip.textContent!.replace(/\s+/g, ' ').trim() : null;
}

export function tableRows(el: Element): string[][] {
  const rows = [...el.shadowRoot!.querySelectorAll('[part="table"] tr')];
  return rows.map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) =>
      cell.textContent!.replace(/\s+/g, ' ').trim(),
    ),
  );
}
