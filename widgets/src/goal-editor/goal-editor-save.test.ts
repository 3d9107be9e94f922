import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CopyGoalResult, Goal, KeyResult } from '@okr-embed/contract';
import {
  apiError,
  json,
  testToken,
  type RecordedRequest,
  type Route,
} from '../fixtures/fake-fetch.js';
import { goal, keyResult, keyResultsByKind } from '../fixtures/goals.js';
import {
  $,
  button,
  choose,
  message,
  mount,
  submit,
  type,
  until,
  writes,
} from './editor-test-support.js';

const stored = goal({ childCount: 1 });
const path = (r: RecordedRequest) =>
  `${r.method} ${new URL(r.url, 'http://x').pathname.replace('/api/v1', '')}`;
const ifMatch = (r: RecordedRequest) => r.headers.get('If-Match');
const bodyOf = (r: RecordedRequest) => JSON.parse(r.body!) as Record<string, unknown>;
const noContent = () => new Response(null, { status: 204 });

/** GET /goals/g-1 answers `later` once the editor has loaded `first`. */
function goalOverTime(first: Goal, later: Goal): Route {
  let calls = 0;
  return () => json(calls++ === 0 ? first : later);
}

describe('<okr-goal-editor> saving', () => {
  it('sends only the changed fields with If-Match, then fires okr-goal-saved', async () => {
    const after = goal({ title: 'Sharper title', version: 8 });
    const { el, bff } = await mount({
      goalId: 'g-1',
      routes: {
        'PATCH /goals/g-1': () => json(after),
        'GET /goals/g-1': goalOverTime(stored, after),
      },
    });
    let saved: Goal | undefined;
    el.addEventListener('okr-goal-saved', (event) => (saved = event.detail.goal));
    await type(el, 'title', 'Sharper title');
    await submit(el);
    await until(el, () => message(el) === 'Changes saved.');
    const sent = writes(bff);
    expect(sent.map(path)).to.deep.equal(['PATCH /goals/g-1']);
    expect(ifMatch(sent[0]!)).to.equal('"7"');
    expect(bodyOf(sent[0]!)).to.deep.equal({ title: 'Sharper title' });
    expect(saved?.version).to.equal(8);
  });

  it('says so when nothing changed, sending nothing', async () => {
    const { el, bff } = await mount({ goalId: 'g-1' });
    await submit(el);
    await until(el, () => message(el) === 'Nothing to save.');
    expect(writes(bff)).to.have.length(0);
  });

  it('removes, changes and adds key results, then stores their order with the goal version', async () => {
    const added: KeyResult = keyResult({ id: 'kr-new', title: 'Sign five partners', version: 1 });
    const { el, bff } = await mount({
      goalId: 'g-1',
      routes: {
        'DELETE /key-results/kr-dec': noContent,
        'PATCH /key-results/kr-inc': () =>
          json({ ...keyResultsByKind.increase, target: 200000, version: 4 }),
        'POST /goals/g-1/key-results': () => json(added, 201),
        'PUT /goals/g-1/key-results/order': () => json(goal({ version: 8, keyResults: [added] })),
      },
    });
    button(el, 'Remove key result 2').click();
    await el.updateComplete;
    await type(el, 'keyResults-0-target', '200000');
    button(el, 'Add key result').click();
    await el.updateComplete;
    await type(el, 'keyResults-1-title', 'Sign five partners');
    await type(el, 'keyResults-1-target', '5');
    button(el, 'Move key result 2 up').click();
    await el.updateComplete;
    expect(message(el)).to.equal('Key result moved to position 1.');
    await submit(el);
    await until(el, () => message(el) === 'Changes saved.');
    const sent = writes(bff);
    expect(sent.map(path)).to.deep.equal([
      'DELETE /key-results/kr-dec',
      'PATCH /key-results/kr-inc',
      'POST /goals/g-1/key-results',
      'PUT /goals/g-1/key-results/order',
    ]);
    expect(sent.map(ifMatch)).to.deep.equal(['"3"', '"3"', null, '"7"']);
    expect(bodyOf(sent[1]!)).to.deep.equal({ target: 200000 });
    expect(bodyOf(sent[2]!)).to.deep.equal({
      title: 'Sign five partners',
      kind: 'increase',
      start: 0,
      target: 5,
      unit: null,
      weight: 1,
    });
    expect(bodyOf(sent[3]!)).to.deep.equal({ keyResultIds: ['kr-new', 'kr-inc'] });
  });

  it('reorders from the keyboard (Alt+Arrow) and keeps the focus on the moved row', async () => {
    const { el, bff } = await mount({
      goalId: 'g-1',
      routes: { 'PUT /goals/g-1/key-results/order': () => json(goal({ version: 8 })) },
    });
    $(el, '#keyResults-0-title').focus();
    await sendKeys({ down: 'Alt' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ up: 'Alt' });
    await el.updateComplete;
    expect(el.draft.keyResults.map((row) => row.id)).to.deep.equal(['kr-dec', 'kr-inc']);
    const focused = el.shadowRoot!.activeElement!;
    expect(focused.closest('fieldset')!.querySelector('legend')!.textContent).to.equal(
      'Key result 2',
    );
    await submit(el);
    await until(el, () => writes(bff).length === 1);
    expect(bodyOf(writes(bff)[0]!)).to.deep.equal({ keyResultIds: ['kr-dec', 'kr-inc'] });
  });

  it('shows 400 details at their fields and focuses the first, keeping what was typed', async () => {
    const { el } = await mount({
      routes: {
        'POST /goals': () =>
          json(
            {
              error: {
                code: 'validation_failed',
                message: 'The request body is invalid',
                details: [{ field: 'body.keyResults.0.target', message: 'Number must be smaller' }],
                requestId: 'r',
              },
            },
            400,
          ),
      },
    });
    await type(el, 'title', 'Grow');
    button(el, 'Add key result').click();
    await el.updateComplete;
    await type(el, 'keyResults-0-title', 'Huge');
    await type(el, 'keyResults-0-target', '99999999999');
    await submit(el);
    await until(el, () => el.shadowRoot!.activeElement?.id === 'keyResults-0-target');
    const target = $<HTMLInputElement>(el, '#keyResults-0-target');
    expect(target.getAttribute('aria-invalid')).to.equal('true');
    expect($(el, `#${target.getAttribute('aria-describedby')}`).textContent).to.equal(
      'Number must be smaller',
    );
    expect(target.value).to.equal('99999999999');
    expect($<HTMLInputElement>(el, '#title').value).to.equal('Grow');
    await expect(el).to.be.accessible();
  });

  it('on 409 lists what the other person changed; Reload theirs takes their version', async () => {
    const theirs = goal({
      title: 'Their title',
      version: 8,
      keyResults: [...stored.keyResults, keyResultsByKind.boolean],
    });
    const { el } = await mount({
      goalId: 'g-1',
      routes: {
        'GET /goals/g-1': goalOverTime(stored, theirs),
        'PATCH /goals/g-1': () => apiError(409, 'version_conflict', 'The goal changed'),
      },
    });
    await type(el, 'title', 'My title');
    await submit(el);
    await until(el, () => Boolean(el.shadowRoot!.querySelector('[part="conflict"]')));
    await expect(el).to.be.accessible();
    const lines = [...$(el, '[part="conflict"]').querySelectorAll('li')].map(
      (li) => li.textContent,
    );
    expect(lines).to.deep.equal([
      'Title: now “Their title”',
      'Key result added: Launch the partner API',
    ]);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part="conflict"]'));
    expect($<HTMLInputElement>(el, '#title').value, 'still what the user typed').to.equal(
      'My title',
    );
    button(el, 'Reload theirs').click();
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#title').value).to.equal('Their title');
    expect(el.draft.keyResults).to.have.length(3);
  });

  it('on 409 Re-apply mine saves the draft over their version', async () => {
    const theirs = goal({ title: 'Their title', version: 8 });
    let patches = 0;
    const { el, bff } = await mount({
      goalId: 'g-1',
      routes: {
        'GET /goals/g-1': goalOverTime(stored, theirs),
        'PATCH /goals/g-1': () =>
          patches++ === 0
            ? apiError(409, 'version_conflict', 'The goal changed')
            : json(goal({ title: 'My title', version: 9 })),
      },
    });
    await type(el, 'title', 'My title');
    await submit(el);
    await until(el, () => Boolean(el.shadowRoot!.querySelector('[part="conflict"]')));
    button(el, 'Re-apply mine').click();
    await until(el, () => message(el) === 'Changes saved.');
    const sent = writes(bff);
    expect(sent.map(ifMatch)).to.deep.equal(['"7"', '"8"']);
    expect(bodyOf(sent[1]!)).to.deep.equal({ title: 'My title' });
  });

  for (const [name, route, expected] of [
    ['a 429', () => apiError(429, 'rate_limited', 'Slow down'), 'Slow down.'],
    [
      'a dropped connection',
      () => Promise.reject(new TypeError('Failed to fetch')),
      'Failed to fetch.',
    ],
    [
      'a 503',
      () => apiError(503, 'db_unavailable', 'The database is not reachable.'),
      'The database is not reachable.',
    ],
  ] as Array<[string, Route, string]>) {
    it(`keeps every typed value on ${name}, and saves them on the next try`, async () => {
      let failing = true;
      const { el, bff } = await mount({
        goalId: 'g-1',
        routes: {
          'PATCH /goals/g-1': (request) =>
            failing ? route(request) : json(goal({ title: 'Kept', version: 8 })),
        },
      });
      await type(el, 'title', 'Kept');
      await choose(el, 'keyResults-1-kind', 'stay_below');
      await type(el, 'keyResults-1-target', '3');
      await submit(el);
      await until(el, () => message(el).startsWith('Not saved'));
      expect(message(el)).to.equal(`Not saved: ${expected} Your entries are kept.`);
      expect($<HTMLInputElement>(el, '#title').value).to.equal('Kept');
      expect($<HTMLSelectElement>(el, '#keyResults-1-kind').value).to.equal('stay_below');
      expect($<HTMLInputElement>(el, '#keyResults-1-target').value).to.equal('3');
      failing = false;
      await submit(el);
      await until(el, () =>
        writes(bff).some((r) => r.method === 'PATCH' && r.url.includes('/key-results/')),
      );
      expect(bodyOf(writes(bff).at(-1)!)).to.deep.equal({ kind: 'stay_below', target: 3 });
    });
  }

  it('says when to try again after a 429 with Retry-After', async () => {
    const { el } = await mount({
      goalId: 'g-1',
      routes: {
        'PATCH /goals/g-1': () =>
          json({ error: { code: 'rate_limited', message: 'Slow down', requestId: 'r' } }, 429, {
            'Retry-After': '30',
          }),
      },
    });
    await type(el, 'title', 'Soon');
    await submit(el);
    await until(el, () => message(el).startsWith('Not saved'));
    expect(message(el)).to.contain('try again in 30 s');
  });

  it('renews the token once on a 401 and saves what was typed', async () => {
    let tokens = 0;
    let calls = 0;
    const { el, bff } = await mount({
      goalId: 'g-1',
      tokenProvider: async () => testToken(3600, `u-ada-${++tokens}`),
      routes: {
        'PATCH /goals/g-1': () =>
          calls++ === 0
            ? apiError(401, 'invalid_token', 'Expired')
            : json(goal({ title: 'After refresh', version: 8 })),
      },
    });
    await type(el, 'title', 'After refresh');
    await submit(el);
    await until(el, () => message(el) === 'Changes saved.');
    const patches = writes(bff).filter((r) => r.method === 'PATCH');
    expect(patches).to.have.length(2);
    expect(patches.map(bodyOf)).to.deep.equal([
      { title: 'After refresh' },
      { title: 'After refresh' },
    ]);
    expect(patches[0]!.headers.get('Authorization')).not.to.equal(
      patches[1]!.headers.get('Authorization'),
    );
  });

  it('archives with an Undo that un-archives', async () => {
    let saves = 0;
    const { el, bff } = await mount({
      goalId: 'g-1',
      routes: {
        'PATCH /goals/g-1': (request) => {
          const { archived } = bodyOf(request) as { archived: boolean };
          return json(goal({ archived, version: 8 + saves++ }));
        },
      },
    });
    await type(el, 'title', 'Typed before archiving');
    button(el, 'Archive').click();
    await until(el, () => message(el) === 'Objective archived.');
    expect($<HTMLInputElement>(el, '#title').value).to.equal('Typed before archiving');
    button(el, 'Undo').click();
    await until(el, () => message(el) === 'Objective restored.');
    const sent = writes(bff);
    expect(sent.map(bodyOf)).to.deep.equal([{ archived: true }, { archived: false }]);
    expect(sent.map(ifMatch)).to.deep.equal(['"7"', '"8"']);
  });

  it('asks before deleting, naming its key results and the aligned goals that lose their parent', async () => {
    const { el, bff } = await mount({ goalId: 'g-1', routes: { 'DELETE /goals/g-1': noContent } });
    button(el, 'Delete').click();
    await el.updateComplete;
    const panel = $(el, '[part="confirm-delete"]');
    expect(panel.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      `Delete “${stored.title}”? Key results deleted with it: 2. Aligned objectives that lose their parent: 1. Delete objective Keep it`,
    );
    expect(el.shadowRoot!.activeElement?.textContent!.trim()).to.equal('Delete objective');
    await expect(el).to.be.accessible();
    expect(writes(bff)).to.have.length(0);
    let deleted: string | undefined;
    el.addEventListener('okr-goal-deleted', (event) => (deleted = event.detail.goalId));
    button(el, 'Delete objective').click();
    await until(el, () => deleted !== undefined);
    expect(deleted).to.equal('g-1');
    expect(writes(bff).map(path)).to.deep.equal(['DELETE /goals/g-1']);
    expect(ifMatch(writes(bff)[0]!)).to.equal('"7"');
    expect(message(el)).to.equal('Objective deleted.');
  });

  it('copies to the next timeframe and fires okr-goal-saved with the copy', async () => {
    const copy = goal({
      id: 'g-copy',
      timeframe: { id: 'tf-q2', name: 'Q2 2027', startDate: '2027-04-01', endDate: '2027-06-30' },
    });
    const result: CopyGoalResult = { goal: copy, copies: [{ sourceId: 'g-1', id: 'g-copy' }] };
    const { el, bff } = await mount({
      goalId: 'g-1',
      routes: { 'POST /goals/g-1/copy': () => json(result, 201) },
    });
    let saved: Goal | undefined;
    el.addEventListener('okr-goal-saved', (event) => (saved = event.detail.goal));
    button(el, 'Copy to Q2 2027').click();
    await until(el, () => saved !== undefined);
    expect(saved!.id).to.equal('g-copy');
    expect(bodyOf(writes(bff)[0]!)).to.deep.equal({ timeframeId: 'tf-q2', includeChildren: false });
    expect(message(el)).to.equal('Copied to Q2 2027.');
  });

  it('puts an alignment cycle refusal at the parent field', async () => {
    const { el } = await mount({
      goalId: 'g-1',
      routes: {
        'PATCH /goals/g-1': () =>
          apiError(409, 'alignment_cycle', 'A goal cannot be aligned under itself'),
      },
    });
    await type(el, 'title', 'Changed');
    await submit(el);
    await until(el, () => el.shadowRoot!.activeElement?.id === 'parent');
    expect($(el, '#parent-error').textContent).to.equal('A goal cannot be aligned under itself');
  });
});
