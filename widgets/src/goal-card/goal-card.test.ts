import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Goal } from '@okr-embed/contract';
import { apiError, fakeFetch, json, pending, testToken } from '../fixtures/fake-fetch.js';
import { emit } from '../events/events.js';
import { checkIn, goal, hostileGoal, keyResultsByKind } from '../fixtures/goals.js';
import '../provider/provider.js';
import { configure } from '../provider/configure.js';
import './goal-card.js';
import type { OkrGoalCard } from './goal-card.js';

function shadow(el: Element): ShadowRoot {
  return el.shadowRoot!;
}

function text(el: Element): string {
  return shadow(el).textContent!.replace(/[ \n\t]+/g, ' ');
}

async function cardIn(provider: Element): Promise<OkrGoalCard> {
  const card = provider.querySelector('okr-goal-card')!;
  await card.updateComplete;
  return card;
}

/** Waits until the card has left the loading state (requests settle in microtasks and tasks). */
async function settled(card: OkrGoalCard): Promise<void> {
  while (shadow(card).querySelector('[part="skeleton"]')) {
    await new Promise((resolve) => setTimeout(resolve));
    await card.updateComplete;
  }
}

describe('<okr-goal-card>', () => {
  it('renders a goal passed in: title, status, owner, timeframe, progress', async () => {
    const el = await fixture<OkrGoalCard>(html`<okr-goal-card .goal=${goal()}></okr-goal-card>`);
    await expect(el).to.be.accessible();
    const content = text(el);
    expect(content).to.contain('Become the default OKR tool for mid-size companies');
    expect(content).to.contain('Ada Lovelace');
    expect(content).to.contain('Q1 2027');
    const badge = shadow(el).querySelector('okr-status-badge')!;
    expect(badge.status).to.equal('on_track');
    const bar = shadow(el).querySelector('okr-progress-bar')!;
    expect(bar.value).to.equal(0.4);
    expect(bar.label).to.equal('Progress of Become the default OKR tool for mid-size companies');
  });

  it('is accessible in the dark theme, with the why-breakdown open', async () => {
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card
        theme="dark"
        .goal=${goal({ keyResults: Object.values(keyResultsByKind) })}
      ></okr-goal-card>`,
    );
    shadow(el).querySelector<HTMLDetailsElement>('[part="why"]')!.open = true;
    await expect(el).to.be.accessible();
    expect(getComputedStyle(shadow(el).querySelector('[part="card"]')!).backgroundColor).to.equal(
      'rgb(13, 17, 23)',
    );
  });

  it('titles itself as a heading of the level the page needs', async () => {
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card heading-level="2" .goal=${goal()}></okr-goal-card>`,
    );
    const heading = shadow(el).querySelector('[role="heading"]')!;
    expect(heading.getAttribute('aria-level')).to.equal('2');
    expect(heading.textContent!.trim()).to.equal(
      'Become the default OKR tool for mid-size companies',
    );
    await expect(el).to.be.accessible();
  });

  it('formats key-result values by kind and unit', async () => {
    const keyResults = Object.values(keyResultsByKind);
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card .goal=${goal({ keyResults })}></okr-goal-card>`,
    );
    await expect(el).to.be.accessible();
    const values = [...shadow(el).querySelectorAll('.kr-value')].map((v) => v.textContent);
    expect(values).to.deep.equal([
      '€42,000 of €100,000',
      '6.5%, target 4%',
      '45, at least 40',
      '420 ms, at most 300 ms',
      'Done',
      '30%',
    ]);
  });

  it('formats numbers and words in German', async () => {
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card
        locale="de"
        .goal=${goal({ keyResults: [keyResultsByKind.increase, keyResultsByKind.decrease] })}
      ></okr-goal-card>`,
    );
    await expect(el).to.be.accessible();
    const values = [...shadow(el).querySelectorAll('.kr-value')].map((v) => v.textContent);
    expect(values).to.deep.equal(['42.000\u00a0€ von 100.000\u00a0€', '6,5\u00a0%, Ziel 4\u00a0%']);
    expect(text(el)).to.contain('Schlüsselergebnisse');
    expect(text(el)).to.contain('Warum 40\u00a0%?');
    expect(text(el)).to.contain('Aktualisiert vor 3 Tagen');
  });

  it('explains the number: each contribution with its share', async () => {
    const el = await fixture<OkrGoalCard>(html`<okr-goal-card .goal=${goal()}></okr-goal-card>`);
    const why = shadow(el).querySelector<HTMLDetailsElement>('[part="why"]')!;
    why.open = true;
    await expect(el).to.be.accessible();
    expect(why.querySelector('summary')!.textContent).to.equal('Why 40%?');
    const items = [...why.querySelectorAll('li')].map((li) =>
      li.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(items).to.deep.equal([
      'Key result: Raise revenue — 42%, weight 1: 53% of the total',
      'Key result: Cut churn — 38%, weight 1: 47% of the total',
    ]);
  });

  it('shows only title, status, progress and owner when compact', async () => {
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card variant="compact" .goal=${goal()}></okr-goal-card>`,
    );
    await expect(el).to.be.accessible();
    expect(shadow(el).querySelector('[part="why"]')).to.equal(null);
    expect(shadow(el).querySelector('[part="key-results"]')).to.equal(null);
    expect(shadow(el).querySelector('okr-progress-bar')).to.not.equal(null);
  });

  it('shows the empty state of a goal without key results', async () => {
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card .goal=${goal({ keyResults: [], lastCheckIn: null })}></okr-goal-card>`,
    );
    await expect(el).to.be.accessible();
    expect(text(el)).to.contain('No key results yet.');
    expect(text(el)).to.contain('No check-ins yet');
  });

  it('fires okr-goal-select, bubbling and composed, when the title is activated', async () => {
    const el = await fixture<OkrGoalCard>(html`<okr-goal-card .goal=${goal()}></okr-goal-card>`);
    const title = shadow(el).querySelector<HTMLButtonElement>('[part="title"]')!;
    setTimeout(() => title.click());
    const event = await oneEvent(document, 'okr-goal-select');
    expect(event.detail.goalId).to.equal('g-1');
    expect(event.bubbles && event.composed).to.equal(true);
  });

  it('takes a wording override', async () => {
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card
        .wording=${{ keyResults: 'Milestones', status: { on_track: 'Going well' } }}
        .goal=${goal()}
      ></okr-goal-card>`,
    );
    expect(text(el)).to.contain('Milestones');
    const badge = shadow(el).querySelector('okr-status-badge')!;
    await badge.updateComplete;
    expect(badge.shadowRoot!.textContent).to.contain('Going well');
  });

  it('renders every text field of hostile data as inert text', async () => {
    const el = await fixture<OkrGoalCard>(
      html`<okr-goal-card .goal=${hostileGoal}></okr-goal-card>`,
    );
    shadow(el).querySelector<HTMLDetailsElement>('[part="why"]')!.open = true;
    await expect(el).to.be.accessible();
    expect(shadow(el).querySelector('img, script')).to.equal(null);
    expect(text(el)).to.contain('<img src=x onerror=');
    expect((window as { __okrXss?: number }).__okrXss).to.equal(undefined);
  });

  it('fetches by goal-id through <okr-provider>, shows a skeleton meanwhile', async () => {
    let answer!: (response: Response) => void;
    const bff = fakeFetch({
      '/goals/g-1': () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    const provider = await fixture(
      html`<okr-provider
        base-url="https://bff.test"
        .tokenProvider=${async () => testToken()}
        .fetch=${bff.fetch}
      >
        <okr-goal-card goal-id="g-1"></okr-goal-card>
      </okr-provider>`,
    );
    const card = await cardIn(provider);
    expect(shadow(card).querySelector('[part="skeleton"]')!.getAttribute('aria-busy')).to.equal(
      'true',
    );
    await expect(card).to.be.accessible();
    await new Promise((resolve) => setTimeout(resolve));
    answer(json(goal()));
    await settled(card);
    expect(text(card)).to.contain('Become the default OKR tool');
    expect(bff.requests[0]!.url).to.equal('https://bff.test/api/v1/goals/g-1');
  });

  it('ten cards of one goal make one request', async () => {
    const bff = fakeFetch({ '/goals/g-1': () => json(goal()) });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        ${Array.from({ length: 10 }, () => html`<okr-goal-card goal-id="g-1"></okr-goal-card>`)}
      </okr-provider>`,
    );
    for (const card of provider.querySelectorAll('okr-goal-card')) await settled(card);
    expect(bff.requests).to.have.length(1);
  });

  it('says when to try again after a 429, in the page’s language', async () => {
    const bff = fakeFetch({
      '/goals/g-1': () =>
        json({ error: { code: 'rate_limited', message: 'Slow down', requestId: 'r' } }, 429, {
          'Retry-After': '12',
        }),
    });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-goal-card goal-id="g-1"></okr-goal-card>
        <okr-goal-card goal-id="g-1" locale="de"></okr-goal-card>
      </okr-provider>`,
    );
    const [english, german] = [...provider.querySelectorAll('okr-goal-card')];
    await settled(english!);
    await settled(german!);
    await expect(english).to.be.accessible();
    expect(shadow(english!).querySelector('[role="alert"]')!.textContent).to.contain(
      'Too many requests — try again in 12 s',
    );
    expect(shadow(german!).querySelector('[role="alert"]')!.textContent).to.contain(
      'Zu viele Anfragen – bitte in 12 s erneut versuchen',
    );
    expect(bff.requests).to.have.length(1);
  });

  it('shows the error with a retry that loads again, and fires okr-error', async () => {
    let fail = true;
    const bff = fakeFetch({
      '/goals/g-1': () =>
        fail ? apiError(503, 'unavailable', 'Database unavailable') : json(goal()),
    });
    const errors: Event[] = [];
    document.addEventListener('okr-error', (e) => errors.push(e), { once: true });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-goal-card goal-id="g-1"></okr-goal-card>
      </okr-provider>`,
    );
    const card = await cardIn(provider);
    await settled(card);
    await expect(card).to.be.accessible();
    expect(shadow(card).querySelector('[role="alert"]')!.textContent).to.contain(
      'Database unavailable',
    );
    expect(errors).to.have.length(1);
    fail = false;
    shadow(card).querySelector<HTMLButtonElement>('[part="retry"]')!.click();
    await card.updateComplete;
    await settled(card);
    expect(text(card)).to.contain('Become the default OKR tool');
  });

  it('aborts its request when removed from the page', async () => {
    const bff = fakeFetch({ '/goals/g-1': pending });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-goal-card goal-id="g-1"></okr-goal-card>
      </okr-provider>`,
    );
    const card = await cardIn(provider);
    while (bff.requests.length === 0) await new Promise((resolve) => setTimeout(resolve));
    card.remove();
    expect(bff.requests[0]!.signal!.aborted).to.equal(true);
  });

  it('shows the goal a check-in elsewhere on the page returned, without a request', async () => {
    const bff = fakeFetch({ '/goals/g-1': () => json(goal()) });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-goal-card goal-id="g-1"></okr-goal-card>
      </okr-provider>`,
    );
    const card = await cardIn(provider);
    await settled(card);
    const updated = goal({ progress: 0.9, status: 'accomplished' });
    emit(document.body, 'okr-check-in-submitted', {
      checkIn,
      keyResult: updated.keyResults[0]!,
      goal: updated,
      progress: [],
    });
    // Patching is asynchronous: its code loads with the first change.
    await waitUntil(() => shadow(card).querySelector('okr-progress-bar')?.value === 0.9);
    expect(shadow(card).querySelector('okr-status-badge')!.status).to.equal('accomplished');
    expect(bff.requests).to.have.length(1);
  });

  it('uses configure() when there is no provider', async () => {
    const bff = fakeFetch({
      '/goals/g-2': () => json(goal({ id: 'g-2', title: 'Configured globally' }) satisfies Goal),
    });
    const card = await fixture<OkrGoalCard>(html`<okr-goal-card goal-id="g-2"></okr-goal-card>`);
    configure({
      baseUrl: 'https://global.test',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
      theme: 'dark',
    });
    await card.updateComplete;
    await settled(card);
    expect(text(card)).to.contain('Configured globally');
    expect(card.dataset['okrTheme']).to.equal('dark');
  });
});
