/**
 * A page with many widgets and one live stream: the card, the list rows, the tree nodes and
 * the check-in form patch themselves from the BFF's events, ancestors included, without
 * another GET; with live updates off, a check-in on the page still reaches every widget.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { AlignmentNode, Change, CheckInResult, Goal, KeyResult } from '@okr-embed/contract';
import '../alignment-tree/alignment-tree.js';
import type { OkrAlignmentTree } from '../alignment-tree/alignment-tree.js';
import '../check-in/check-in.js';
import type { OkrCheckIn } from '../check-in/check-in.js';
import { eventStreams, fakeFetch, json, sse, testToken } from '../fixtures/fake-fetch.js';
import { ada, checkIn, goal, keyResultsByKind, summaryOf } from '../fixtures/goals.js';
import '../goal-card/goal-card.js';
import type { OkrGoalCard } from '../goal-card/goal-card.js';
import '../goal-list/goal-list.js';
import type { OkrGoalList } from '../goal-list/goal-list.js';
import { configure } from '../provider/configure.js';
import '../provider/provider.js';
import { setGlobalSettings } from '../provider/settings.js';

const later = '2027-02-11T09:00:00Z';
const kr = keyResultsByKind.increase;
const company = goal({ id: 'g-co', title: 'Company objective', progress: 0.3, keyResults: [] });
const team = goal({
  id: 'g-team',
  title: 'Team objective',
  level: 'team',
  progress: 0.35,
  parentId: 'g-co',
  parent: { id: 'g-co', title: company.title, level: 'company', status: 'on_track', progress: 0.3 },
  children: [
    { id: 'g-1', title: 'Own objective', level: 'team', status: 'on_track', progress: 0.4 },
  ],
  keyResults: [],
});
const own = goal({
  id: 'g-1',
  title: 'Own objective',
  level: 'team',
  progress: 0.4,
  parentId: 'g-team',
  parent: { id: 'g-team', title: team.title, level: 'team', status: 'on_track', progress: 0.35 },
});
const node = (source: Goal, depth: number, childCount: number): AlignmentNode => ({
  id: source.id,
  parentId: source.parentId,
  title: source.title,
  level: source.level,
  status: source.status,
  progress: source.progress,
  owner: ada,
  depth,
  childCount,
});
const tree = [node(company, 0, 1), node(team, 1, 1), node(own, 2, 0)];

/** What a check-in of 90 000 on the goal's revenue key result changes, ancestors included. */
function checkedIn(): CheckInResult {
  const keyResult: KeyResult = {
    ...kr,
    current: 90000,
    progress: 0.9,
    version: kr.version + 1,
    updatedAt: later,
  };
  return {
    checkIn: { ...checkIn, id: 'ci-2', value: 90000, createdAt: new Date().toISOString() },
    keyResult,
    goal: { ...own, progress: 0.9, keyResults: [keyResult, own.keyResults[1]!], updatedAt: later },
    progress: [
      { id: 'g-1', progress: 0.9, status: 'on_track', updatedAt: later },
      { id: 'g-team', progress: 0.6, status: 'on_track', updatedAt: later },
      { id: 'g-co', progress: 0.45, status: 'needs_attention', updatedAt: later },
    ],
  };
}

function asChange(result: CheckInResult): Change {
  return {
    goals: [result.goal],
    progress: result.progress,
    keyResults: [result.keyResult],
    checkIn: result.checkIn,
  };
}

function page(live?: 'off') {
  const stream = eventStreams();
  const bff = fakeFetch({
    '/events': stream.route,
    '/goals/g-1': () => json(own),
    '/goals/g-team': () => json(team),
    '/goals': () => json({ items: [company, team, own].map(summaryOf), nextCursor: null }),
    '/alignment': () => json({ nodes: tree }),
    'POST /key-results/kr-inc/check-ins': () => json(checkedIn(), 201),
  });
  const tokenProvider = async () => testToken();
  const rendered = fixture(
    html`<okr-provider
      base-url=""
      live=${live ?? 'on'}
      .tokenProvider=${tokenProvider}
      .fetch=${bff.fetch}
    >
      <okr-check-in goal-id="g-1" key-result-id="kr-inc"></okr-check-in>
      <okr-goal-card goal-id="g-1"></okr-goal-card>
      <okr-goal-card goal-id="g-team" variant="compact"></okr-goal-card>
      <okr-goal-list owner="me"></okr-goal-list>
      <okr-alignment-tree expanded-depth="3"></okr-alignment-tree>
    </okr-provider>`,
  );
  return { stream, bff, rendered };
}

function widgets(provider: Element) {
  const [ownCard, teamCard] = [...provider.querySelectorAll<OkrGoalCard>('okr-goal-card')];
  return {
    form: provider.querySelector<OkrCheckIn>('okr-check-in')!,
    ownCard: ownCard!,
    teamCard: teamCard!,
    list: provider.querySelector<OkrGoalList>('okr-goal-list')!,
    tree: provider.querySelector<OkrAlignmentTree>('okr-alignment-tree')!,
  };
}

/** Progress shown per goal: the two cards, each list row and each tree node, by title. */
function shown(provider: Element): Record<string, number | undefined> {
  const { ownCard, teamCard, list, tree } = widgets(provider);
  const bar = (root: Element | null | undefined) => root?.querySelector('okr-progress-bar')?.value;
  const result: Record<string, number | undefined> = {
    'card g-1': bar(ownCard.shadowRoot!.querySelector('[part="card"]')),
    'card g-team': bar(teamCard.shadowRoot!.querySelector('[part="card"]')),
  };
  for (const row of list.shadowRoot!.querySelectorAll('[part="item"]')) {
    result[`row ${row.querySelector('[part="title"]')?.textContent?.trim()}`] = bar(row);
  }
  for (const row of tree.shadowRoot!.querySelectorAll('[role="treeitem"]')) {
    result[`node ${row.querySelector('.title')?.textContent}`] = bar(row);
  }
  return result;
}

const before = {
  'card g-1': 0.4,
  'card g-team': 0.35,
  'row Company objective': 0.3,
  'row Team objective': 0.35,
  'row Own objective': 0.4,
  'node Company objective': 0.3,
  'node Team objective': 0.35,
  'node Own objective': 0.4,
};
const after = {
  'card g-1': 0.9,
  'card g-team': 0.6,
  'row Company objective': 0.45,
  'row Team objective': 0.6,
  'row Own objective': 0.9,
  'node Company objective': 0.45,
  'node Team objective': 0.6,
  'node Own objective': 0.9,
};

async function loaded(provider: Element): Promise<void> {
  const { form } = widgets(provider);
  await waitUntil(
    () =>
      JSON.stringify(shown(provider)) === JSON.stringify(before) &&
      form.shadowRoot!.querySelector('[part="value"]') !== null,
    'every widget loaded',
  );
}

const valueOf = (form: OkrCheckIn) =>
  form.shadowRoot!.querySelector<HTMLInputElement>('[part="value"]')!;

describe('live updates on a page', () => {
  afterEach(() => setGlobalSettings({ client: null }));

  it('patches the card, list rows, tree nodes and check-in form from one event, ancestors included, without a GET', async () => {
    const { stream, bff, rendered } = page();
    const provider = await rendered;
    await loaded(provider);
    const events = await stream.opened(0);
    expect(bff.streamRequests, 'one stream for five widgets').to.have.length(1);
    const reads = bff.requests.length;

    events.write(sse({ id: '10', event: 'check-in.created', data: asChange(checkedIn()) }));
    await waitUntil(() => JSON.stringify(shown(provider)) === JSON.stringify(after), 'all patched');

    const { form, ownCard, teamCard } = widgets(provider);
    expect(ownCard.currentGoal!.keyResults[0]!.current).to.equal(90000);
    expect(ownCard.currentGoal!.lastCheckIn!.id).to.equal('ci-2');
    expect(ownCard.currentGoal!.parent!.progress).to.equal(0.6);
    expect(teamCard.currentGoal!.children[0]!.progress).to.equal(0.9);
    expect(teamCard.currentGoal!.parent!.progress).to.equal(0.45);
    await waitUntil(() => valueOf(form).value === '90000', 'the form shows the stored value');
    expect(form.shadowRoot!.querySelector('[part="key-result"]')!.textContent).to.contain('90');
    expect(bff.requests.length, 'no GET after the event').to.equal(reads);

    // A dropped stream shows nothing: the widgets keep what they show, no error anywhere.
    events.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const widget of Object.values(widgets(provider))) {
      expect(widget.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
    }
    expect(shown(provider)).to.deep.equal(after);
    await expect(provider).to.be.accessible();
  });

  it('keeps a value the user is typing when someone else checks in', async () => {
    const { stream, rendered } = page();
    const provider = await rendered;
    await loaded(provider);
    const { form } = widgets(provider);
    valueOf(form).value = '55000';
    (await stream.opened(0)).write(
      sse({ id: '11', event: 'check-in.created', data: asChange(checkedIn()) }),
    );
    await waitUntil(() => shown(provider)['card g-1'] === 0.9);
    await form.updateComplete;
    expect(valueOf(form).value).to.equal('55000');
    expect(form.shadowRoot!.querySelector('[part="key-result"]')!.textContent).to.contain('90');
  });

  it('closes the stream when the last data widget leaves the page', async () => {
    const { stream, rendered } = page();
    const provider = await rendered;
    await loaded(provider);
    const events = await stream.opened(0);
    const all = Object.values(widgets(provider));
    all.slice(1).forEach((widget) => widget.remove());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.aborted, 'open while one widget remains').to.equal(false);
    all[0]!.remove();
    await waitUntil(() => events.aborted, 'closed with the last widget');
  });

  it('on reset, every widget loads its data again once and shows it', async () => {
    const { stream, bff, rendered } = page();
    const provider = await rendered;
    await loaded(provider);
    const events = await stream.opened(0);
    const reads = bff.requests.length;
    events.write(sse({ event: 'reset', data: {} }));
    await waitUntil(() => bff.requests.length >= reads + 4, 'reloaded');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const paths = bff.requests
      .slice(reads)
      .map((request) => new URL(request.url, location.href).pathname);
    // The form and the card of g-1 read the same goal: the client sends that GET once.
    expect(paths.sort()).to.deep.equal([
      '/api/v1/alignment',
      '/api/v1/goals',
      '/api/v1/goals/g-1',
      '/api/v1/goals/g-team',
    ]);
    expect(shown(provider)).to.deep.equal(before);
    expect(
      provider.querySelector('okr-goal-list')!.shadowRoot!.querySelector('[part="skeleton"]'),
    ).to.equal(null);
  });

  it('removes deleted goals from the list and the tree, and reloads a list for a created goal', async () => {
    const { stream, bff, rendered } = page();
    const provider = await rendered;
    await loaded(provider);
    const events = await stream.opened(0);
    const reads = bff.requests.length;
    const gone: Change = {
      goals: [],
      progress: [],
      keyResults: [],
      deleted: { goalIds: ['g-team'], keyResultIds: [] },
    };
    events.write(sse({ id: '20', event: 'goal.deleted', data: gone }));
    await waitUntil(() => !('row Team objective' in shown(provider)), 'the row is gone');
    await waitUntil(() => !('node Team objective' in shown(provider)), 'the node is gone');
    const left = shown(provider);
    expect(left['node Own objective'], 'what hung below it went too').to.equal(undefined);
    expect(left['node Company objective']).to.equal(0.3);
    expect(bff.requests.length).to.equal(reads);

    const created = goal({ id: 'g-new', title: 'New objective', updatedAt: later });
    events.write(
      sse({
        id: '21',
        event: 'goal.created',
        data: { goals: [created], progress: [], keyResults: [] },
      }),
    );
    await waitUntil(() => bff.requests.length === reads + 1, 'the list reloads its page');
    expect(new URL(bff.requests[reads]!.url, location.href).pathname).to.equal('/api/v1/goals');
  });

  it('with live="off" opens no stream, yet a check-in on the page moves every widget, ancestors included', async () => {
    const { bff, rendered } = page('off');
    const provider = await rendered;
    await loaded(provider);
    const { form } = widgets(provider);
    valueOf(form).value = '90000';
    form.shadowRoot!.querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    await waitUntil(() => JSON.stringify(shown(provider)) === JSON.stringify(after), 'all patched');
    expect(bff.streamRequests).to.have.length(0);
    expect(bff.requests.filter((request) => request.method === 'POST')).to.have.length(1);
    await expect(provider).to.be.accessible();
  });

  it('with configure({ live: false }) opens no stream', async () => {
    const stream = eventStreams();
    const bff = fakeFetch({ '/events': stream.route, '/goals/g-1': () => json(own) });
    configure({
      baseUrl: '',
      tokenProvider: async () => testToken(),
      fetch: bff.fetch,
      live: false,
    });
    const card = await fixture<OkrGoalCard>(html`<okr-goal-card goal-id="g-1"></okr-goal-card>`);
    await waitUntil(() => card.currentGoal !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bff.streamRequests).to.have.length(0);
  });
});
