import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  budgets,
  distDir,
  measureEntry,
  measureLitBaseline,
  measureOnDemand,
  onDemandBudgets,
} from './bundle-size.mjs';

describe('bundle size budgets (widgets/dist, min+gzip with imported chunks)', () => {
  for (const [entry, budget] of Object.entries(budgets)) {
    it(`when ${entry} is built, then it stays within ${budget / 1024} KB`, () => {
      const { gzipped } = measureEntry(entry);
      assert.ok(gzipped <= budget, `${entry} is ${gzipped} bytes, budget ${budget}`);
    });
  }

  for (const [name, budget] of Object.entries(onDemandBudgets)) {
    it(`when okr-embed.js loads ${name} on demand, then that adds at most ${budget / 1024} KB`, () => {
      const { gzipped, files } = measureOnDemand(name);
      assert.ok(files >= 1, `${name}: nothing loaded on demand`);
      assert.ok(gzipped <= budget, `${name} adds ${gzipped} bytes, budget ${budget}`);
    });
  }

  it('when every element entry is measured, then each weighs at least the Lit baseline and no more than the whole bundle', async () => {
    const baseline = await measureLitBaseline();
    const whole = measureEntry('okr-embed.js').gzipped;
    const entries = readdirSync(distDir).filter((f) => /^okr-.*\.js$/.test(f));
    assert.ok(entries.length >= 2, 'the build wrote per-element entries');
    for (const entry of entries) {
      const { gzipped } = measureEntry(entry);
      assert.ok(
        gzipped >= baseline.gzipped * 0.9,
        `${entry}: ${gzipped} < Lit baseline ${baseline.gzipped}`,
      );
      assert.ok(gzipped <= whole, `${entry}: ${gzipped} > okr-embed.js ${whole}`);
    }
  });
});
