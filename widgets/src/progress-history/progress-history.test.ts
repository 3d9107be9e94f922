import { expect, fixture, html } from '@open-wc/testing';
import { apiError, fakeFetch, json, pending, testToken } from '../fixtures/fake-fetch.js';
import { emit } from '../events/events.js';
import { checkIn, goal, keyResult } from '../fixtures/goals.js';
import '../provider/provider.js';
import {
  afterTimeframe,
  beforeTimeframe,
  booleanHistory,
  decreaseHistory,
  goalHistory,
  inTimeframe,
  increaseHistory,
  initiativeHistory,
  manyHistory,
  noCheckInsHistory,
  oneCheckInHistory,
  stayAboveHistory,
  stayBelowHistory,
} from './history-fixtures.js';
import {
  BOTTOM,
  LEFT,
  RIGHT,
  TOP,
  WIDTH,
  commands,
  expectedX,
  expectedY,
  measured,
  part,
  points,
  renderHistory,
  tableRows,
} from './history-test-support.js';
import type { OkrProgressHistory } from './progress-history.js';

function text(el: Element): string {
  return el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
}

function progressCommands(el: Element) {
  return commands(part(el, 'progress-line')!.getAttribute('d')!);
}

/** The numbers a path reaches: the last of each command, as x for H and y for V. */
function stepValues(el: Element, letter: 'H' | 'V'): number[] {
  return progressCommands(el)
    .filter(([command]) => command === letter)
    .map((command) => command[1]!);
}

describe('<okr-progress-history>', () => {
  it('draws the pace line from 0 % at the start to 100 % at the end, across the width', async () => {
    const el = await renderHistory(increaseHistory(), inTimeframe);
    await expect(el).to.be.accessible();
    const svg = part(el, 'chart') as SVGSVGElement;
    expect(svg.viewBox.baseVal.width).to.equal(WIDTH);
    expect(svg.getBoundingClientRect().width).to.equal(WIDTH);
    expect(commands(part(el, 'pace-line')!.getAttribute('d')!)).to.deep.equal([
      ['M', LEFT, BOTTOM],
      ['L', RIGHT, TOP],
    ]);
  });

  it('draws progress as steps from the initial value through each check-in, held until today', async () => {
    const history = increaseHistory();
    const el = await renderHistory(history, inTimeframe);
    const [move, ...rest] = progressCommands(el);
    expect(move).to.deep.equal(['M', LEFT, BOTTOM]);
    const xs = stepValues(el, 'H');
    const ys = stepValues(el, 'V');
    expect(rest.map(([letter]) => letter).join('')).to.equal('HVHVHVH');
    const expectedXs = [
      ...history.points.map((p) => expectedX(history, p.at)),
      expectedX(history, inTimeframe),
    ];
    xs.forEach((x, i) => expect(x).to.be.closeTo(expectedXs[i]!, 0.01));
    ys.forEach((y, i) => expect(y).to.be.closeTo(expectedY(history.points[i]!.progress), 0.01));
    const circles = points(el);
    expect(circles).to.have.length(3);
    circles.forEach((circle, i) => {
      expect(Number(circle.getAttribute('cx'))).to.be.closeTo(expectedXs[i]!, 0.01);
      expect(Number(circle.getAttribute('cy'))).to.be.closeTo(ys[i]!, 0.01);
      expect(circle.dataset['status']).to.equal(history.points[i]!.status);
    });
  });

  it('marks today inside a current timeframe, at its place in time', async () => {
    const history = increaseHistory();
    const el = await renderHistory(history, inTimeframe);
    const today = part(el, 'today')!;
    expect(Number(today.getAttribute('x1'))).to.be.closeTo(expectedX(history, inTimeframe), 0.01);
    expect(Number(today.getAttribute('x2'))).to.equal(Number(today.getAttribute('x1')));
    expect(Number(today.getAttribute('y1'))).to.equal(TOP);
    expect(Number(today.getAttribute('y2'))).to.equal(BOTTOM);
    expect(text(el)).to.contain('Today');
  });

  it('in a past timeframe: no today line, the last value held until the end', async () => {
    const el = await renderHistory(increaseHistory(), afterTimeframe);
    await expect(el).to.be.accessible();
    expect(part(el, 'today')).to.equal(null);
    expect(text(el)).not.to.contain('Today');
    const xs = stepValues(el, 'H');
    expect(xs[xs.length - 1]).to.equal(RIGHT);
  });

  it('in a future timeframe: no today line, no progress drawn yet, and when it starts', async () => {
    const el = await renderHistory(noCheckInsHistory(), beforeTimeframe);
    await expect(el).to.be.accessible();
    expect(part(el, 'today')).to.equal(null);
    expect(part(el, 'progress-line')).to.equal(null);
    expect(part(el, 'pace-line')).not.to.equal(null);
    const notes = [...el.shadowRoot!.querySelectorAll('[part="note"]')].map((n) => n.textContent);
    expect(notes).to.deep.equal(['Starts on Jan 1, 2027', 'No check-ins yet']);
  });

  it('with no check-ins: says so, still draws the pace line, and holds the initial value to today', async () => {
    const history = noCheckInsHistory();
    const el = await renderHistory(history, inTimeframe);
    await expect(el).to.be.accessible();
    expect(text(el)).to.contain('No check-ins yet');
    expect(points(el)).to.have.length(0);
    expect(part(el, 'pace-line')).not.to.equal(null);
    const [move, hold] = progressCommands(el);
    expect(move).to.deep.equal(['M', LEFT, BOTTOM]);
    expect(hold![1]).to.be.closeTo(expectedX(history, inTimeframe), 0.01);
    expect(tableRows(el)).to.have.length(2);
  });

  it('with one check-in: one point, and it holds the tab stop', async () => {
    const el = await renderHistory(oneCheckInHistory(), inTimeframe);
    await expect(el).to.be.accessible();
    const [only] = points(el);
    expect(points(el)).to.have.length(1);
    expect(only!.getAttribute('tabindex')).to.equal('0');
    expect(only!.getAttribute('aria-label')).to.equal(
      'Jan 10, 2027, 120 teams of 200 teams, 20%, On track, By Ada Lovelace',
    );
  });

  it('with hundreds of check-ins: one progress path, one point each, one tab stop', async () => {
    const history = manyHistory(400);
    const el = await renderHistory(history, inTimeframe);
    expect(el.shadowRoot!.querySelectorAll('path[part="progress-line"]')).to.have.length(1);
    expect(points(el)).to.have.length(400);
    expect(stepValues(el, 'V')).to.have.length(400);
    expect(el.shadowRoot!.querySelectorAll('[part="point"][tabindex="0"]')).to.have.length(1);
    expect(points(el)[399]!.getAttribute('tabindex')).to.equal('0');
    expect(tableRows(el)).to.have.length(402);
  });

  it('decrease: progress rises as the value falls, and the values say so', async () => {
    const el = await renderHistory(decreaseHistory(), inTimeframe);
    await expect(el).to.be.accessible();
    const ys = stepValues(el, 'V');
    expect(ys[1]).to.be.below(ys[0]!);
    expect(ys[0]).to.be.below(BOTTOM);
    expect(tableRows(el).slice(1)).to.deep.equal([
      ['Start (Jan 1, 2027)', '0%', '8%, target 4%', '', '', ''],
      ['Jan 15, 2027', '13%', '7.5%, target 4%', 'Off track', 'Ada Lovelace', ''],
      ['Feb 5, 2027', '38%', '6.5%, target 4%', 'Needs attention', 'Ada Lovelace', ''],
    ]);
  });

  it('boolean: one step from 0 % to 100 % on the day it was done', async () => {
    const history = booleanHistory();
    const el = await renderHistory(history, inTimeframe);
    expect(stepValues(el, 'V')).to.deep.equal([TOP]);
    expect(stepValues(el, 'H')[0]).to.be.closeTo(expectedX(history, history.points[0]!.at), 0.01);
    expect(points(el)[0]!.getAttribute('aria-label')).to.equal(
      'Feb 1, 2027, Done, 100%, Accomplished, By Ada Lovelace, Shipped.',
    );
  });

  it('stay above, stay below and initiative word their values by kind', async () => {
    const labels = async (history: Parameters<typeof renderHistory>[0]) =>
      points(await renderHistory(history, inTimeframe)).map((p) => p.getAttribute('aria-label'));
    expect(await labels(stayAboveHistory())).to.deep.equal([
      'Jan 20, 2027, 45, at least 40, 100%, On track, By Ada Lovelace',
      'Feb 10, 2027, 38, at least 40, 0%, Off track, By Ada Lovelace',
    ]);
    expect(await labels(stayBelowHistory())).to.deep.equal([
      'Jan 25, 2027, 420 ms, at most 300 ms, 0%, Off track, By Ada Lovelace',
    ]);
    expect(await labels(initiativeHistory())).to.deep.equal([
      'Jan 18, 2027, 10%, 10%, On track, By Ada Lovelace',
      'Feb 8, 2027, 30%, 30%, On track, By Ada Lovelace',
    ]);
  });

  it('a goal history has no value column and no authors', async () => {
    const el = await renderHistory(goalHistory(), inTimeframe);
    await expect(el).to.be.accessible();
    const rows = tableRows(el);
    expect(rows[0]).to.deep.equal(['Date', 'Progress', 'Status', 'By', 'Comment']);
    expect(rows[2]).to.deep.equal(['Jan 10, 2027', '10%', 'On track', '', '']);
    expect(text(el)).to.contain(
      'Progress of Become the default OKR tool for mid-size companies over Q1 2027',
    );
  });

  it('offers the data as a table: a caption, a start row and one row per check-in', async () => {
    const el = await renderHistory(increaseHistory(), inTimeframe);
    const table = part(el, 'table')!;
    expect(table.querySelector('caption')!.textContent!.trim()).to.equal(
      'Check-ins of Grow weekly active teams',
    );
    expect(tableRows(el)).to.deep.equal([
      ['Date', 'Progress', 'Value', 'Status', 'By', 'Comment'],
      ['Start (Jan 1, 2027)', '0%', '100 teams of 200 teams', '', '', ''],
      ['Jan 10, 2027', '20%', '120 teams of 200 teams', 'On track', 'Ada Lovelace', ''],
      ['Jan 31, 2027', '40%', '140 teams of 200 teams', 'On track', 'Grace Hopper', ''],
      [
        'Feb 12, 2027',
        '50%',
        '150 teams of 200 teams',
        'Needs attention',
        'Ada Lovelace',
        'Two large teams moved to the new plan.',
      ],
    ]);
    // Hidden from sight, not from screen readers.
    expect(table.parentElement!.getBoundingClientRect().width).to.be.at.most(1);
    expect(getComputedStyle(table).display).not.to.equal('none');
  });

  it('keeps 320 px when its box is narrower, and follows a wider one', async () => {
    const narrow = await renderHistory(increaseHistory(), inTimeframe, { width: 200 });
    expect((part(narrow, 'chart') as SVGSVGElement).viewBox.baseVal.width).to.equal(320);
    const wide = await renderHistory(increaseHistory(), inTimeframe, { width: 900 });
    expect((part(wide, 'chart') as SVGSVGElement).viewBox.baseVal.width).to.equal(900);
    expect(commands(part(wide, 'pace-line')!.getAttribute('d')!)[1]).to.deep.equal([
      'L',
      900 - 16,
      TOP,
    ]);
  });

  it('takes overrides of its own words and the shared ones, and rewords its points', async () => {
    const el = await renderHistory(oneCheckInHistory(), inTimeframe);
    el.wording = {
      expectedPace: 'Target pace',
      author: 'Checked in by',
      status: { on_track: 'Going well' },
    };
    await el.updateComplete;
    expect(text(el)).to.contain('Target pace');
    expect(points(el)[0]!.getAttribute('aria-label')).to.equal(
      'Jan 10, 2027, 120 teams of 200 teams, 20%, Going well, Checked in by Ada Lovelace',
    );
  });

  it('speaks German with the locale', async () => {
    const el = await renderHistory(increaseHistory(), inTimeframe, { locale: 'de' });
    expect(text(el)).to.contain('Fortschritt von Grow weekly active teams im Zeitraum Q1 2027');
    expect(text(el)).to.contain('Erwartetes Tempo');
    expect(tableRows(el)[2]).to.deep.equal([
      '10.01.2027',
      // tableRows writes every space as a plain one, the no-break space of "20 %" too.
      '20 %',
      '120 teams von 200 teams',
      'Im Plan',
      'Ada Lovelace',
      '',
    ]);
  });
});

describe('<okr-progress-history> loading by id', () => {
  async function inProvider(routes: Parameters<typeof fakeFetch>[0], element: unknown) {
    const bff = fakeFetch(routes);
    const provider = await fixture(
      html`<okr-provider
        base-url="https://bff.test"
        .tokenProvider=${async () => testToken()}
        .fetch=${bff.fetch}
      >
        ${element}
      </okr-provider>`,
    );
    const el = provider.querySelector('okr-progress-history')!;
    return { bff, el };
  }

  async function settled(el: OkrProgressHistory): Promise<void> {
    while (el.shadowRoot!.querySelector('[part="skeleton"]')) {
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
    }
    await measured(el);
  }

  it('shows a skeleton while the history loads', async () => {
    const { el, bff } = await inProvider(
      { '/key-results/kr-1/history': pending },
      html`<okr-progress-history key-result-id="kr-1"></okr-progress-history>`,
    );
    await el.updateComplete;
    expect(part(el, 'skeleton')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    await new Promise((resolve) => setTimeout(resolve));
    expect(bff.requests[0]!.url).to.equal('https://bff.test/api/v1/key-results/kr-1/history');
  });

  it('loads a key result history by key-result-id, and a goal history by goal-id', async () => {
    const routes = {
      '/key-results/kr-1/history': () => json(increaseHistory()),
      '/goals/g-1/history': () => json(goalHistory()),
    };
    const kr = await inProvider(
      routes,
      html`<okr-progress-history key-result-id="kr-1" .now=${inTimeframe}></okr-progress-history>`,
    );
    await settled(kr.el);
    expect(points(kr.el)).to.have.length(3);
    const ofGoal = await inProvider(
      routes,
      html`<okr-progress-history goal-id="g-1" .now=${inTimeframe}></okr-progress-history>`,
    );
    await settled(ofGoal.el);
    expect(ofGoal.bff.requests.map((r) => r.url)).to.deep.equal([
      'https://bff.test/api/v1/goals/g-1/history',
    ]);
    expect(text(ofGoal.el)).to.contain('Become the default OKR tool');
  });

  it('shows the error with a retry that loads again', async () => {
    let fail = true;
    const { el, bff } = await inProvider(
      {
        '/goals/g-1/history': () =>
          fail
            ? apiError(503, 'db_unavailable', 'The database is not reachable.')
            : json(goalHistory()),
      },
      html`<okr-progress-history goal-id="g-1" .now=${inTimeframe}></okr-progress-history>`,
    );
    await settled(el);
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('The database is not reachable.');
    await expect(el).to.be.accessible();
    fail = false;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!.click();
    await settled(el);
    expect(points(el)).to.have.length(3);
    expect(bff.requests).to.have.length(2);
  });

  it('asks for exactly one of key-result-id and goal-id, and fetches nothing otherwise', async () => {
    for (const element of [
      html`<okr-progress-history></okr-progress-history>`,
      html`<okr-progress-history key-result-id="kr-1" goal-id="g-1"></okr-progress-history>`,
    ]) {
      const { el, bff } = await inProvider({}, element);
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve));
      expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent!.trim()).to.equal(
        'Set either key-result-id or goal-id on <okr-progress-history>, not both.',
      );
      expect(bff.requests).to.have.length(0);
      await expect(el).to.be.accessible();
    }
  });

  it('loads again when a check-in of its key result is submitted on the page', async () => {
    const { el, bff } = await inProvider(
      { '/key-results/kr-1/history': () => json(increaseHistory()) },
      html`<okr-progress-history key-result-id="kr-1" .now=${inTimeframe}></okr-progress-history>`,
    );
    await settled(el);
    expect(bff.requests).to.have.length(1);
    emit(document.body, 'okr-check-in-submitted', {
      checkIn,
      keyResult: keyResult({ id: 'kr-other' }),
      goal: goal(),
      progress: [],
    });
    emit(document.body, 'okr-check-in-submitted', {
      checkIn,
      keyResult: keyResult(),
      goal: goal(),
      progress: [],
    });
    await new Promise((resolve) => setTimeout(resolve));
    await settled(el);
    expect(bff.requests).to.have.length(2);
  });
});
