import { css, unsafeCSS } from 'lit';

/** The statuses as token names: each has a color and, paired with it, the text drawn on it. */
export const statusTokens = [
  'not-started',
  'on-track',
  'needs-attention',
  'off-track',
  'accomplished',
] as const;
export type StatusToken = (typeof statusTokens)[number];

/**
 * The documented text color on each status color, where a browser cannot pick one (see
 * `readableOn`). `--okr-color-on-status` still sets all five at once, as it did before the
 * pairs existed. A test holds every default pair, light and dark, to 4.5:1.
 */
const statusTextDefaults = Object.fromEntries(
  statusTokens.map((name) => [`${name}-text`, 'var(--okr-color-on-status, #ffffff)']),
) as Record<`${StatusToken}-text`, string>;

/**
 * Global tokens in tiers: a page sets `--okr-color-<name>` (or `--okr-font-family`, …) on any
 * ancestor; each element reads them into private `--_okr-<name>` variables whose defaults
 * depend on its theme. The palettes are written once and expanded for light, dark and auto.
 */
export const lightPalette = {
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
  ...statusTextDefaults,
  danger: '#cf222e',
  'on-accent': '#ffffff',
};

export const darkPalette: typeof lightPalette = {
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
  ...statusTextDefaults,
  danger: '#ff7b72',
  'on-accent': '#0d1117',
};

function palette(colors: typeof lightPalette) {
  return unsafeCSS(
    Object.entries(colors)
      .map(([name, value]) => `--_okr-${name}: var(--okr-color-${name}, ${value});`)
      .join(''),
  );
}

/** Text on the accent (buttons) follows an accent the page sets alone, as on status colors. */
export const themeStyles = css`
  :host {
    ${palette(lightPalette)}
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
    ${palette(darkPalette)}
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host([data-okr-theme='auto']) {
      ${palette(darkPalette)}
      color-scheme: dark;
    }
  }
  @supports (color: rgb(from red calc(pow(r, 1)) g b)) {
    :host,
    :host([data-okr-theme]) {
      --_okr-on-accent: var(--okr-color-on-accent, ${unsafeCSS(readableOn('var(--_okr-accent)'))});
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

/**
 * Black or white, whichever reads better on `color`: white below the relative luminance where
 * both reach the same contrast (0.179, about 4.58:1), black above it, so text on any opaque
 * color meets 4.5:1. Computed by the browser (relative color syntax with `pow()`), so a host that
 * sets only a status color through CSS gets readable text without setting its pair.
 */
export function readableOn(color: string): string {
  const linear = (channel: string) => `pow((${channel} / 255 + 0.055) / 1.055, 2.4)`;
  const luminance = `(0.2126 * ${linear('r')} + 0.7152 * ${linear('g')} + 0.0722 * ${linear('b')})`;
  const channel = `clamp(0, (0.179 - ${luminance}) * 1e9, 255)`;
  return `rgb(from ${color} ${channel} ${channel} ${channel})`;
}

const statusOfToken: Record<StatusToken, string> = {
  'not-started': 'not_started',
  'on-track': 'on_track',
  'needs-attention': 'needs_attention',
  'off-track': 'off_track',
  accomplished: 'accomplished',
};

/**
 * The status color (`--_okr-status`) and the text on it (`--_okr-on-status`) for an element with
 * `data-status`. The text is, in order: the page's `--okr-color-<status>-text`, its
 * `--okr-color-on-status`, else computed from the color; where a browser cannot compute it
 * (no relative color syntax with `pow()`: Chromium < 120, Firefox < 128, Safari < 18), the documented default.
 */
export const statusStyles = unsafeCSS(
  statusTokens
    .map(
      (name) =>
        `[data-status='${statusOfToken[name]}'] { --_okr-status: var(--_okr-${name}); --_okr-on-status: var(--_okr-${name}-text); }`,
    )
    .join('\n') +
    `\n@supports (color: rgb(from red calc(pow(r, 1)) g b)) {\n` +
    statusTokens
      .map(
        (name) =>
          `[data-status='${statusOfToken[name]}'] { --_okr-on-status: var(--okr-color-${name}-text, var(--okr-color-on-status, ${readableOn(`var(--_okr-${name})`)})); }`,
      )
      .join('\n') +
    '\n}',
);

/**
 * Declarations for text that users write (titles, descriptions): it keeps its own direction,
 * so a Hebrew title reads right on an English page, yet lines up with the page's start.
 */
export const ownDirection = css`
  unicode-bidi: plaintext;
  text-align: var(--_okr-align-start);
`;
