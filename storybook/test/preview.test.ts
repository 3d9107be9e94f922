/**
 * The toolbar's theme, locale and direction reach the widgets: `preview.ts` wraps every story in
 * an `<okr-provider>` and a page block that carry them, and a story can set its own.
 */
import * as webComponentsAnnotations from '@storybook/web-components/entry-preview';
import { expect } from '@open-wc/testing';
import { html } from 'lit';
import { composeStory, setProjectAnnotations } from 'storybook/preview-api';
import '../../widgets/src/status-badge/status-badge.js';
import preview from '../preview.js';

const annotations = setProjectAnnotations([webComponentsAnnotations, preview]);

/** Renders a status badge as a story with the given story globals; returns the canvas. */
async function renderWithGlobals(globals: Record<string, string>): Promise<HTMLElement> {
  const story = composeStory(
    {
      render: () => html`<okr-status-badge status="on_track"></okr-status-badge>`,
      globals,
    },
    { title: 'Preview decorator' },
    annotations,
  );
  const canvas = document.createElement('div');
  document.body.append(canvas);
  await story.run({ canvasElement: canvas });
  await canvas.querySelector('okr-status-badge')!.updateComplete;
  return canvas;
}

function badgeText(canvas: HTMLElement): string {
  return canvas.querySelector('okr-status-badge')!.shadowRoot!.textContent!.trim();
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('preview decorator', () => {
  it('renders a story light, in English, left to right by default', async () => {
    const canvas = await renderWithGlobals({});
    const provider = canvas.querySelector('okr-provider')!;
    expect(provider.getAttribute('theme')).to.equal('light');
    expect(provider.getAttribute('locale')).to.equal('en');
    expect(provider.parentElement!.dir).to.equal('ltr');
    expect(badgeText(canvas)).to.equal('On track');
  });

  it('hands the toolbar theme, locale and direction to the widgets', async () => {
    const canvas = await renderWithGlobals({ theme: 'dark', locale: 'de', direction: 'rtl' });
    const badge = canvas.querySelector('okr-status-badge')!;
    expect(badge.dataset['okrTheme']).to.equal('dark');
    expect(badgeText(canvas)).to.equal('Im Plan');
    expect(getComputedStyle(badge).direction).to.equal('rtl');
    expect(canvas.querySelector('okr-provider')!.parentElement!.lang).to.equal('de');
  });

  it('paints the page in the color scheme of the theme', async () => {
    const canvas = await renderWithGlobals({ theme: 'dark' });
    const page = canvas.querySelector('okr-provider')!.parentElement!;
    expect(getComputedStyle(page).colorScheme).to.equal('dark');
  });

  it('shows the partner brand as a host sets it: dark widgets under the brand tokens', async () => {
    const canvas = await renderWithGlobals({ theme: 'partner' });
    const badge = canvas.querySelector('okr-status-badge')!;
    expect(badge.dataset['okrTheme']).to.equal('dark');
    const page = canvas.querySelector('okr-provider')!.parentElement!;
    expect(page.style.getPropertyValue('--okr-color-on-track')).to.equal('#46c28e');
    const pill = getComputedStyle(badge.shadowRoot!.querySelector('.badge')!);
    expect(pill.backgroundColor).to.equal('rgb(70, 194, 142)');
    // Text computed for the brand color, not the default white (2.24:1 on this green).
    expect(pill.color).to.equal('color(srgb 0 0 0)');
  });
});
