/**
 * An open tree follows goals created and moved elsewhere from the live stream alone: a new goal
 * hangs below its loaded parent (or among the roots it shows), a moved one goes with what is
 * loaded below it, and neither asks the BFF again.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AlignmentNode, Change, Goal } from '@okr-embed/contract';
import { eventStreams, fakeFetch, json, sse, testToken } from '../fixtures/fake-fetch.js';
import { ada, goal, timeframe } from '../fixtures/goals.js';
import '../provider/provider.js';
import { setGlobalSettings } from '../provider/settings.js';
import './alignment-tree.js';
import type { OkrAlignmentTree } from './alignment-tree.js';

const node = (
  id: string,
  parentId: string | null,
  depth: number,
  childCount: number,
): AlignmentNode => ({
  id,
  parentId,
  title: `Goal ${id}`,
  level: 'team',
  status: 'on_track',
  progress: 0.5,
  owner: ada,
  depth,
  childCount,
});
// g-co has its children loaded and open; g-team's one child is loaded; g-leaf has none; g-far
// has three children the tree has not loaded.
const tree = [
  node('g-co', null, 0, 3),
  node('g-team', 'g-co', 1, 1),
  node('g-leaf', 'g-co', 1, 0),
  node('g-far', 'g-co', 1, 3),
  node('g-own', 'g-team', 2, 0),
];

const created = (id: string, parentId: string | null, extra: Partial<Goal> = {}): Change => ({
  goals: [goal({ id, parentId, title: `Goal ${id}`, ...extra })],
  progress: [],
  keyResults: [],
});

async function openTree(attributes: { timeframe?: string; root?: string } = {}) {
  const stream = eventStreams();
  const bff = fakeFetch({ '/events': stream.route, '/alignment': () => json({ nodes: tree }) });
  const provider = await fixture(
    html`<okr-provider
      base-url=""
      live="on"
      .tokenProvider=${async () => testToken()}
      .fetch=${bff.fetch}
    >
      <okr-alignment-tree
        expanded-depth="3"
        timeframe=${ifDefined(attributes.timeframe)}
        root=${ifDefined(attributes.root)}
      ></okr-alignment-tree>
    </okr-provider>`,
  );
  const element = provider.querySelector<OkrAlignmentTree>('okr-alignment-tree')!;
  await waitUntil(() => rows(element).length === tree.length, 'the tree loaded');
  const events = await stream.opened(0);
  return { element, events, bff, reads: bff.requests.length };
}

/** Each row in order: id, level, place in its set, and open/closed when it has children. */
function rows(element: OkrAlignmentTree): string[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement>('[role="treeitem"]')]
    .sort((a, b) => Number(a.dataset['index']) - Number(b.dataset['index']))
    .map((row) => {
      const id = row.querySelector('.title')!.textContent!.replace('Goal g-', '');
      const open = row.getAttribute('aria-expanded');
      return `${id} ${row.getAttribute('aria-level')} ${row.getAttribute('aria-posinset')}/${row.getAttribute('aria-setsize')}${open ? ` ${open}` : ''}`;
    });
}

/** The tree's model, read the way the tree reads it: by the loaded nodes. */
const loadedNode = (element: OkrAlignmentTree, id: string) =>
  (element as unknown as { model: { loaded: AlignmentNode[] } }).model.loaded.find(
    (known) => known.id === id,
  );

const initial = ['co 1 1/1 true', 'team 2 1/3 true', 'own 3 1/1', 'leaf 2 2/3', 'far 2 3/3 false'];

describe('okr-alignment-tree live structure', () => {
  afterEach(() => setGlobalSettings({ client: null }));

  it('adds a created goal as the last child of its open parent, counting it, without a GET', async () => {
    const { element, events, bff, reads } = await openTree();
    expect(rows(element)).to.deep.equal(initial);
    events.write(sse({ id: '1', event: 'goal.created', data: created('g-new', 'g-team') }));
    await waitUntil(() => rows(element).length === 6, 'the node is shown');
    expect(rows(element)).to.deep.equal([
      'co 1 1/1 true',
      'team 2 1/3 true',
      'own 3 1/2',
      'new 3 2/2',
      'leaf 2 2/3',
      'far 2 3/3 false',
    ]);
    expect(loadedNode(element, 'g-team')!.childCount).to.equal(2);
    expect(loadedNode(element, 'g-new')).to.include({
      depth: 2,
      childCount: 0,
      parentId: 'g-team',
    });
    expect(bff.requests.length, 'no request after the event').to.equal(reads);

    // The same event again (a replay after a reconnect) adds nothing and counts nothing.
    events.write(sse({ id: '2', event: 'goal.created', data: created('g-new', 'g-team') }));
    events.write(sse({ id: '3', event: 'goal.created', data: created('g-mark', null) }));
    await waitUntil(() => rows(element).length === 7, 'the marker root is shown');
    expect(loadedNode(element, 'g-team')!.childCount).to.equal(2);
  });

  it('makes a leaf parent expandable, and counts a child of a parent whose children are not loaded', async () => {
    const { element, events, bff, reads } = await openTree();
    events.write(sse({ id: '1', event: 'goal.created', data: created('g-a', 'g-leaf') }));
    events.write(sse({ id: '2', event: 'goal.created', data: created('g-b', 'g-far') }));
    await waitUntil(() => rows(element)[3] === 'leaf 2 2/3 false', 'the leaf is expandable');
    expect(loadedNode(element, 'g-leaf')!.childCount).to.equal(1);
    await waitUntil(() => loadedNode(element, 'g-far')!.childCount === 4, 'g-far counts one more');
    // g-b waits for g-far to load its children (it will be among them); g-a is hidden until
    // its parent opens, and opening it needs no request: its one child is there.
    expect(loadedNode(element, 'g-b')).to.equal(undefined);
    element.shadowRoot!.querySelectorAll<HTMLElement>('.toggle')[3]!.click();
    await waitUntil(() => rows(element).includes('a 3 1/1'), 'g-a shown below its parent');
    expect(bff.requests.length, 'no request after the events').to.equal(reads);
  });

  it('ignores a created goal whose parent is not loaded', async () => {
    const { element, events, bff, reads } = await openTree();
    events.write(sse({ id: '1', event: 'goal.created', data: created('g-lost', 'g-elsewhere') }));
    // A marker after it: once the marker shows, the first event has been handled too.
    events.write(sse({ id: '2', event: 'goal.created', data: created('g-mark', null) }));
    await waitUntil(() => rows(element).length === 6, 'the marker root is shown');
    expect(rows(element)).to.deep.equal(
      [...initial, 'mark 1 2/2'].map((r) => r.replace('1/1 true', '1/2 true')),
    );
    expect(loadedNode(element, 'g-lost')).to.equal(undefined);
    expect(bff.requests.length).to.equal(reads);
  });

  it('adds a created root only when it is in the timeframe the tree shows', async () => {
    const { element, events } = await openTree({ timeframe: timeframe.id });
    const other = { ...timeframe, id: 'tf-other' };
    events.write(
      sse({ id: '1', event: 'goal.created', data: created('g-other', null, { timeframe: other }) }),
    );
    events.write(sse({ id: '2', event: 'goal.created', data: created('g-root', null) }));
    await waitUntil(() => rows(element).length === 6, 'the root in the timeframe is shown');
    expect(rows(element)[5]).to.equal('root 1 2/2');
    expect(loadedNode(element, 'g-other')).to.equal(undefined);
  });

  it('adds no created root to a subtree, yet adds a child below the subtree root', async () => {
    const { element, events } = await openTree({ root: 'g-co' });
    events.write(sse({ id: '1', event: 'goal.created', data: created('g-top', null) }));
    events.write(sse({ id: '2', event: 'goal.created', data: created('g-sub', 'g-co') }));
    await waitUntil(() => rows(element).length === 6, 'the child is shown');
    expect(rows(element)[5]).to.equal('sub 2 4/4');
    expect(loadedNode(element, 'g-co')!.childCount).to.equal(4);
    expect(loadedNode(element, 'g-top')).to.equal(undefined);
  });

  it('moves a goal given another parent, with what is loaded below it', async () => {
    const { element, events, bff, reads } = await openTree();
    const moved: Change = {
      goals: [goal({ id: 'g-team', parentId: 'g-leaf', title: 'Goal g-team' })],
      progress: [],
      keyResults: [],
    };
    events.write(sse({ id: '1', event: 'goal.updated', data: moved }));
    await waitUntil(() => loadedNode(element, 'g-leaf')!.childCount === 1, 'g-leaf counts it');
    expect(loadedNode(element, 'g-co')!.childCount).to.equal(2);
    expect(loadedNode(element, 'g-team')).to.include({ parentId: 'g-leaf', depth: 2 });
    expect(loadedNode(element, 'g-own')).to.include({ depth: 3 });
    expect(rows(element)).to.deep.equal(['co 1 1/1 true', 'leaf 2 1/2 false', 'far 2 2/2 false']);
    const leaf = element.shadowRoot!.querySelectorAll<HTMLElement>('.toggle')[1]!;
    leaf.click();
    await waitUntil(() => rows(element).length === 5, 'the moved subtree is shown');
    expect(rows(element)).to.deep.equal([
      'co 1 1/1 true',
      'leaf 2 1/2 true',
      'team 3 1/1 true',
      'own 4 1/1',
      'far 2 2/2 false',
    ]);
    expect(bff.requests.length, 'no request after the event').to.equal(reads);
  });
});
