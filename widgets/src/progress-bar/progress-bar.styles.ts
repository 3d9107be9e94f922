import { css } from 'lit';

/*
 * Self-contained on purpose: the bar must stay small on its own (budget 8 KB with Lit), so it
 * does not load the shared theme. Inside another widget it inherits that widget's private
 * `--_okr-*` colors; on its own it falls back to the global `--okr-color-*` tokens.
 */
export const progressBarStyles = css`
  :host {
    display: block;
    --_height: var(--okr-progress-bar-height, 0.5rem);
    --_track: var(--okr-progress-bar-track, var(--_okr-track, var(--okr-color-track, #e6eaef)));
    --_fill: var(--_okr-accent, var(--okr-color-accent, #0969da));
    font-family: var(--okr-font-family, inherit);
  }
  :host([data-okr-theme='dark']) {
    --_track: var(--okr-progress-bar-track, var(--okr-color-track, #262c36));
  }
  @media (prefers-color-scheme: dark) {
    :host([data-okr-theme='auto']) {
      --_track: var(--okr-progress-bar-track, var(--okr-color-track, #262c36));
    }
  }
  :host([hidden]) {
    display: none;
  }
  :host([size='small']) {
    --_height: var(--okr-progress-bar-height, 0.25rem);
  }
  :host([size='large']) {
    --_height: var(--okr-progress-bar-height, 0.875rem);
  }
  :host([status='not_started']) {
    --_fill: var(--_okr-not-started, var(--okr-color-not-started, #59636e));
  }
  :host([status='on_track']) {
    --_fill: var(--_okr-on-track, var(--okr-color-on-track, #1a7f37));
  }
  :host([status='needs_attention']) {
    --_fill: var(--_okr-needs-attention, var(--okr-color-needs-attention, #9a6700));
  }
  :host([status='off_track']) {
    --_fill: var(--_okr-off-track, var(--okr-color-off-track, #cf222e));
  }
  :host([status='accomplished']) {
    --_fill: var(--_okr-accomplished, var(--okr-color-accomplished, #0969da));
  }
  .base {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .track {
    position: relative;
    flex: 1;
    block-size: var(--_height);
    background: var(--_track);
    border-radius: var(--_height);
    overflow: hidden;
  }
  .indicator {
    block-size: 100%;
    inline-size: 0;
    background: var(--okr-progress-bar-fill, var(--_fill));
    border-radius: inherit;
    transition: inline-size 0.3s ease;
  }
  :host([indeterminate]) .indicator {
    position: absolute;
    inline-size: 40%;
    animation: slide 1.4s ease-in-out infinite;
  }
  @keyframes slide {
    from {
      inset-inline-start: -40%;
    }
    to {
      inset-inline-start: 100%;
    }
  }
  .value {
    min-inline-size: 4ch;
    text-align: end;
    font-variant-numeric: tabular-nums;
    color: var(--_okr-text-muted, inherit);
  }
  @media (prefers-reduced-motion: reduce) {
    .indicator {
      transition: none;
    }
    :host([indeterminate]) .indicator {
      animation: none;
      inline-size: 100%;
      opacity: 0.5;
    }
  }
  @media (forced-colors: active) {
    .track {
      border: 1px solid CanvasText;
    }
    .indicator {
      background: Highlight;
    }
  }
`;
