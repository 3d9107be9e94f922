import type { TreeRow, VisibleRows } from './tree-model.js';

/** What a key does in the WAI-ARIA tree pattern. */
export type TreeKeyAction =
  | { type: 'focus'; index: number }
  | { type: 'expand' | 'collapse' | 'select' | 'expand-siblings'; row: TreeRow }
  | { type: 'type-ahead'; character: string };

/**
 * Maps a key on the focused row to its action; undefined for keys the tree leaves to the page.
 * Right-to-left, the arrows that open and close swap sides, as the layout does.
 */
export function treeKeyAction(
  event: KeyboardEvent,
  rows: VisibleRows,
  index: number,
  rtl: boolean,
): TreeKeyAction | undefined {
  const row = rows.row(index);
  if (!row || event.altKey || event.ctrlKey || event.metaKey) return undefined;
  const origin = event.composedPath()[0];
  const fromField =
    origin instanceof HTMLInputElement ||
    origin instanceof HTMLTextAreaElement ||
    origin instanceof HTMLSelectElement;
  if (fromField) return undefined;
  const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
  const back = rtl ? 'ArrowRight' : 'ArrowLeft';
  switch (event.key) {
    case 'ArrowDown':
      return { type: 'focus', index: Math.min(rows.length - 1, index + 1) };
    case 'ArrowUp':
      return { type: 'focus', index: Math.max(0, index - 1) };
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: rows.length - 1 };
    case forward:
      if (row.parent && !row.expanded) return { type: 'expand', row };
      return row.expanded && rows.row(index + 1)?.level === row.level + 1
        ? { type: 'focus', index: index + 1 }
        : { type: 'focus', index };
    case back: {
      if (row.expanded) return { type: 'collapse', row };
      const parent = rows.indexOf(row.node.parentId);
      return { type: 'focus', index: parent >= 0 ? parent : index };
    }
    case 'Enter':
    case ' ':
      return { type: 'select', row };
    case '*':
      return { type: 'expand-siblings', row };
    default:
      return event.key.length === 1 && event.key.trim() !== ''
        ? { type: 'type-ahead', character: event.key }
        : undefined;
  }
}

/** The first row from `from` on (wrapping) whose title starts with `text`, or -1. */
export function typeAheadMatch(rows: VisibleRows, from: number, text: string): number {
  for (let step = 0; step < rows.length; step++) {
    const candidate = (from + step) % rows.length;
    if (rows.node(candidate)!.title.toLowerCase().startsWith(text)) return candidate;
  }
  return -1;
}
