/** One line of the benchmark table: a figure, what it is compared with, and its budget. */
export interface Row {
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline.value, or a figure's own ratio (e.g. memory growth). */
  ratio?: number;
  budget?: string;
  /** undefined: reported, no budget. */
  pass?: boolean;
  note?: string;
}

const format = (value: number, unit: string) => {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`.trim();
};

/** Two significant digits below 1, so 0.099 against a 0.1 budget does not read as 0.10. */
const ratioText = (ratio: number) => (ratio < 1 ? ratio.toPrecision(2) : ratio.toFixed(2));

/** A Markdown table: it reads in a terminal and pastes into the README as is. */
export function table(rows: Row[]): string {
  const header = ['measure', 'value', 'baseline', 'ratio', 'budget', 'result'];
  const lines = rows.map((row) => [
    `${row.section}: ${row.name}${row.note ? ` (${row.note})` : ''}`,
    format(row.value, row.unit),
    row.baseline ? `${row.baseline.name} ${format(row.baseline.value, row.unit)}` : '—',
    row.ratio === undefined ? '—' : `${ratioText(row.ratio)}×`,
    row.budget ?? '—',
    row.pass === undefined ? 'info' : row.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join(
    '\n',
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) throw new Error('median of nothing');
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
