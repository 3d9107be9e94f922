import { expect, fixture, html } from '@open-wc/testing';
import '../provider/provider.js';
import type { OkrProvider } from '../provider/provider.js';
import './progress-bar.js';
import type { OkrProgressBar } from './progress-bar.js';

function bar(el: OkrProgressBar): HTMLElement {
  return el.shadowRoot!.querySelector('[role="progressbar"]')!;
}

describe('<okr-progress-bar>', () => {
  it('is accessible and exposes the value as a progressbar', async () => {
    const el = await fixture<OkrProgressBar>(
      html`<okr-progress-bar value="0.47" label="Progress of Revenue"></okr-progress-bar>`,
    );
    await expect(el).to.be.accessible();
    const progressbar = bar(el);
    expect(progressbar.getAttribute('aria-label')).to.equal('Progress of Revenue');
    expect(progressbar.getAttribute('aria-valuemin')).to.equal('0');
    expect(progressbar.getAttribute('aria-valuemax')).to.equal('100');
    expect(progressbar.getAttribute('aria-valuenow')).to.equal('47');
    expect(progressbar.getAttribute('aria-valuetext')).to.equal('47%');
  });

  it('has an accessible name without a label', async () => {
    const el = await fixture<OkrProgressBar>(
      html`<okr-progress-bar value="0.2"></okr-progress-bar>`,
    );
    await expect(el).to.be.accessible();
    expect(bar(el).getAttribute('aria-label')).to.equal('Progress');
  });

  it('leaves out aria-valuenow while indeterminate', async () => {
    const el = await fixture<OkrProgressBar>(
      html`<okr-progress-bar indeterminate></okr-progress-bar>`,
    );
    await expect(el).to.be.accessible();
    expect(bar(el).hasAttribute('aria-valuenow')).to.equal(false);
    expect(bar(el).hasAttribute('aria-valuetext')).to.equal(false);
  });

  it('clamps values outside 0..1 and sets the fill width through the CSSOM', async () => {
    const el = await fixture<OkrProgressBar>(
      html`<okr-progress-bar .value=${1.7}></okr-progress-bar>`,
    );
    expect(bar(el).getAttribute('aria-valuenow')).to.equal('100');
    el.value = -3;
    await el.updateComplete;
    expect(bar(el).getAttribute('aria-valuenow')).to.equal('0');
    el.value = 0.25;
    await el.updateComplete;
    const indicator = el.shadowRoot!.querySelector<HTMLElement>('.indicator')!;
    expect(indicator.style.getPropertyValue('inline-size')).to.equal('25%');
  });

  it('formats the percent for German and names itself in German', async () => {
    const el = await fixture<OkrProgressBar>(
      html`<okr-progress-bar locale="de" value="0.47" show-value></okr-progress-bar>`,
    );
    const expected = new Intl.NumberFormat('de', { style: 'percent' }).format(0.47);
    expect(expected).to.equal('47\u00a0%');
    expect(bar(el).getAttribute('aria-valuetext')).to.equal(expected);
    expect(el.shadowRoot!.querySelector('[part="value"]')!.textContent).to.equal(expected);
    expect(bar(el).getAttribute('aria-label')).to.equal('Fortschritt');
  });

  it('colors the fill by status and lets a token override it', async () => {
    const el = await fixture<OkrProgressBar>(
      html`<okr-progress-bar value="0.5" status="off_track"></okr-progress-bar>`,
    );
    const indicator = el.shadowRoot!.querySelector('.indicator')!;
    expect(getComputedStyle(indicator).backgroundColor).to.equal('rgb(207, 34, 46)');
    el.style.setProperty('--okr-color-off-track', 'rgb(1, 2, 3)');
    expect(getComputedStyle(indicator).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('darkens its track in the dark theme', async () => {
    const el = await fixture<OkrProgressBar>(
      html`<okr-progress-bar theme="dark" value="0.5"></okr-progress-bar>`,
    );
    await expect(el).to.be.accessible();
    expect(getComputedStyle(el.shadowRoot!.querySelector('.track')!).backgroundColor).to.equal(
      'rgb(38, 44, 54)',
    );
  });

  it('follows the provider’s theme and locale, and its changes; its own attributes win', async () => {
    const provider = await fixture<OkrProvider>(
      html`<okr-provider theme="dark" locale="de">
        <okr-progress-bar value="0.47" show-value></okr-progress-bar>
        <okr-progress-bar theme="light" locale="en" value="0.47"></okr-progress-bar>
      </okr-provider>`,
    );
    const [inherited, own] = [...provider.querySelectorAll('okr-progress-bar')];
    await inherited!.updateComplete;
    await expect(provider).to.be.accessible();
    expect(inherited!.dataset['okrTheme']).to.equal('dark');
    expect(bar(inherited!).getAttribute('aria-valuetext')).to.equal('47\u00a0%');
    expect(bar(inherited!).getAttribute('aria-label')).to.equal('Fortschritt');
    expect(own!.dataset['okrTheme']).to.equal('light');
    expect(bar(own!).getAttribute('aria-valuetext')).to.equal('47%');

    provider.theme = 'light';
    provider.locale = 'en';
    await provider.updateComplete;
    await inherited!.updateComplete;
    expect(inherited!.dataset['okrTheme']).to.equal('light');
    expect(bar(inherited!).getAttribute('aria-label')).to.equal('Progress');
  });

  it('stops following a provider it was moved out of', async () => {
    const provider = await fixture<OkrProvider>(
      html`<okr-provider theme="dark"
        ><okr-progress-bar value="0.5"></okr-progress-bar
      ></okr-provider>`,
    );
    const el = provider.querySelector('okr-progress-bar')!;
    await el.updateComplete;
    expect(el.dataset['okrTheme']).to.equal('dark');
    const outside = await fixture<OkrProvider>(html`<okr-provider theme="light"></okr-provider>`);
    outside.append(el);
    await el.updateComplete;
    expect(el.dataset['okrTheme']).to.equal('light');
    provider.theme = 'auto';
    await provider.updateComplete;
    await el.updateComplete;
    expect(el.dataset['okrTheme']).to.equal('light');
  });

  it('renders a hostile label as text', async () => {
    const payload = '<img src=x onerror="window.__okrXss=1">';
    const el = await fixture<OkrProgressBar>(
      html`<okr-progress-bar .label=${payload}></okr-progress-bar>`,
    );
    expect(bar(el).getAttribute('aria-label')).to.equal(payload);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
  });
});
