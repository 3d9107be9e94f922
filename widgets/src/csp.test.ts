import { expect } from '@open-wc/testing';
import { goal } from './fixtures/goals.js';
import type { OkrGoalCard } from './goal-card/goal-card.js';

/**
 * The widgets must work under a host Content-Security-Policy without 'unsafe-inline': styles
 * come as constructed stylesheets and dynamic sizes go through the CSSOM, neither of which
 * such a policy blocks. A frame with that policy loads the all-in-one entry and renders a card.
 */
const policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'";

function frameWithPolicy(): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><head>
    <meta http-equiv="Content-Security-Policy" content="${policy}">
    <title>CSP</title></head><body>
    <script type="module" src="/widgets/src/index.ts"></script></body></html>`;
  const loaded = new Promise<HTMLIFrameElement>((resolve) =>
    frame.addEventListener('load', () => resolve(frame), { once: true }),
  );
  document.body.append(frame);
  return loaded;
}

describe('under a Content-Security-Policy without unsafe-inline', () => {
  it('renders a styled goal card and progress bar with no violation', async () => {
    const frame = await frameWithPolicy();
    const doc = frame.contentDocument!;
    const violations: string[] = [];
    doc.addEventListener('securitypolicyviolation', (event) =>
      violations.push(`${event.violatedDirective}: ${event.sourceFile}`),
    );
    await frame.contentWindow!.customElements.whenDefined('okr-goal-card');
    const card = doc.createElement('okr-goal-card') as OkrGoalCard;
    card.goal = goal();
    doc.body.append(card);
    await card.updateComplete;
    const bar = card.shadowRoot!.querySelector('okr-progress-bar')!;
    await bar.updateComplete;
    const surface = card.shadowRoot!.querySelector('[part="card"]')!;
    expect(frame.contentWindow!.getComputedStyle(surface).borderTopStyle).to.equal('solid');
    const indicator = bar.shadowRoot!.querySelector<HTMLElement>('.indicator')!;
    expect(indicator.style.getPropertyValue('inline-size')).to.equal('40%');
    expect(violations).to.deep.equal([]);
    frame.remove();
  });
});
