// Types for bundle-size.mjs, which `npm test` runs as plain JavaScript.
export const distDir: string;
export const budgets: Record<string, number>;
export const onDemandBudgets: Record<string, number>;
export interface Size {
  entry: string;
  files: number;
  minified: number;
  gzipped: number;
}
export function measureEntry(entry: string): Size;
export function measureOnDemand(name: string): Size;
export function measureLitBaseline(): Promise<Size>;
