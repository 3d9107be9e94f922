/**
 * A check-in changes a goal that other widgets on the page may show. They all listen for
 * `okr-check-in-submitted` and take the goal it carries, so the page agrees without reloading.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { AlignmentNode, CheckInResult, KeyResult } from '@okr-embed/contract';
import '../alignment-tree/alignment-tree.js';
import '../check-in/check-in.js';
import { fakeFetch, json, testToken } from '../fixtures/fake-fetch.js';
import {
  ada,
  checkIn,
  goal,
  goalsByStatus,
  keyResultsByKind,
  summaryOf,
} from '../fixtures/goals.js';
import '../goal-card/goal-card.js';
import '../goal-list/goal-list.js';
import '../provider/provider.js';

const before = goal();
const tree: AlignmentNode[] = [
  {
    id: 'company',
    parentId: null,
    title: 'Company objective',
    level: 'company',
    status: 'needs_attention',
    progress: 0.3,
    owner: ada,
    depth: 0,
    childCount: 1,
  },
  {
    id: before.id,
    parentId: 'company',
    title: before.title,
    level: 'team',
    status: before.status,
    progress: before.progress,
    owner: ada,
    depth: 1,
    childCount: 0,
  },
];

function answer(value: number): CheckInResult {
  const keyResult: KeyResult = {
    ...keyResultsByKind.increase,
    current: value,
    progress: 1,
    status: 'accomplished',
    version: keyResultsByKind.increase.version + 1,
  };
  return {
    checkIn: { ...checkIn, value },
    keyResult,
    goal: goal({
      progress: 0.9,
      status: 'accomplished',
      keyResults: [keyResult, keyResultsByKind.decrease],
    }),
    progress: [],
  };
}

async function until(done: () => boolean): Promise<void> {
  for (let tries = 0; !done(); tries++) {
    if (tries > 200) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The progress bar and status badge inside a widget's row (or card) for the goal. */
function shown(row: Element | null | undefined): [number | undefined, string | undefined] {
  return [
    row?.querySelector('okr-progress-bar')?.value,
    row?.querySelector('okr-status-badge')?.status,
  ];
}

describe('okr-check-in-submitted across the page', () => {
  it('updates the card, the list row and the tree node of that goal without a request', async () => {
    const bff = fakeFetch({
      '/goals/g-1': () => json(before),
      '/goals': () => json({ items: [summaryOf(before), ...goalsByStatus], nextCursor: null }),
      '/alignment': () => json({ nodes: tree }),
      'POST /key-results/kr-inc/check-ins': () => json(answer(100000), 201),
    });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-check-in goal-id="g-1" key-result-id="kr-inc"></okr-check-in>
        <okr-goal-card goal-id="g-1" variant="compact"></okr-goal-card>
        <okr-goal-list owner="me"></okr-goal-list>
        <okr-alignment-tree></okr-alignment-tree>
      </okr-provider>`,
    );
    const form = provider.querySelector('okr-check-in')!;
    const card = provider.querySelector('okr-goal-card')!;
    const list = provider.querySelector('okr-goal-list')!;
    const alignment = provider.querySelector('okr-alignment-tree')!;
    const cardBody = () => card.shadowRoot!.querySelector('[part="card"]');
    const listRow = () => list.shadowRoot!.querySelector('[part="item"]');
    const treeRow = () =>
      [...alignment.shadowRoot!.querySelectorAll('[role="treeitem"]')].find(
        (row) => row.querySelector('.title')?.textContent === before.title,
      );
    await until(
      () =>
        shown(cardBody())[0] !== undefined &&
        shown(listRow())[0] !== undefined &&
        shown(treeRow())[0] !== undefined &&
        form.shadowRoot!.querySelector('[part="value"]') !== null,
    );
    for (const row of [cardBody(), listRow(), treeRow()]) {
      expect(shown(row)).to.deep.equal([0.4, 'on_track']);
    }
    const reads = bff.requests.length;

    form.shadowRoot!.querySelector<HTMLInputElement>('[part="value"]')!.value = '100000';
    form.shadowRoot!.querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    await until(() => shown(treeRow())[0] === 0.9);
    await Promise.all([card.updateComplete, list.updateComplete, alignment.updateComplete]);

    for (const row of [cardBody(), listRow(), treeRow()]) {
      expect(shown(row)).to.deep.equal([0.9, 'accomplished']);
    }
    expect(bff.requests.slice(reads).map((request) => request.method)).to.deep.equal(['POST']);
    await expect(provider).to.be.accessible();
  });
});
