import type { AlignmentNode } from '@okr-embed/contract';

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
 * The rows a reader sees, in tree order. Only the order of node indices is kept; a row object
 * is built when asked for, so a tree of 10 000 open nodes costs one array of numbers, not
 * 10 000 objects of which the window draws sixteen.
 */
export interface VisibleRows {
  readonly length: number;
  row(index: number): TreeRow | undefined;
  /** A row's node without building the row (type-ahead reads every title). */
  node(index: number): AlignmentNode | undefined;
  /** The index of the row showing this goal, or -1. */
  indexOf(id: string | null | undefined): number;
}

/** `parentOf` value of a node shown as a root. */
const ROOT = -1;
/** How far past the last parent found to look for the next one before asking the id index. */
const PARENT_SCAN = 32;

/**
 * The tree's nodes numbered in arrival order and grouped by parent, built once per data change
 * so that expanding, collapsing and scrolling walk numbers and read only the ids of parents.
 */
export class TreeModel {
  /** Index by id, built only once something asks by id: hashing 10 000 ids is most of a first render. */
  private byId?: Map<string, number>;
  /** Where the last parent was found, for data in breadth-first order. */
  private parentCursor = 0;
  private readonly nodes: AlignmentNode[] = [];
  /** Per node: its parent's index (ROOT when shown as a root), level from 1, place among siblings from 1. */
  private readonly parentOf: number[] = [];
  private readonly levelOf: number[] = [];
  private readonly positionOf: number[] = [];
  /** Per node: the indices of its loaded children, if it has any. */
  private readonly children: (number[] | undefined)[] = [];
  private readonly roots: number[] = [];

  constructor(nodes: readonly AlignmentNode[]) {
    this.add(nodes);
  }

  /**
   * Adds nodes (a lazily loaded level); nodes already known are skipped. Ids are unique within
   * one data set (they are the BFF's goal ids), so the first one goes in without that check.
   */
  add(nodes: readonly AlignmentNode[]): void {
    const known = this.nodes.length > 0 ? this.index() : undefined;
    for (const node of nodes) {
      if (known?.has(node.id)) continue;
      const index = this.nodes.length;
      // A parent outside the loaded part makes it a root of what is shown.
      const parent = node.parentId === null ? undefined : this.findParent(node.parentId, index);
      this.byId?.set(node.id, index);
      const siblings = parent === undefined ? this.roots : (this.children[parent] ??= []);
      siblings.push(index);
      this.nodes.push(node);
      this.parentOf.push(parent ?? ROOT);
      this.levelOf.push(parent === undefined ? 1 : this.levelOf[parent]! + 1);
      this.positionOf.push(siblings.length);
      this.children.push(undefined);
    }
  }

  /** Replaces what a change moved of a known node; false when unknown. */
  refresh(
    id: string,
    changes: Partial<Pick<AlignmentNode, 'progress' | 'status' | 'title' | 'childCount'>>,
  ): boolean {
    const index = this.index().get(id);
    if (index === undefined) return false;
    this.nodes[index] = { ...this.nodes[index]!, ...changes };
    return true;
  }

  /** Every loaded node in arrival order (each after its parent). */
  get loaded(): readonly AlignmentNode[] {
    return this.nodes;
  }

  /** The rows of a node and its siblings (a root's siblings are the other roots), shown or not. */
  siblingsOf(node: AlignmentNode, expanded: ReadonlySet<string>): TreeRow[] {
    const parent = this.parentOf[this.index().get(node.id) ?? ROOT] ?? ROOT;
    return this.siblings(parent).map((index) => this.rowOf(index, expanded));
  }

  /** Children that the BFF says exist but that are not loaded yet. */
  needsChildren(node: AlignmentNode): boolean {
    return node.childCount > 0 && !this.children[this.index().get(node.id) ?? ROOT];
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Ids of the nodes less deep than `depth` levels whose children are loaded: the initially open ones. */
  openToDepth(depth: number): Set<string> {
    const open = new Set<string>();
    // Every node hangs below its known ancestors, so one pass over the numbers finds them all.
    for (let index = 0; index < this.nodes.length; index++) {
      if (this.children[index] && this.levelOf[index]! <= depth) open.add(this.nodes[index]!.id);
    }
    return open;
  }

  /** Roots, and the children of every expanded node, in tree order. */
  visibleRows(expanded: ReadonlySet<string>): VisibleRows {
    // Each node is shown at most once (it has one parent), so the array cannot overflow.
    const order = new Int32Array(this.nodes.length);
    let length = 0;
    const visit = (list: readonly number[]) => {
      for (const index of list) {
        order[length++] = index;
        const children = this.children[index];
        if (children && expanded.has(this.nodes[index]!.id)) visit(children);
      }
    };
    visit(this.roots);
    const shown = order.subarray(0, length);
    return {
      length,
      row: (row) => {
        const index = shown[row];
        return index === undefined ? undefined : this.rowOf(index, expanded);
      },
      // Past either end `shown[row]` is undefined, and so is `nodes[ROOT]`.
      node: (row) => this.nodes[shown[row] ?? ROOT],
      indexOf: (id) => {
        const index = id == null ? undefined : this.index().get(id);
        return index === undefined ? -1 : shown.indexOf(index);
      },
    };
  }

  private rowOf(index: number, expanded: ReadonlySet<string>): TreeRow {
    const node = this.nodes[index]!;
    const parentIndex = this.parentOf[index]!;
    const parent = node.childCount > 0 || this.children[index] !== undefined;
    return {
      node,
      level: this.levelOf[index]!,
      setSize: this.siblings(parentIndex).length,
      position: this.positionOf[index]!,
      parent,
      expanded: parent && expanded.has(node.id),
    };
  }

  private siblings(parent: number): number[] {
    return parent === ROOT ? this.roots : this.children[parent]!;
  }

  /**
   * The parent's index, found the way the BFF orders nodes without hashing ids: depth first,
   * a node's parent is the node before it or one of that node's ancestors; breadth first, it
   * is the parent found last or one a little after it. Other orders fall back to the index.
   */
  private findParent(parentId: string, index: number): number | undefined {
    if (this.byId) return this.byId.get(parentId);
    for (let i = index - 1; i >= 0; i = this.parentOf[i]!) {
      if (this.nodes[i]!.id === parentId) return i;
    }
    const end = Math.min(index, this.parentCursor + PARENT_SCAN);
    for (let i = this.parentCursor; i < end; i++) {
      if (this.nodes[i]!.id === parentId) return (this.parentCursor = i);
    }
    // Nothing before the first node: its parent is outside the loaded part (a subtree's root).
    return index > 0 ? this.index().get(parentId) : undefined;
  }

  /** The id index, completed the first time it is needed; kept up to date after that. */
  private index(): Map<string, number> {
    if (!this.byId) {
      this.byId = new Map();
      // Backwards, so that of two nodes with one id the first wins, as it does in `add`.
      for (let i = this.nodes.length - 1; i >= 0; i--) this.byId.set(this.nodes[i]!.id, i);
    }
    return this.byId;
  }
}
