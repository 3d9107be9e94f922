/**
 * Text on a status color reads at 4.5:1 (WCAG AA) whatever the theme: the documented default
 * pairs, light and dark; the partner demo's brand, which sets only colors; any color a host may
 * set alone; and a pair a host sets itself is kept as given.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { ProgressStatus } from '@okr-embed/contract';
import { keyResult, statuses } from '../fixtures/goals.js';
import '../check-in/check-in.js';
import type { OkrCheckIn } from '../check-in/check-in.js';
import '../status-badge/status-badge.js';
import type { OkrStatusBadge } from '../status-badge/status-badge.js';
import { darkPalette, lightPalette, statusTokens } from './theme.styles.js';

type Rgb = [number, number, number];

/** `#rrggbb`, `rgb(…)` or `color(srgb …)` (what relative colors compute to) as 0..255 channels. */
function parseColor(text: string): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(text.trim());
  if (hex) return [0, 2, 4].map((at) => parseInt(hex[1]!.slice(at, at + 2), 16)) as Rgb;
  const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)/.exec(text);
  if (srgb) return [1, 2, 3].map((at) => Number(srgb[at]) * 255) as Rgb;
  const rgb = /^rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)/.exec(text);
  if (rgb) return [1, 2, 3].map((at) => Number(rgb[at])) as Rgb;
  throw new Error(`cannot read the color ${text}`);
}

function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(parseColor(a)), luminance(parseColor(b))].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The default text of a pair: `var(--okr-color-on-status, #ffffff)` falls back to its color. */
function defaultOf(value: string): string {
  return /#[0-9a-f]{6}/i.exec(value)![0];
}

/** A badge for each status under `tokens`, with its drawn background and text colors. */
async function badgesUnder(tokens: Record<string, string>, theme = 'light') {
  const page = await fixture<HTMLElement>(
    html`<div>
      ${statuses.map((s) => html`<okr-status-badge status=${s} theme=${theme}></okr-status-badge>`)}
    </div>`,
  );
  for (const [name, value] of Object.entries(tokens)) page.style.setProperty(name, value);
  const badges = [...page.querySelectorAll<OkrStatusBadge>('okr-status-badge')];
  await Promise.all(badges.map((badge) => badge.updateComplete));
  return badges.map((badge) => {
    const pill = getComputedStyle(badge.shadowRoot!.querySelector('.badge')!);
    return {
      status: badge.status as ProgressStatus,
      background: pill.backgroundColor,
      text: pill.color,
      badge,
    };
  });
}

/** The partner demo page's `--okr-color-*` declarations, read from its style sheet. */
async function partnerTokens(): Promise<Record<string, string>> {
  const css = await (await fetch('/bff/src/demo-hosts/partner/partner.css')).text();
  const root = /:root\s*\{([^}]*)\}/.exec(css)![1]!;
  return Object.fromEntries(
    [...root.matchAll(/(--okr-color-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]),
  );
}

describe('contrast of text on status colors', () => {
  for (const [theme, palette] of [
    ['light', lightPalette],
    ['dark', darkPalette],
  ] as const) {
    it(`every documented default pair reaches 4.5:1 in the ${theme} theme`, async () => {
      for (const name of statusTokens) {
        const ratio = contrast(palette[name], defaultOf(palette[`${name}-text`]));
        expect(ratio, `${name} ${palette[name]} on ${theme}`).to.be.at.least(4.5);
      }
      // And as drawn: the badges of the theme use exactly these pairs.
      for (const { status, background, text, badge } of await badgesUnder({}, theme)) {
        expect(contrast(background, text), `${status} drawn in ${theme}`).to.be.at.least(4.5);
        await expect(badge).to.be.accessible();
      }
    });
  }

  it('the partner theme, which sets only its status colors, gets readable text on every badge', async () => {
    const tokens = await partnerTokens();
    expect(tokens['--okr-color-on-track']).to.equal('#46c28e');
    expect(tokens['--okr-color-on-track-text'], 'the partner sets no text color').to.equal(
      undefined,
    );
    for (const { status, background, text } of await badgesUnder(tokens, 'dark')) {
      expect(contrast(background, text), `${status}: ${text} on ${background}`).to.be.at.least(4.5);
    }
  });

  it('any single status color a host sets, across the whole range of lightness, gets 4.5:1 text', async () => {
    const samples = [
      '#46c28e',
      '#7aa7ff',
      '#ffff00',
      '#777777',
      '#808080',
      '#767676',
      '#000000',
      '#ffffff',
    ];
    for (let hue = 0; hue < 360; hue += 30)
      for (const lightness of [25, 45, 50, 55, 75]) samples.push(`hsl(${hue} 90% ${lightness}%)`);
    for (const color of samples) {
      const tokens = Object.fromEntries(statusTokens.map((name) => [`--okr-color-${name}`, color]));
      for (const { status, background, text } of await badgesUnder(tokens)) {
        expect(contrast(background, text), `${status} on ${color}: ${text}`).to.be.at.least(4.5);
      }
    }
  });

  it('keeps a pair the host sets itself, and --okr-color-on-status for all five', async () => {
    const paired = await badgesUnder({
      '--okr-color-on-track': '#46c28e',
      '--okr-color-on-track-text': '#0b2e1f',
    });
    expect(paired.find((b) => b.status === 'on_track')!.text).to.equal('rgb(11, 46, 31)');
    const shared = await badgesUnder({ '--okr-color-on-status': '#fefefe' });
    for (const { text } of shared) expect(text).to.equal('rgb(254, 254, 254)');
  });

  it('text on an accent the host sets alone reads at 4.5:1 (the check-in button), light and dark', async () => {
    for (const theme of ['light', 'dark']) {
      for (const accent of ['#6d28d9', '#ffb347', '#46c28e', '#0969da', '#ffff00', '#777777']) {
        const el = await fixture<OkrCheckIn>(
          html`<okr-check-in theme=${theme} .keyResult=${keyResult()}></okr-check-in>`,
        );
        el.style.setProperty('--okr-color-accent', accent);
        await el.updateComplete;
        const button = getComputedStyle(el.shadowRoot!.querySelector('.submit')!);
        expect(
          contrast(button.backgroundColor, button.color),
          `${button.color} on ${accent} in ${theme}`,
        ).to.be.at.least(4.5);
      }
    }
  });
});
