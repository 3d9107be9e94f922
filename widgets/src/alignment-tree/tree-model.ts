import type { AlignmentNode } from '../api/types.js';

/** One visible row of the tree, with what ARIA needs to describe its place. */
export interface TreeRow {
  node: AlignmentNode;
  level: number;
  setSize: number;
  position: number;
  /** The node has (or, with lazy loading, will have) children. */
  parent: boolean;
  expanded: boolean;
}

/**
 * The tree's nodes grouped by parent, built once per data change so that expanding, collapsing
 * and scrolling only walk what is visible.
 */
export class TreeModel {
  readonly byId = new Map<string, AlignmentNode>();
  private readonly children = new Map<string | null, AlignmentNode[]>();

  constructor(nodes: readonly AlignmentNode[]) {
    this.add(nodes);
  }

  /** Adds nodes (a lazily loaded level); nodes already known are skipped. */
  add(nodes: readonly AlignmentNode[]): void {
    for (const node of nodes) {
      if (this.byId.has(node.id)) continue;
      this.byId.set(node.id, node);
      // A parent outside the loaded part makes its children roots of what is shown.
      const parentId =
        node.parentId !== null && this.byId.has(node.parentId) ? node.parentId : null;
      const siblings = this.children.get(parentId);
      if (siblings) siblings.push(node);
      else this.children.set(parentId, [node]);
    }
  }

  /** Replaces a known node's progress and status (after a check-in); false when unknown. */
  refresh(id: string, changes: Pick<AlignmentNode, 'progress' | 'status'>): boolean {
    const node = this.byId.get(id);
    if (!node) return false;
    const updated = { ...node, ...changes };
    this.byId.set(id, updated);
    const parentId = node.parentId !== null && this.byId.has(node.parentId) ? node.parentId : null;
    const siblings = this.children.get(parentId)!;
    siblings[siblings.indexOf(node)] = updated;
    return true;
  }

  childrenOf(id: string | null): readonly AlignmentNode[] {
    return this.children.get(id) ?? [];
  }

  hasChildren(node: AlignmentNode): boolean {
    return node.childCount > 0 || this.childrenOf(node.id).length > 0;
  }

  /** Children that the BFF says exist but that are not loaded yet. */
  needsChildren(node: AlignmentNode): boolean {
    return node.childCount > 0 && this.childrenOf(node.id).length === 0;
  }

  get size(): number {
    return this.byId.size;
  }

  /** The rows a reader sees: roots, and the children of every expanded node, in tree order. */
  visibleRows(expanded: ReadonlySet<string>): TreeRow[] {
    const rows: TreeRow[] = [];
    const stack: { nodes: readonly AlignmentNode[]; index: number; level: number }[] = [
      { nodes: this.childrenOf(null), index: 0, level: 1 },
    ];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.index >= frame.nodes.length) {
        stack.pop();
        continue;
      }
      const node = frame.nodes[frame.index]!;
      frame.index += 1;
      const parent = this.hasChildren(node);
      const open = parent && expanded.has(node.id);
      rows.push({
        node,
        level: frame.level,
        setSize: frame.nodes.length,
        position: frame.index,
        parent,
        expanded: open,
      });
      const children = this.childrenOf(node.id);
      if (open && children.length > 0)
        stack.push({ nodes: children, index: 0, level: frame.level + 1 });
    }
    return rows;
  }

  /** Ids of the nodes less deep than `depth` levels whose children are loaded: the initially open ones. */
  openToDepth(depth: number): Set<string> {
    const open = new Set<string>();
    const visit = (parentId: string | null, level: number) => {
      if (level > depth) return;
      for (const node of this.childrenOf(parentId)) {
        if (this.childrenOf(node.id).length > 0) {
          open.add(node.id);
          visit(node.id, level + 1);
        }
      }
    };
    visit(null, 1);
    return open;
  }
}
