import { css, unsafeCSS } from 'lit';

/**
 * Global tokens in tiers: a page sets `--okr-color-<name>` (or `--okr-font-family`, …) on any
 * ancestor; each element reads them into private `--_okr-<name>` variables whose defaults
 * depend on its theme. The palettes are written once and expanded for light, dark and auto.
 */
const light = {
  surface: '#ffffff',
  text: '#1f2328',
  'text-muted': '#59636e',
  border: '#d1d9e0',
  accent: '#0969da',
  focus: '#0969da',
  track: '#e6eaef',
  skeleton: '#e6eaef',
  'on-track': '#1a7f37',
  'needs-attention': '#9a6700',
  'off-track': '#cf222e',
  accomplished: '#0969da',
  'not-started': '#59636e',
  'on-status': '#ffffff',
  danger: '#cf222e',
  'on-accent': '#ffffff',
};

const dark: typeof light = {
  surface: '#0d1117',
  text: '#e6edf3',
  'text-muted': '#9198a1',
  border: '#3d444d',
  accent: '#4493f8',
  focus: '#4493f8',
  track: '#262c36',
  skeleton: '#262c36',
  'on-track': '#1f7a35',
  'needs-attention': '#8a5c00',
  'off-track': '#b62324',
  accomplished: '#1f6feb',
  'not-started': '#59636e',
  'on-status': '#ffffff',
  danger: '#ff7b72',
  'on-accent': '#0d1117',
};

function palette(colors: typeof light) {
  return unsafeCSS(
    Object.entries(colors)
      .map(([name, value]) => `--_okr-${name}: var(--okr-color-${name}, ${value});`)
      .join(''),
  );
}

export const themeStyles = css`
  :host {
    ${palette(light)}
    --_okr-font: var(--okr-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_okr-font-size: var(--okr-font-size, 0.875rem);
    --_okr-radius: var(--okr-radius, 0.5rem);
    --_okr-space: var(--okr-spacing, 0.5rem);
    font-family: var(--_okr-font);
    font-size: var(--_okr-font-size);
    color: var(--_okr-text);
    box-sizing: border-box;
  }
  :host([data-okr-theme='dark']) {
    ${palette(dark)}
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host([data-okr-theme='auto']) {
      ${palette(dark)}
      color-scheme: dark;
    }
  }
  :host([hidden]) {
    display: none;
  }
  /* Physical, for text with unicode-bidi: plaintext, whose "start" follows the text itself. */
  :host {
    --_okr-align-start: left;
  }
  :host(:dir(rtl)) {
    --_okr-align-start: right;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_okr-focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
  @media (forced-colors: active) {
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;

/** The status color variable for a status name (`on_track` → `var(--_okr-on-track)`). */
export const statusStyles = css`
  [data-status='not_started'] {
    --_okr-status: var(--_okr-not-started);
  }
  [data-status='on_track'] {
    --_okr-status: var(--_okr-on-track);
  }
  [data-status='needs_attention'] {
    --_okr-status: var(--_okr-needs-attention);
  }
  [data-status='off_track'] {
    --_okr-status: var(--_okr-off-track);
  }
  [data-status='accomplished'] {
    --_okr-status: var(--_okr-accomplished);
  }
`;

/**
 * Declarations for text that users write (titles, descriptions): it keeps its own direction,
 * so a Hebrew title reads right on an English page, yet lines up with the page's start.
 */
export const ownDirection = css`
  unicode-bidi: plaintext;
  text-align: var(--_okr-align-start);
`;
