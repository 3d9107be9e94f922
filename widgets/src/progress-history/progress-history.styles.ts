import { css } from 'lit';
import { ownDirection } from '../theme/theme.styles.js';

export const progressHistoryStyles = css`
  :host {
    display: block;
    background: var(--_okr-surface);
    --_line: var(--okr-progress-history-line, var(--_okr-accent));
    --_pace: var(--okr-progress-history-pace, var(--_okr-text-muted));
  }
  .history {
    margin: 0;
    display: grid;
    gap: var(--_okr-space);
    /* Below 320 px the chart keeps its width and scrolls rather than squeezing its labels. */
    overflow-x: auto;
  }
  .caption {
    font-weight: 600;
    ${ownDirection}
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_okr-space) * 2);
    margin: 0;
    padding: 0;
    list-style: none;
    color: var(--_okr-text-muted);
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_okr-space) / 2);
  }
  .swatch {
    display: inline-block;
    inline-size: 1.25rem;
    border-block-start: 2px solid var(--_line);
  }
  .swatch.pace {
    border-block-start: 2px dashed var(--_pace);
  }
  .swatch.today {
    border-block-start: 2px dotted var(--_okr-text);
  }
  .plot {
    position: relative;
    min-inline-size: 320px;
  }
  .chart {
    display: block;
    overflow: visible;
  }
  .grid {
    stroke: var(--_okr-border);
    stroke-width: 1;
  }
  .tick {
    fill: var(--_okr-text-muted);
    font-size: 0.75rem;
  }
  .pace {
    fill: none;
    stroke: var(--_pace);
    stroke-width: 1.5;
    stroke-dasharray: 6 4;
  }
  .today {
    stroke: var(--_okr-text);
    stroke-width: 1.5;
    stroke-dasharray: 2 3;
  }
  .progress {
    fill: none;
    stroke: var(--_line);
    stroke-width: 2.5;
    stroke-linejoin: round;
  }
  .point {
    fill: var(--_okr-status);
    stroke: var(--_okr-surface);
    stroke-width: 2;
    cursor: pointer;
  }
  .point:focus {
    outline: none;
  }
  .point:focus-visible,
  .point:hover {
    r: 7px;
    stroke: var(--_okr-focus);
    stroke-width: 3;
  }
  .tooltip {
    position: absolute;
    z-index: 1;
    display: grid;
    gap: 0.125rem;
    max-inline-size: 16rem;
    padding: calc(var(--_okr-space) * 0.75) var(--_okr-space);
    background: var(--_okr-surface);
    border: 1px solid var(--_okr-border);
    border-inline-start: 4px solid var(--_okr-status);
    border-radius: calc(var(--_okr-radius) / 2);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.15);
    pointer-events: none;
    overflow-wrap: anywhere;
    --_dx: -50%;
    --_dy: calc(-100% - 0.75rem);
    transform: translate(var(--_dx), var(--_dy));
  }
  /* left/top are physical pixels of the drawing, so the offsets are physical too. */
  .tooltip.from-start {
    --_dx: -0.75rem;
  }
  .tooltip.from-end {
    --_dx: calc(-100% + 0.75rem);
  }
  .tooltip.below {
    --_dy: 0.75rem;
  }
  .tip-comment {
    ${ownDirection}
    color: var(--_okr-text-muted);
  }
  .note {
    margin: 0;
    color: var(--_okr-text-muted);
  }
  .skeleton.title-line {
    inline-size: 50%;
    min-block-size: 1.1em;
  }
  .skeleton.chart {
    min-block-size: 220px;
  }
  .error-state {
    margin: 0;
  }
  @media (forced-colors: active) {
    .grid {
      stroke: GrayText;
    }
    .tick {
      fill: CanvasText;
    }
    .pace {
      stroke: GrayText;
    }
    .today {
      stroke: CanvasText;
    }
    .progress {
      stroke: LinkText;
    }
    .swatch {
      border-color: LinkText;
    }
    .swatch.pace {
      border-color: GrayText;
    }
    .swatch.today {
      border-color: CanvasText;
    }
    .point {
      fill: CanvasText;
      stroke: Canvas;
    }
    .point:focus-visible,
    .point:hover {
      fill: Highlight;
      stroke: CanvasText;
    }
    .tooltip {
      border-color: CanvasText;
      background: Canvas;
      color: CanvasText;
    }
  }
`;
