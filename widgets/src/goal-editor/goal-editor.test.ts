import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CreateGoalRequest, Goal, KeyResultKind } from '@okr-embed/contract';
import { json, pending, type RecordedRequest } from '../fixtures/fake-fetch.js';
import { goal, keyResultsByKind } from '../fixtures/goals.js';
import { outsiderMe, readOnlyMe } from './editor-fixtures.js';
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
import { SEARCH_DELAY_MS } from './picker.js';

const created = (body: CreateGoalRequest): Goal =>
  goal({ id: 'g-new', title: body.title, version: 1, keyResults: [] });

describe('<okr-goal-editor>', () => {
  describe('creating', () => {
    it('creates a goal with two key results in one POST with the right body', async () => {
      let saved: Goal | undefined;
      const { el, bff } = await mount({
        routes: {
          'POST /goals': (request) =>
            json(created(JSON.parse(request.body!) as CreateGoalRequest), 201),
        },
      });
      await expect(el).to.be.accessible();
      el.addEventListener('okr-goal-saved', (event) => (saved = event.detail.goal));
      await type(el, 'title', '  Delight our customers ');
      await type(el, 'description', 'Happier customers stay.');
      button(el, 'Add key result').click();
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement?.id, 'the new row takes the focus').to.equal(
        'keyResults-0-title',
      );
      await type(el, 'keyResults-0-title', 'Raise NPS');
      await type(el, 'keyResults-0-start', '30');
      await type(el, 'keyResults-0-target', '50');
      await type(el, 'keyResults-0-unit', 'points');
      button(el, 'Add key result').click();
      await el.updateComplete;
      await type(el, 'keyResults-1-title', 'Launch the help centre');
      await choose(el, 'keyResults-1-kind', 'boolean');
      await type(el, 'keyResults-1-weight', '2');
      await submit(el);
      await until(el, () => message(el) === 'Objective created.');
      const posts = writes(bff);
      expect(posts.map((r) => `${r.method} ${new URL(r.url, 'http://x').pathname}`)).to.deep.equal([
        'POST /api/v1/goals',
      ]);
      expect(JSON.parse(posts[0]!.body!)).to.deep.equal({
        title: 'Delight our customers',
        description: 'Happier customers stay.',
        level: 'personal',
        timeframeId: 'tf-q1',
        ownerId: 'u-ada',
        teamId: null,
        parentId: null,
        progressSource: 'key_results',
        keyResults: [
          {
            title: 'Raise NPS',
            kind: 'increase',
            start: 30,
            target: 50,
            unit: 'points',
            weight: 1,
          },
          {
            title: 'Launch the help centre',
            kind: 'boolean',
            start: 0,
            target: 1,
            unit: null,
            weight: 2,
          },
        ],
      });
      expect(saved?.id).to.equal('g-new');
      expect($(el, 'h2').textContent).to.equal('Edit objective');
    });

    it('checks the form before sending: errors at their fields, the first one focused', async () => {
      const { el, bff } = await mount();
      button(el, 'Add key result').click();
      await el.updateComplete;
      await type(el, 'keyResults-0-title', 'Raise NPS');
      await type(el, 'keyResults-0-target', 'lots');
      await submit(el);
      await until(el, () => el.shadowRoot!.activeElement?.id === 'title');
      expect(writes(bff)).to.have.length(0);
      const title = $<HTMLInputElement>(el, '#title');
      expect(title.getAttribute('aria-invalid')).to.equal('true');
      expect($(el, `#${title.getAttribute('aria-describedby')}`).textContent).to.equal(
        'Enter a title.',
      );
      const target = $(el, '#keyResults-0-target');
      expect($(el, `#${target.getAttribute('aria-describedby')}`).textContent).to.equal(
        'Enter a number.',
      );
      expect(message(el)).to.equal('Not saved: check the marked fields.');
      await expect(el).to.be.accessible();
    });

    it('fits the fields to each kind of key result', async () => {
      const { el } = await mount();
      button(el, 'Add key result').click();
      await el.updateComplete;
      const fields = () =>
        [...el.shadowRoot!.querySelectorAll('fieldset.key-result label')].map((l) => l.textContent);
      const expected: Record<KeyResultKind, string[]> = {
        increase: ['Title', 'Kind', 'Start', 'Target', 'Unit', 'Weight'],
        decrease: ['Title', 'Kind', 'Start', 'Target', 'Unit', 'Weight'],
        stay_above: ['Title', 'Kind', 'Threshold', 'Unit', 'Weight'],
        stay_below: ['Title', 'Kind', 'Threshold', 'Unit', 'Weight'],
        boolean: ['Title', 'Kind', 'Weight'],
        initiative: ['Title', 'Kind', 'Weight'],
      };
      for (const [kind, labels] of Object.entries(expected)) {
        await choose(el, 'keyResults-0-kind', kind);
        expect(fields(), kind).to.deep.equal(labels);
      }
      expect($(el, '.kind-hint').textContent!.trim()).to.equal(
        'Check-ins report its progress from 0 to 100 %.',
      );
      await choose(el, 'keyResults-0-kind', 'boolean');
      expect($(el, '.kind-hint').textContent!.trim()).to.equal(
        'Counts as done once a check-in marks it done.',
      );
      expect($(el, 'fieldset.key-result legend').textContent).to.equal('Key result 1');
    });
  });

  describe('scopes and ownership', () => {
    it('says so instead of a form without okr:write', async () => {
      const { el } = await mount({ me: readOnlyMe });
      await expect(el).to.be.accessible();
      expect(el.shadowRoot!.querySelector('form')).to.equal(null);
      expect($(el, '[part="read-only"]').textContent).to.contain(
        'view objectives here, not change them',
      );
    });

    it('says so for a goal owned by someone else and not by a team of the user', async () => {
      const { el } = await mount({ goalId: 'g-1', me: outsiderMe });
      await expect(el).to.be.accessible();
      expect(el.shadowRoot!.querySelector('form')).to.equal(null);
      expect($(el, '[part="read-only"]').textContent).to.contain(
        'Only its owner or the owning team',
      );
    });

    it('lets a member of the owning team edit', async () => {
      const { el } = await mount({
        goalId: 'g-1',
        me: { ...outsiderMe, teams: [{ id: 't-1', key: 'growth', name: 'Growth' }] },
      });
      expect(el.shadowRoot!.querySelector('form')).not.to.equal(null);
    });
  });

  describe('pickers', () => {
    it('is an APG combobox: arrows move, Enter picks, Escape closes', async () => {
      const { el } = await mount();
      const input = $<HTMLInputElement>(el, '#team');
      expect(input.getAttribute('role')).to.equal('combobox');
      expect(input.getAttribute('aria-expanded')).to.equal('false');
      const list = $(el, `#${input.getAttribute('aria-controls')}`);
      expect(list.getAttribute('role')).to.equal('listbox');
      input.focus();
      await sendKeys({ type: 'o' });
      await until(
        el,
        () =>
          input.getAttribute('aria-expanded') === 'true' &&
          list.querySelectorAll('[role="option"]').length === 2,
      );
      await expect(el).to.be.accessible();
      const active = () =>
        el.shadowRoot!.getElementById(input.getAttribute('aria-activedescendant')!);
      expect(active()?.textContent!.trim()).to.equal('Growth');
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(active()?.textContent!.trim()).to.equal('Platform');
      expect(active()?.getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(input.value).to.equal('Platform');
      expect(input.getAttribute('aria-expanded')).to.equal('false');
      expect(el.draft.team).to.deep.equal({ id: 't-2', label: 'Platform' });
      await sendKeys({ press: 'ArrowDown' });
      await until(el, () => input.getAttribute('aria-expanded') === 'true');
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(input.getAttribute('aria-expanded')).to.equal('false');
      expect(input.hasAttribute('aria-activedescendant')).to.equal(false);
    });

    it('searches after a pause, aborting the search before', async () => {
      const searches: RecordedRequest[] = [];
      const { el } = await mount({
        routes: {
          '/users': (request) => {
            searches.push(request);
            return searches.length === 1 ? pending(request) : json({ items: [], nextCursor: null });
          },
        },
      });
      const input = $<HTMLInputElement>(el, '#owner');
      input.focus();
      input.select();
      await sendKeys({ type: 'gr' });
      await new Promise((resolve) => setTimeout(resolve, SEARCH_DELAY_MS + 100));
      expect(searches.map((r) => new URL(r.url, 'http://x').search)).to.deep.equal([
        '?limit=10&q=gr',
      ]);
      await sendKeys({ type: 'a' });
      await until(el, () => searches.length === 2);
      expect(searches[0]!.signal?.aborted, 'the first search is aborted').to.equal(true);
      expect(new URL(searches[1]!.url, 'http://x').searchParams.get('q')).to.equal('gra');
      await until(el, () => $(el, '#owner-status').textContent!.includes('No matches.'));
      expect(input.getAttribute('aria-expanded')).to.equal('false');
      await expect(el).to.be.accessible();
    });

    it('never offers the goal itself or its descendants as its parent', async () => {
      const { el } = await mount({ goalId: 'g-1' });
      const input = $<HTMLInputElement>(el, '#parent');
      input.focus();
      await sendKeys({ press: 'ArrowDown' });
      await until(el, () => $(el, '#parent-list').querySelectorAll('[role="option"]').length > 0);
      const offered = [...$(el, '#parent-list').querySelectorAll('[role="option"]')].map((o) =>
        o.textContent!.trim(),
      );
      expect(offered).to.deep.equal(['Run the company on OKRs Company']);
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(el.draft.parent).to.deep.equal({ id: 'g-4', label: 'Run the company on OKRs' });
    });

    it('emptying an optional picker means none', async () => {
      const { el } = await mount({ goalId: 'g-1' });
      const input = $<HTMLInputElement>(el, '#team');
      input.focus();
      input.select();
      await sendKeys({ press: 'Backspace' });
      input.blur();
      await el.updateComplete;
      expect(el.draft.team).to.equal(null);
    });
  });

  it('loads the goal into the form for editing, key results in their order', async () => {
    const { el } = await mount({
      goalId: 'g-1',
      goal: goal({ keyResults: [keyResultsByKind.stay_below, keyResultsByKind.increase] }),
    });
    await expect(el).to.be.accessible();
    expect($<HTMLInputElement>(el, '#title').value).to.equal(goal().title);
    expect($<HTMLInputElement>(el, '#owner').value).to.equal('Ada Lovelace');
    expect($<HTMLInputElement>(el, '#team').value).to.equal('Growth');
    expect($<HTMLInputElement>(el, '#keyResults-0-title').value).to.equal('Keep p95 latency low');
    expect($<HTMLInputElement>(el, '#keyResults-0-target').value).to.equal('300');
    expect($<HTMLInputElement>(el, '#keyResults-1-start').value).to.equal('0');
    expect(button(el, 'Copy to Q2 2027')).to.exist;
  });

  it('is accessible in the dark theme', async () => {
    const { el } = await mount({ goalId: 'g-1' });
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.dataset['okrTheme']).to.equal('dark');
    await expect(el).to.be.accessible();
  });

  it('fires okr-cancel and puts the stored values back', async () => {
    const { el } = await mount({ goalId: 'g-1' });
    await type(el, 'title', 'Something else');
    let cancelled: string | null | undefined;
    el.addEventListener('okr-cancel', (event) => (cancelled = event.detail.goalId));
    button(el, 'Cancel').click();
    await el.updateComplete;
    expect(cancelled).to.equal('g-1');
    expect($<HTMLInputElement>(el, '#title').value).to.equal(goal().title);
  });
});
