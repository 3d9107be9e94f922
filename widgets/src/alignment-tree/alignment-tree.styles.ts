import { css } from 'lit';
import { ownDirection } from '../theme/theme.styles.js';

/*
 * Comments stay out of the style text, which ships as written:
 * - the viewport is as tall as its rows (the canvas is sized to them), up to the max height,
 *   then it scrolls;
 * - rows have a fixed height (the virtual window is computed, not measured), so a long title
 *   wraps to two lines and is then cut with an ellipsis; the whole of it is the row's tooltip
 *   and accessible name;
 * - on a narrow tree (container query) the bar shrinks and the padding tightens, so the title
 *   keeps room to be read.
 */
export const alignmentTreeStyles = css`
  :host {
    display: block;
  }
  .base {
    container-type: inline-size;
    background: var(--_okr-surface);
    border: 1px solid var(--_okr-border);
    border-radius: var(--_okr-radius);
    overflow: hidden;
  }
  .viewport {
    position: relative;
    max-block-size: var(--okr-alignment-tree-max-height, var(--okr-alignment-tree-height, 24rem));
    overflow: auto;
    overscroll-behavior: contain;
  }
  .canvas {
    position: relative;
  }
  .row {
    position: absolute;
    inset-block-start: 0;
    inset-inline: 0;
    block-size: 40px;
    display: flex;
    align-items: center;
    gap: var(--_okr-space);
    padding-inline: calc(var(--_level, 1) * 1.25rem - 0.75rem) var(--_okr-space);
    cursor: pointer;
    outline-offset: -2px;
  }
  .row:hover {
    background: var(
      --okr-alignment-tree-hover,
      color-mix(in srgb, var(--_okr-accent) 6%, transparent)
    );
  }
  .row[aria-selected='true'] {
    background: var(
      --okr-alignment-tree-selected,
      color-mix(in srgb, var(--_okr-accent) 14%, transparent)
    );
  }
  .toggle {
    flex: none;
    inline-size: 1rem;
    text-align: center;
    color: var(--_okr-text-muted);
  }
  :host(:dir(rtl)) .toggle {
    transform: scaleX(-1);
  }
  .title {
    flex: 1;
    min-inline-size: 0;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow: hidden;
    overflow-wrap: anywhere;
    line-height: 1.2;
    ${ownDirection}
  }
  .facts {
    flex: none;
    display: flex;
    align-items: center;
    gap: var(--_okr-space);
  }
  .children-loading {
    color: var(--_okr-text-muted);
    font-size: 0.75rem;
  }
  okr-progress-bar {
    flex: none;
    inline-size: var(--okr-alignment-tree-bar-width, 7rem);
  }
  @container (max-width: 30rem) {
    okr-progress-bar {
      inline-size: var(--okr-alignment-tree-bar-width, 3rem);
    }
    .row {
      padding-inline: calc(var(--_level, 1) * 0.75rem - 0.5rem) calc(var(--_okr-space) / 2);
      gap: calc(var(--_okr-space) / 2);
    }
    .facts {
      gap: calc(var(--_okr-space) / 2);
    }
  }
  .state {
    display: grid;
    gap: var(--_okr-space);
    padding: calc(var(--_okr-space) * 2);
  }
  .skeleton.row-line {
    block-size: 1.5rem;
  }
  @media (forced-colors: active) {
    .row[aria-selected='true'] {
      outline: 2px solid Highlight;
    }
  }
`;
