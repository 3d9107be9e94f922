import { expect, fixture, html } from '@open-wc/testing';
import {
  apiError,
  fakeFetch,
  json,
  pending,
  testToken,
  type Route,
} from '../fixtures/fake-fetch.js';
import '../alignment-tree/alignment-tree.js';
import '../check-in/check-in.js';
import '../goal-card/goal-card.js';
import '../goal-list/goal-list.js';
import '../provider/provider.js';

const dataWidgets = ['okr-goal-card', 'okr-goal-list', 'okr-alignment-tree', 'okr-check-in'];

/** Every data widget on one page, all asking the BFF through `route`. */
async function widgetsAnswered(route: Route): Promise<HTMLElement[]> {
  const bff = fakeFetch({ '/goals/g-1': route, '/goals': route, '/alignment': route });
  const provider = await fixture(
    html`<okr-provider base-url="" .tokenProvider=${async () => testToken()} .fetch=${bff.fetch}>
      <okr-goal-card goal-id="g-1"></okr-goal-card>
      <okr-goal-list></okr-goal-list>
      <okr-alignment-tree></okr-alignment-tree>
      <okr-check-in goal-id="g-1"></okr-check-in>
    </okr-provider>`,
  );
  return dataWidgets.map((tag) => provider.querySelector<HTMLElement>(tag)!);
}

function inShadow(el: HTMLElement, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve));
}

describe('loading, error and empty states', () => {
  it('every data widget shows a failure in the same muted words with the same retry', async () => {
    const widgets = await widgetsAnswered(() => apiError(500, 'internal', 'Boom'));
    await until(() => widgets.every((el) => inShadow(el, '[part="error"]') !== null));
    for (const el of widgets) {
      const words = getComputedStyle(inShadow(el, '.error')!);
      const retry = getComputedStyle(inShadow(el, '[part="retry"]')!);
      const look = [words.color, words.marginTop, retry.backgroundColor, retry.borderTopColor];
      // The light theme's muted text (#59636e) and border (#d1d9e0) tokens.
      expect(look, el.localName).to.deep.equal([
        'rgb(89, 99, 110)',
        '0px',
        'rgba(0, 0, 0, 0)',
        'rgb(209, 217, 224)',
      ]);
    }
  });

  it('every data widget loads as spaced, pulsing lines with a hidden busy message', async () => {
    const widgets = await widgetsAnswered(pending);
    await until(() => widgets.every((el) => inShadow(el, '[part="skeleton"]') !== null));
    for (const el of widgets) {
      const skeleton = inShadow(el, '[part="skeleton"]')!;
      const status = skeleton.querySelector<HTMLElement>('[role="status"]')!;
      const line = skeleton.querySelector<HTMLElement>('.skeleton')!;
      expect(
        [
          getComputedStyle(skeleton).display,
          getComputedStyle(line).animationName,
          status.getBoundingClientRect().width,
        ],
        el.localName,
      ).to.deep.equal(['grid', 'okr-pulse', 1]);
      expect(status.textContent).to.equal('Loading…');
    }
  });

  it('a refused origin says so on every widget, and once in the console with what to register', async () => {
    const register = 'okr org update acme --add-origin https://wiki.acme.example';
    const refusal = () =>
      json(
        {
          error: {
            code: 'origin_not_allowed',
            message: `The origin https://wiki.acme.example is not registered. Register it with: ${register}`,
            details: { origin: 'https://wiki.acme.example', register },
            requestId: 'req-origin',
          },
        },
        403,
      );
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const widgets = await widgetsAnswered(refusal);
      await until(() => widgets.every((el) => inShadow(el, '[part="error"]') !== null));
      for (const el of widgets) {
        expect(inShadow(el, '.error-detail')!.textContent, el.localName).to.equal(
          'This page (https://wiki.acme.example) is not registered to show OKRs. The browser console says what to register.',
        );
        await expect(el).to.be.accessible();
      }
    } finally {
      console.error = original;
    }
    const told = logged.filter((args) => String(args[0]).includes('https://wiki.acme.example'));
    expect(told).to.have.length(1);
    expect(String(told[0]![0])).to.equal(
      `okr-embed: the BFF refused this page's origin https://wiki.acme.example for the token's organization. Register the origin with: ${register}`,
    );
  });
});
