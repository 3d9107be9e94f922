import { expect, fixture, html } from '@open-wc/testing';
import { fakeFetch, json, testToken } from '../fixtures/fake-fetch.js';
import { goal } from '../fixtures/goals.js';
import '../goal-card/goal-card.js';
import type { OkrGoalCard } from '../goal-card/goal-card.js';
import { configure } from './configure.js';
import { OkrProvider } from './provider.js';
import { setGlobalSettings } from './settings.js';

async function settled(card: OkrGoalCard): Promise<void> {
  await card.updateComplete;
  while (card.shadowRoot!.querySelector('[part="skeleton"]')) {
    await new Promise((resolve) => setTimeout(resolve));
    await card.updateComplete;
  }
}

describe('<okr-provider>', () => {
  afterEach(() => setGlobalSettings({ client: null }));

  it('gives its descendants locale, theme and wording; an element’s own attribute wins', async () => {
    const provider = await fixture<OkrProvider>(
      html`<okr-provider locale="de" theme="dark" .wording=${{ keyResults: 'Meilensteine' }}>
        <okr-goal-card .goal=${goal()}></okr-goal-card>
        <okr-goal-card theme="light" locale="en" .goal=${goal()}></okr-goal-card>
      </okr-provider>`,
    );
    await expect(provider).to.be.accessible();
    const [inherited, own] = [...provider.querySelectorAll('okr-goal-card')];
    await inherited!.updateComplete;
    expect(inherited!.dataset['okrTheme']).to.equal('dark');
    expect(inherited!.shadowRoot!.textContent).to.contain('Meilensteine');
    expect(inherited!.shadowRoot!.textContent).to.contain('Verantwortlich');
    expect(own!.dataset['okrTheme']).to.equal('light');
    expect(own!.shadowRoot!.textContent).to.contain('Owner');
  });

  it('passes changes on to widgets already rendered', async () => {
    const provider = await fixture<OkrProvider>(
      html`<okr-provider locale="en">
        <okr-goal-card .goal=${goal()}></okr-goal-card>
      </okr-provider>`,
    );
    const card = provider.querySelector('okr-goal-card')!;
    provider.locale = 'de';
    await provider.updateComplete;
    await card.updateComplete;
    expect(card.shadowRoot!.textContent).to.contain('Schlüsselergebnisse');
  });

  it('loads again through a new client when the base URL changes', async () => {
    const bff = fakeFetch({ '/goals/g-1': () => json(goal()) });
    const provider = await fixture<OkrProvider>(
      html`<okr-provider
        base-url="https://one.test"
        .tokenProvider=${async () => testToken()}
        .fetch=${bff.fetch}
      >
        <okr-goal-card goal-id="g-1"></okr-goal-card>
      </okr-provider>`,
    );
    const card = provider.querySelector('okr-goal-card')!;
    await settled(card);
    provider.baseUrl = 'https://two.test';
    await provider.updateComplete;
    await card.updateComplete;
    await settled(card);
    expect(bff.requests.map((r) => new URL(r.url).origin)).to.deep.equal([
      'https://one.test',
      'https://two.test',
    ]);
  });

  it('reaches widgets that were on the page before it was defined', async () => {
    const host = await fixture(
      html`<late-okr-provider locale="de">
        <okr-goal-card .goal=${goal()}></okr-goal-card>
      </late-okr-provider>`,
    );
    const card = host.querySelector('okr-goal-card')!;
    await card.updateComplete;
    expect(card.shadowRoot!.textContent).to.contain('Owner');
    customElements.define('late-okr-provider', class extends OkrProvider {});
    await (host as OkrProvider).updateComplete;
    await card.updateComplete;
    expect(card.shadowRoot!.textContent).to.contain('Verantwortlich');
  });

  it('inside another provider, takes what it does not set itself from the outer one', async () => {
    const outerBff = fakeFetch({ '/goals/g-1': () => json(goal({ title: 'From the outer BFF' })) });
    const innerBff = fakeFetch({ '/goals/g-1': () => json(goal({ title: 'From the inner BFF' })) });
    const outer = await fixture<OkrProvider>(
      html`<okr-provider
        base-url="https://outer.test"
        .tokenProvider=${async () => testToken()}
        .fetch=${outerBff.fetch}
        locale="de"
        theme="dark"
        .wording=${{ keyResults: 'Meilensteine', status: { on_track: 'Läuft' } }}
      >
        <okr-provider
          id="with-bff"
          base-url="https://inner.test"
          .tokenProvider=${async () => testToken()}
          .fetch=${innerBff.fetch}
          .wording=${{ objective: 'Vorhaben', status: { off_track: 'Kritisch' } }}
        >
          <okr-goal-card goal-id="g-1"></okr-goal-card>
        </okr-provider>
        <okr-provider id="english" locale="en">
          <okr-goal-card goal-id="g-1"></okr-goal-card>
        </okr-provider>
      </okr-provider>`,
    );
    const withBff = outer.querySelector<OkrGoalCard>('#with-bff okr-goal-card')!;
    const english = outer.querySelector<OkrGoalCard>('#english okr-goal-card')!;
    await settled(withBff);
    await settled(english);
    await expect(outer).to.be.accessible();
    expect(withBff.shadowRoot!.textContent).to.contain('From the inner BFF');
    expect(withBff.dataset['okrTheme']).to.equal('dark');
    expect(withBff.shadowRoot!.textContent).to.contain('Verantwortlich');
    expect(withBff.shadowRoot!.textContent).to.contain('Meilensteine');
    const inner = outer.querySelector<OkrProvider>('#with-bff')!;
    expect(inner.settings.wording).to.deep.equal({
      keyResults: 'Meilensteine',
      objective: 'Vorhaben',
      status: { on_track: 'Läuft', off_track: 'Kritisch' },
    });
    expect(english.shadowRoot!.textContent).to.contain('From the outer BFF');
    expect(english.shadowRoot!.textContent).to.contain('Owner');
    expect(english.dataset['okrTheme']).to.equal('dark');

    outer.theme = 'light';
    await outer.updateComplete;
    await inner.updateComplete;
    await withBff.updateComplete;
    expect(withBff.dataset['okrTheme']).to.equal('light');
  });

  it('without an outer provider, takes what it does not set from configure()', async () => {
    const bff = fakeFetch({ '/goals/g-1': () => json(goal({ title: 'Configured globally' })) });
    const provider = await fixture<OkrProvider>(
      html`<okr-provider locale="de">
        <okr-goal-card goal-id="g-1"></okr-goal-card>
      </okr-provider>`,
    );
    configure({
      baseUrl: 'https://global.test',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
      theme: 'dark',
    });
    const card = provider.querySelector('okr-goal-card')!;
    await provider.updateComplete;
    await card.updateComplete;
    await settled(card);
    expect(card.shadowRoot!.textContent).to.contain('Configured globally');
    expect(card.shadowRoot!.textContent).to.contain('Verantwortlich');
    expect(card.dataset['okrTheme']).to.equal('dark');
  });

  it('renders its children and no UI of its own', async () => {
    const provider = await fixture<OkrProvider>(
      html`<okr-provider><p>Host content</p></okr-provider>`,
    );
    expect(getComputedStyle(provider).display).to.equal('contents');
    expect(provider.shadowRoot!.querySelector('slot')).to.not.equal(null);
  });
});
