import { expect, fixture, html } from '@open-wc/testing';
import { fakeFetch, json, testToken } from '../fixtures/fake-fetch.js';
import { goal } from '../fixtures/goals.js';
import '../goal-card/goal-card.js';
import type { OkrGoalCard } from '../goal-card/goal-card.js';
import { OkrProvider } from './provider.js';

async function settled(card: OkrGoalCard): Promise<void> {
  await card.updateComplete;
  while (card.shadowRoot!.querySelector('[part="skeleton"]')) {
    await new Promise((resolve) => setTimeout(resolve));
    await card.updateComplete;
  }
}

describe('<okr-provider>', () => {
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

  it('renders its children and no UI of its own', async () => {
    const provider = await fixture<OkrProvider>(
      html`<okr-provider><p>Host content</p></okr-provider>`,
    );
    expect(getComputedStyle(provider).display).to.equal('contents');
    expect(provider.shadowRoot!.querySelector('slot')).to.not.equal(null);
  });
});
