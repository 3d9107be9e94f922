import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { fakeFetch, pending, testToken } from '../fixtures/fake-fetch.js';
import { goal } from '../fixtures/goals.js';
import '../goal-card/goal-card.js';
import type { OkrGoalCard } from '../goal-card/goal-card.js';
import '../progress-bar/progress-bar.js';
import type { OkrProgressBar } from '../progress-bar/progress-bar.js';
import '../provider/provider.js';

function surfaceOf(card: OkrGoalCard): string {
  return getComputedStyle(card.shadowRoot!.querySelector('[part="card"]')!).backgroundColor;
}

describe('themes and user preferences', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' }));

  it('theme="auto" follows the operating system’s color scheme', async () => {
    const card = await fixture<OkrGoalCard>(
      html`<okr-goal-card theme="auto" .goal=${goal()}></okr-goal-card>`,
    );
    await emulateMedia({ colorScheme: 'light' });
    expect(surfaceOf(card)).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    expect(surfaceOf(card)).to.equal('rgb(13, 17, 23)');
    await expect(card).to.be.accessible();
  });

  it('a global token restyles every widget below it', async () => {
    const wrapper = await fixture(
      html`<div class="brand"><okr-goal-card .goal=${goal()}></okr-goal-card></div>`,
    );
    (wrapper as HTMLElement).style.setProperty('--okr-color-surface', 'rgb(250, 245, 255)');
    expect(surfaceOf(wrapper.querySelector('okr-goal-card')!)).to.equal('rgb(250, 245, 255)');
  });

  it('stops animations when reduced motion is asked for', async () => {
    const bff = fakeFetch({ '/goals/g-1': pending });
    const provider = await fixture(
      html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
        <okr-goal-card goal-id="g-1"></okr-goal-card>
        <okr-progress-bar indeterminate></okr-progress-bar>
      </okr-provider>`,
    );
    const card = provider.querySelector('okr-goal-card')!;
    await card.updateComplete;
    const skeleton = card.shadowRoot!.querySelector('.skeleton')!;
    const indicator = provider
      .querySelector<OkrProgressBar>('okr-progress-bar')!
      .shadowRoot!.querySelector('.indicator')!;
    expect(getComputedStyle(skeleton).animationName).to.equal('okr-pulse');
    expect(getComputedStyle(indicator).animationName).to.equal('slide');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(getComputedStyle(skeleton).animationName).to.equal('none');
    expect(getComputedStyle(indicator).animationName).to.equal('none');
  });
});
