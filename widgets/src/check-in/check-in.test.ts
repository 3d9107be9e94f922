import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LIMITS, type CheckInResult, type KeyResult } from '@okr-embed/contract';
import {
  apiError,
  fakeFetch,
  json,
  pending,
  testToken,
  type Route,
} from '../fixtures/fake-fetch.js';
import { checkIn, goal, keyResult, keyResultsByKind, xss } from '../fixtures/goals.js';
import '../provider/provider.js';
import './check-in.js';
import type { OkrCheckIn } from './check-in.js';

const kr = keyResult({
  id: 'kr-1',
  kind: 'increase',
  start: 0,
  target: 200,
  current: 50,
  unit: 'teams',
  progress: 0.25,
});

function part<T extends Element>(el: OkrCheckIn, name: string): T {
  return el.shadowRoot!.querySelector<T>(`[part="${name}"]`)!;
}

function result(value: number): CheckInResult {
  const updated: KeyResult = {
    ...kr,
    current: value,
    progress: value / 200,
    version: kr.version + 1,
  };
  return {
    checkIn: { ...checkIn, keyResultId: kr.id, value },
    keyResult: updated,
    goal: goal({ keyResults: [updated] }),
    progress: [],
  };
}

async function mount(route: Route, extra: Record<string, Route> = {}) {
  const bff = fakeFetch({ 'POST /key-results/kr-1/check-ins': route, ...extra });
  const provider = await fixture(
    html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
      <okr-check-in .keyResult=${kr}></okr-check-in>
    </okr-provider>`,
  );
  const el = provider.querySelector('okr-check-in')!;
  await el.updateComplete;
  return { el, bff };
}

async function until(el: OkrCheckIn, done: () => boolean): Promise<void> {
  while (!done()) {
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
  }
}

function typeValue(el: OkrCheckIn, value: string): void {
  part<HTMLInputElement>(el, 'value').value = value;
}

describe('<okr-check-in>', () => {
  it('shows the key result and a number input labelled with its unit', async () => {
    const el = await fixture<OkrCheckIn>(html`<okr-check-in .keyResult=${kr}></okr-check-in>`);
    await expect(el).to.be.accessible();
    const input = part<HTMLInputElement>(el, 'value');
    expect(input.type).to.equal('number');
    expect(input.value).to.equal('50');
    expect(el.shadowRoot!.querySelector('label[for="value"]')!.textContent).to.equal(
      'New value (teams)',
    );
    expect(part(el, 'message').getAttribute('role')).to.equal('status');
  });

  it('is accessible in the dark theme', async () => {
    const el = await fixture<OkrCheckIn>(
      html`<okr-check-in theme="dark" .keyResult=${kr}></okr-check-in>`,
    );
    await expect(el).to.be.accessible();
    // Dark text on the dark theme's light accent, computed from the accent (theme.styles.ts).
    expect(getComputedStyle(part(el, 'submit')).color).to.equal('color(srgb 0 0 0)');
  });

  it('fits the input to the kind: a checkbox for boolean, a percent for initiatives', async () => {
    const done = await fixture<OkrCheckIn>(
      html`<okr-check-in .keyResult=${keyResultsByKind.boolean}></okr-check-in>`,
    );
    await expect(done).to.be.accessible();
    expect(part<HTMLInputElement>(done, 'value').type).to.equal('checkbox');
    expect(part<HTMLInputElement>(done, 'value').checked).to.equal(true);
    const initiative = await fixture<OkrCheckIn>(
      html`<okr-check-in .keyResult=${keyResultsByKind.initiative}></okr-check-in>`,
    );
    expect(part<HTMLInputElement>(initiative, 'value').value).to.equal('30');
    expect(part<HTMLInputElement>(initiative, 'value').max).to.equal('100');
  });

  it('refuses an empty value: marks the field, says why, focuses it, sends nothing', async () => {
    const { el, bff } = await mount(() => json(result(1)));
    typeValue(el, '');
    part<HTMLButtonElement>(el, 'submit').click();
    await el.updateComplete;
    await el.updateComplete;
    const input = part<HTMLInputElement>(el, 'value');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(
      el.shadowRoot!.getElementById(input.getAttribute('aria-describedby')!)!.textContent,
    ).to.equal('Enter a number.');
    expect(el.shadowRoot!.activeElement).to.equal(input);
    expect(bff.requests).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('counts a comment near the limit in the contract, and stops counting when it is short again', async () => {
    const { el } = await mount(() => json(result(1)));
    const comment = part<HTMLTextAreaElement>(el, 'comment');
    const type = async (text: string) => {
      comment.value = text;
      comment.dispatchEvent(new Event('input'));
      await el.updateComplete;
    };
    await type('x'.repeat(Math.floor(LIMITS.checkInComment * 0.9) - 1));
    expect(el.shadowRoot!.querySelector('[part="comment-count"]')).to.equal(null);
    const near = LIMITS.checkInComment - 3;
    await type('x'.repeat(near));
    const counter = el.shadowRoot!.querySelector('[part="comment-count"]')!;
    const en = (n: number) => n.toLocaleString('en');
    expect(counter.textContent).to.equal(`${en(near)} / ${en(LIMITS.checkInComment)}`);
    expect(comment.getAttribute('aria-describedby')).to.equal('comment-count');
    await type('short');
    expect(el.shadowRoot!.querySelector('[part="comment-count"]')).to.equal(null);
    expect(comment.hasAttribute('aria-describedby')).to.equal(false);
  });

  it('refuses a comment over the limit in the contract', async () => {
    const { el, bff } = await mount(() => json(result(1)));
    const comment = part<HTMLTextAreaElement>(el, 'comment');
    comment.value = 'x'.repeat(LIMITS.checkInComment + 1);
    part<HTMLButtonElement>(el, 'submit').click();
    await el.updateComplete;
    await el.updateComplete;
    expect(comment.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.getElementById('comment-error')!.textContent).to.equal(
      `Use at most ${LIMITS.checkInComment.toLocaleString('en')} characters.`,
    );
    expect(el.shadowRoot!.activeElement).to.equal(comment);
    expect(bff.requests).to.have.length(0);
  });

  it('submits by keyboard, shows the value at once, then the stored one, and announces it', async () => {
    let answer!: (response: Response) => void;
    const { el, bff } = await mount(() => new Promise<Response>((resolve) => (answer = resolve)));
    const input = part<HTMLInputElement>(el, 'value');
    input.focus();
    input.select();
    await sendKeys({ type: '120' });
    part<HTMLTextAreaElement>(el, 'comment').value = 'Signed two partners';
    input.focus();
    const submitted = oneEvent(el, 'okr-check-in-submitted');
    await sendKeys({ press: 'Enter' });
    await until(el, () => bff.requests.length === 1);
    expect(el.shadowRoot!.querySelector('okr-progress-bar')!.value).to.equal(0.6);
    expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(true);
    const request = bff.requests[0]!;
    expect(JSON.parse(request.body!)).to.deep.equal({
      value: 120,
      status: 'on_track',
      comment: 'Signed two partners',
    });
    expect(request.headers.get('Idempotency-Key')).to.match(/^[0-9a-f-]{32,36}$/);
    answer(json(result(120), 201));
    const event = await submitted;
    expect(event.detail.keyResult.version).to.equal(kr.version + 1);
    expect(event.bubbles && event.composed).to.equal(true);
    await el.updateComplete;
    expect(part(el, 'message').textContent!.trim()).to.equal('Check-in saved.');
    expect(part<HTMLTextAreaElement>(el, 'comment').value).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('rolls back on failure and retries the same submission with the same idempotency key', async () => {
    let fail = true;
    const { el, bff } = await mount(() =>
      fail ? apiError(503, 'db_unavailable', 'Database unavailable') : json(result(80), 201),
    );
    typeValue(el, '80');
    part<HTMLButtonElement>(el, 'submit').click();
    await until(el, () => part(el, 'message').textContent!.trim() !== '');
    expect(part(el, 'message').textContent!.trim()).to.equal(
      'The check-in was not saved: Database unavailable',
    );
    expect(el.shadowRoot!.querySelector('okr-progress-bar')!.value).to.equal(0.25);
    expect(part<HTMLInputElement>(el, 'value').value).to.equal('80');
    await expect(el).to.be.accessible();
    fail = false;
    part<HTMLButtonElement>(el, 'submit').click();
    await until(el, () => part(el, 'message').textContent!.trim() === 'Check-in saved.');
    const [first, second] = bff.requests.map((r) => r.headers.get('Idempotency-Key'));
    expect(second).to.equal(first);
    typeValue(el, '90');
    part<HTMLButtonElement>(el, 'submit').click();
    await until(el, () => bff.requests.length === 3);
    expect(bff.requests[2]!.headers.get('Idempotency-Key')).to.not.equal(first);
  });

  it('on 409 loads the latest values and tells the user', async () => {
    const newer = { ...kr, current: 170, progress: 0.85, version: 9 };
    const { el, bff } = await mount(() => apiError(409, 'conflict', 'Version conflict'), {
      '/goals/g-1': () => json(goal({ keyResults: [newer] })),
    });
    typeValue(el, '60');
    part<HTMLButtonElement>(el, 'submit').click();
    await until(el, () => el.shadowRoot!.querySelector('okr-progress-bar')!.value === 0.85);
    expect(
      bff.requests.map((r) => `${r.method} ${new URL(r.url, 'http://x').pathname}`),
    ).to.deep.equal(['POST /api/v1/key-results/kr-1/check-ins', 'GET /api/v1/goals/g-1']);
    expect(part(el, 'message').textContent!.trim()).to.contain(
      'Someone updated this key result meanwhile',
    );
    expect(part<HTMLInputElement>(el, 'value').value).to.equal('170');
  });

  it('loads the key result by goal-id and key-result-id, with loading and error states', async () => {
    let fail = true;
    const bff = fakeFetch({
      '/goals/g-1': () => (fail ? apiError(404, 'not_found', 'No such goal') : json(goal())),
    });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-check-in goal-id="g-1" key-result-id="kr-dec"></okr-check-in>
      </okr-provider>`,
    );
    const el = provider.querySelector('okr-check-in')!;
    await el.updateComplete;
    expect(part(el, 'skeleton')).to.not.equal(null);
    await until(el, () => part(el, 'error') !== null);
    await expect(el).to.be.accessible();
    fail = false;
    part<HTMLButtonElement>(el, 'retry').click();
    await until(el, () => part(el, 'form') !== null);
    expect(el.shadowRoot!.querySelector('.kr-title')!.textContent).to.equal('Cut churn');
  });

  it('suggests a status from the pace of the timeframe until the user picks one', async () => {
    const day = 24 * 3600 * 1000;
    const iso = (offset: number) => new Date(Date.now() + offset * day).toISOString().slice(0, 10);
    const halfway = goal({
      keyResults: [kr],
      timeframe: { id: 'tf', name: 'Now', startDate: iso(-50), endDate: iso(50) },
    });
    const bff = fakeFetch({ '/goals/g-1': () => json(halfway) });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-check-in goal-id="g-1"></okr-check-in>
      </okr-provider>`,
    );
    const el = provider.querySelector('okr-check-in')!;
    await until(el, () => part(el, 'form') !== null);
    const input = part<HTMLInputElement>(el, 'value');
    const select = part<HTMLSelectElement>(el, 'status');
    input.focus();
    input.select();
    await sendKeys({ type: '20' });
    await el.updateComplete;
    expect(select.value).to.equal('off_track');
    input.select();
    await sendKeys({ type: '100' });
    await el.updateComplete;
    expect(select.value).to.equal('on_track');
    select.value = 'needs_attention';
    select.dispatchEvent(new Event('change'));
    input.select();
    await sendKeys({ type: '10' });
    await el.updateComplete;
    expect(select.value).to.equal('needs_attention');
  });

  it('stays loading while pending and says so when there is nothing to check in', async () => {
    const bff = fakeFetch({ '/goals/g-1': pending });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-check-in goal-id="g-1"></okr-check-in>
      </okr-provider>`,
    );
    const el = provider.querySelector('okr-check-in')!;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    expect(part(el, 'skeleton').getAttribute('aria-busy')).to.equal('true');
    const empty = await fixture<OkrCheckIn>(html`<okr-check-in></okr-check-in>`);
    expect(part(empty, 'empty').textContent).to.equal('No key result to check in.');
  });

  it('speaks German and takes wording overrides', async () => {
    const el = await fixture<OkrCheckIn>(
      html`<okr-check-in locale="de" .keyResult=${kr}></okr-check-in>`,
    );
    expect(part(el, 'submit').textContent!.trim()).to.equal('Check-in speichern');
    expect(el.shadowRoot!.querySelector('.kr-value')!.textContent).to.equal(
      '50 teams von 200 teams',
    );
    el.wording = { save: 'Update milestone' };
    await el.updateComplete;
    expect(part(el, 'submit').textContent!.trim()).to.equal('Update milestone');
  });

  it('renders hostile text as inert text', async () => {
    const el = await fixture<OkrCheckIn>(
      html`<okr-check-in .keyResult=${{ ...kr, title: xss, unit: xss }}></okr-check-in>`,
    );
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.kr-title')!.textContent).to.equal(xss);
  });
});
