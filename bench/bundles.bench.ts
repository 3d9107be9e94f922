/** Bundle sizes, min+gzip with the chunks each entry imports, next to a Lit-only build. */
import { readdirSync } from 'node:fs';
import {
  budgets,
  distDir,
  measureEntry,
  measureLitBaseline,
  measureOnDemand,
  onDemandBudgets,
} from './bundle-size.mjs';
import type { Row } from './report.js';

export async function benchBundles(): Promise<Row[]> {
  const entries = readdirSync(distDir).filter((file) => /^okr-.*\.js$/.test(file));
  if (entries.length === 0) throw new Error('widgets/dist has no entries: run npm run build first');
  const lit = await measureLitBaseline();
  const rows: Row[] = [
    { section: 'Bundle', name: 'Lit-only baseline', value: lit.gzipped / 1024, unit: 'KB' },
  ];
  for (const entry of entries.sort()) {
    const { gzipped } = measureEntry(entry);
    const budget = (budgets as Record<string, number>)[entry];
    rows.push({
      section: 'Bundle',
      name: entry,
      value: gzipped / 1024,
      unit: 'KB',
      baseline: { name: 'Lit', value: lit.gzipped / 1024 },
      ratio: gzipped / lit.gzipped,
      budget: budget === undefined ? undefined : `≤ ${budget / 1024} KB`,
      pass: budget === undefined ? undefined : gzipped <= budget,
    });
  }
  for (const [name, budget] of Object.entries(onDemandBudgets)) {
    const { gzipped } = measureOnDemand(name);
    rows.push({
      section: 'Bundle',
      name: `${name}, loaded by okr-embed.js on demand`,
      value: gzipped / 1024,
      unit: 'KB',
      budget: `≤ ${budget / 1024} KB`,
      pass: gzipped <= budget,
    });
  }
  return rows;
}
