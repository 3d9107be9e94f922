import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { apiError, fakeFetch, json, testToken } from '../fixtures/fake-fetch.js';
import { emit } from '../events/events.js';
import { checkIn, goalsByStatus, summaryOf, goal, xss } from '../fixtures/goals.js';
import '../provider/provider.js';
import './goal-list.js';
import type { OkrGoalList } from './goal-list.js';

function rows(el: OkrGoalList): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="item"]')];
}

async function settled(el: OkrGoalList): Promise<void> {
  while (el.shadowRoot!.querySelector('[part="skeleton"]')) {
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
  }
}

async function listIn(provider: Element): Promise<OkrGoalList> {
  const el = provider.querySelector('okr-goal-list')!;
  await el.updateComplete;
  await settled(el);
  return el;
}

describe('<okr-goal-list>', () => {
  it('renders goals passed in, one row each, with status and progress', async () => {
    const el = await fixture<OkrGoalList>(
      html`<okr-goal-list .goals=${goalsByStatus}></okr-goal-list>`,
    );
    await expect(el).to.be.accessible();
    expect(rows(el)).to.have.length(5);
    expect(el.shadowRoot!.querySelector('[part="list"]')!.getAttribute('aria-label')).to.equal(
      'Objectives',
    );
    const badges = rows(el).map((row) => row.querySelector('okr-status-badge')!.status);
    expect(badges).to.deep.equal([
      'not_started',
      'on_track',
      'needs_attention',
      'off_track',
      'accomplished',
    ]);
  });

  it('is accessible in the dark theme', async () => {
    const el = await fixture<OkrGoalList>(
      html`<okr-goal-list theme="dark" .goals=${goalsByStatus}></okr-goal-list>`,
    );
    await expect(el).to.be.accessible();
  });

  it('shows the empty state', async () => {
    const el = await fixture<OkrGoalList>(html`<okr-goal-list .goals=${[]}></okr-goal-list>`);
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('[part="empty"]')!.textContent).to.equal(
      'No objectives here yet.',
    );
  });

  it('fires okr-goal-select from a row title', async () => {
    const el = await fixture<OkrGoalList>(
      html`<okr-goal-list .goals=${goalsByStatus}></okr-goal-list>`,
    );
    const title = rows(el)[2]!.querySelector<HTMLButtonElement>('[part="title"]')!;
    title.focus();
    setTimeout(() => title.click());
    const event = await oneEvent(el, 'okr-goal-select');
    expect(event.detail.goalId).to.equal('g-needs_attention');
  });

  it('queries the BFF with its filters and pages with the cursor', async () => {
    const [first, second] = [goalsByStatus.slice(0, 3), goalsByStatus.slice(3)];
    const bff = fakeFetch({
      '/goals': (r) =>
        json(
          new URL(r.url).searchParams.get('cursor') === 'c2'
            ? { items: second, nextCursor: null }
            : { items: first, nextCursor: 'c2' },
        ),
    });
    const provider = await fixture(
      html`<okr-provider
        base-url="https://bff.test"
        .tokenProvider=${async () => testToken()}
        .fetch=${bff.fetch}
      >
        <okr-goal-list owner="me" timeframe="tf-q1" status="on_track" limit="3"></okr-goal-list>
      </okr-provider>`,
    );
    const el = await listIn(provider);
    await expect(el).to.be.accessible();
    expect(bff.requests[0]!.url).to.equal(
      'https://bff.test/api/v1/goals?owner=me&timeframe=tf-q1&status=on_track&limit=3',
    );
    expect(rows(el)).to.have.length(3);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="more"]')!.click();
    while (rows(el).length < 5) {
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
    }
    expect(new URL(bff.requests[1]!.url).searchParams.get('cursor')).to.equal('c2');
    expect(el.shadowRoot!.querySelector('[part="more"]')).to.equal(null);
  });

  it('refreshes a row from a check-in elsewhere on the page', async () => {
    const bff = fakeFetch({ '/goals': () => json({ items: goalsByStatus, nextCursor: null }) });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-goal-list owner="me"></okr-goal-list>
      </okr-provider>`,
    );
    const el = await listIn(provider);
    const updated = goal({ id: 'g-off_track', progress: 0.8, status: 'on_track' });
    emit(document.body, 'okr-check-in-submitted', {
      checkIn,
      keyResult: updated.keyResults[0]!,
      goal: updated,
      progress: [],
    });
    // Patching is asynchronous: its code loads with the first change.
    await waitUntil(() => rows(el)[3]?.querySelector('okr-progress-bar')?.value === 0.8);
    const row = rows(el)[3]!;
    expect(row.querySelector('okr-progress-bar')!.value).to.equal(0.8);
    expect(row.querySelector('okr-status-badge')!.status).to.equal('on_track');
    expect(bff.requests).to.have.length(1);
  });

  it('shows an error with a working retry', async () => {
    let fail = true;
    const bff = fakeFetch({
      '/goals': () =>
        fail
          ? apiError(403, 'forbidden', 'Missing scope okr:read')
          : json({ items: goalsByStatus, nextCursor: null }),
    });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-goal-list owner="me"></okr-goal-list>
      </okr-provider>`,
    );
    const el = await listIn(provider);
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain(
      'Missing scope okr:read',
    );
    fail = false;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!.click();
    await el.updateComplete;
    await settled(el);
    expect(rows(el)).to.have.length(5);
  });

  it('speaks German and takes wording overrides', async () => {
    const el = await fixture<OkrGoalList>(
      html`<okr-goal-list locale="de" .goals=${[]}></okr-goal-list>`,
    );
    expect(el.shadowRoot!.querySelector('[part="empty"]')!.textContent).to.equal(
      'Hier gibt es noch keine Ziele.',
    );
    el.wording = { emptyGoals: 'No goals yet', objectives: 'Goals' };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="empty"]')!.textContent).to.equal('No goals yet');
    el.goals = goalsByStatus;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="list"]')!.getAttribute('aria-label')).to.equal(
      'Goals',
    );
  });

  it('renders hostile text as inert text', async () => {
    const hostile = summaryOf(
      goal({
        title: xss,
        owner: { id: 'x', name: xss, avatarUrl: null },
        team: { id: 't', key: 't', name: xss },
      }),
    );
    const el = await fixture<OkrGoalList>(
      html`<okr-goal-list .goals=${[hostile]}></okr-goal-list>`,
    );
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    expect(rows(el)[0]!.querySelector('[part="title"]')!.textContent!.trim()).to.equal(xss);
  });
});
