import { expect, fixture, html } from '@open-wc/testing';
import { statuses } from '../fixtures/goals.js';
import './status-badge.js';
import type { OkrStatusBadge } from './status-badge.js';

describe('<okr-status-badge>', () => {
  it('is accessible in every status, light and dark', async () => {
    for (const theme of ['light', 'dark'] as const) {
      for (const status of statuses) {
        const el = await fixture<OkrStatusBadge>(
          html`<okr-status-badge status=${status} theme=${theme}></okr-status-badge>`,
        );
        await expect(el).to.be.accessible();
      }
    }
  });

  it('names each status in English and German', async () => {
    const el = await fixture<OkrStatusBadge>(
      html`<okr-status-badge status="needs_attention"></okr-status-badge>`,
    );
    expect(el.shadowRoot!.textContent).to.equal('Needs attention');
    el.locale = 'de';
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.equal('Braucht Aufmerksamkeit');
  });

  it('takes a wording override and a color token', async () => {
    const el = await fixture<OkrStatusBadge>(
      html`<okr-status-badge
        status="off_track"
        .wording=${{ status: { off_track: 'At risk' } }}
      ></okr-status-badge>`,
    );
    expect(el.shadowRoot!.textContent).to.equal('At risk');
    const pill = el.shadowRoot!.querySelector('[part="base"]')!;
    expect(getComputedStyle(pill).backgroundColor).to.equal('rgb(207, 34, 46)');
    el.style.setProperty('--okr-color-off-track', 'rgb(120, 0, 0)');
    expect(getComputedStyle(pill).backgroundColor).to.equal('rgb(120, 0, 0)');
  });

  it('reflects the theme it gets from configure() or its attribute', async () => {
    const el = await fixture<OkrStatusBadge>(
      html`<okr-status-badge theme="dark"></okr-status-badge>`,
    );
    expect(el.dataset['okrTheme']).to.equal('dark');
  });
});
