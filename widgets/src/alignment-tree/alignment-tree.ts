import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../provider/define.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Alignment, AlignmentNode } from '@okr-embed/contract';
import { isAbortError, toApiError } from '../client/errors.js';
import { LiveController } from '../client/live-controller.js';
import { ResourceController } from '../client/resource-controller.js';
import { emit } from '../events/events.js';
import { progressOf } from '../progress-bar/progress-of.js';
import { OkrElement } from '../provider/okr-element.js';
import { statusBadge } from '../status-badge/status-badge.js';
import { emptyState, pendingState } from '../theme/states.js';
import { stateStyles } from '../theme/states.styles.js';
import { themeStyles } from '../theme/theme.styles.js';
import { alignmentTreeStyles } from './alignment-tree.styles.js';
import { treeKeyAction, typeAheadMatch } from './tree-keyboard.js';
import { TreeModel, type TreeRow, type VisibleRows } from './tree-model.js';

/** Row height in px; the rows are fixed-height so the window can be computed, not measured. */
const ROW_HEIGHT = 40;
/** Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps. */
const OVERSCAN = 6;
/** Assumed viewport height before layout has measured it. */
const FALLBACK_VIEWPORT = 400;
const TYPEAHEAD_RESET_MS = 600;

export type ChildLoader = (goalId: string, signal: AbortSignal) => Promise<AlignmentNode[]>;

/**
 * The alignment tree: how goals roll up from people to teams to the company. Children load
 * on demand, and only the rows in view are in the DOM, so 10 000 goals stay fast. Keyboard
 * follows the WAI-ARIA tree pattern (arrows mirrored right-to-left, Home/End, Enter/Space,
 * `*`, type-ahead). Rows are flat `treeitem`s with `aria-level`/`aria-setsize`/`aria-posinset`
 * rather than nested `group`s, because a virtualized list cannot keep the nesting in the DOM.
 *
 * @summary Expandable, virtualized alignment tree; by query or `.nodes`.
 * @fires okr-goal-select - A node was activated (click, Enter or Space); `detail.goalId`.
 * @fires okr-error - Loading the tree or a node's children failed; `detail.error`.
 * @csspart base - The frame around the tree.
 * @csspart tree - The scrolling `role="tree"` element.
 * @csspart item - One row (`role="treeitem"`).
 * @csspart title - A row's title.
 * @csspart skeleton - The loading placeholder.
 * @csspart empty - The empty-state message.
 * @csspart error - The error message with its retry button.
 * @csspart retry - The retry button.
 * @cssprop --okr-alignment-tree-max-height - The tallest the tree grows to fit its rows before it scrolls (default 24rem).
 * @cssprop --okr-alignment-tree-height - Older name of `--okr-alignment-tree-max-height`.
 * @cssprop --okr-alignment-tree-bar-width - Width of each row's progress bar.
 * @cssprop --okr-alignment-tree-hover - Row background on hover.
 * @cssprop --okr-alignment-tree-selected - Background of the selected row.
 */
@customElement('okr-alignment-tree')
export class OkrAlignmentTree extends OkrElement {
  static override styles = [themeStyles, stateStyles, alignmentTreeStyles];

  /** Timeframe id to load the tree for. */
  @property() timeframe?: string;
  /** Load only the subtree under this goal id. */
  @property() root?: string;
  /** Levels to load at first; deeper levels load when expanded. */
  @property({ type: Number }) depth = 2;
  /** Levels open at first. */
  @property({ type: Number, attribute: 'expanded-depth' }) expandedDepth = 1;
  /** The nodes (flat, each after its parent); set it to render without fetching. */
  @property({ attribute: false }) nodes?: AlignmentNode[];
  /** Loads a node's children; defaults to the client's `alignment({root, depth: 1})`. */
  @property({ attribute: false }) loadChildren?: ChildLoader;
  /** Accessible name of the tree; defaults to the word "Alignment". */
  @property() label?: string;

  @state() private expanded: ReadonlySet<string> = new Set();
  @state() private activeId?: string;
  @state() private selectedId?: string;
  @state() private scrollOffset = 0;
  @state() private viewportHeight = 0;
  @state() private loadingChildren: ReadonlySet<string> = new Set();
  @state() private modelVersion = 0;

  @query('.viewport') private viewport?: HTMLElement;
  @query('.canvas') private canvas?: HTMLElement;

  private readonly resource = new ResourceController<Alignment>(this);
  private model?: TreeModel;
  private modelSource?: readonly AlignmentNode[];
  private rows?: VisibleRows;
  private rowsKey?: [ReadonlySet<string>, number];
  private focusActive = false;
  private typeahead = '';
  private typeaheadTimer?: ReturnType<typeof setTimeout>;
  /** Aborts children still loading when the tree leaves the page. */
  private childLoads = new AbortController();
  private resizeObserver?: ResizeObserver;

  /**
   * Changes (live, or a check-in on this page) patch the loaded nodes in place; a goal created
   * or moved below a loaded parent (or among the roots this tree shows) joins it there.
   */
  private readonly live = new LiveController(
    this,
    (change, { patchTree }, type) => {
      const model = this.model && patchTree(this.model, change, type, this);
      if (model) {
        this.model = model;
        this.modelVersion += 1;
      }
    },
    () => this.resource.refresh(),
  );

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    clearTimeout(this.typeaheadTimer);
    this.childLoads.abort();
    this.childLoads = new AbortController();
    this.loadingChildren = new Set();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const client = this.settings.client;
    const query = this.nodes
      ? undefined
      : { timeframe: this.timeframe, root: this.root, depth: this.depth };
    this.resource.sync(
      [query && JSON.stringify(query), client],
      query && client ? (signal) => client.alignment(query, { signal }) : undefined,
    );
    this.live.sync(this.settings, !!query);
    const source =
      this.nodes ??
      (this.resource.state.status === 'loaded' ? this.resource.state.value.nodes : undefined);
    if (source !== this.modelSource) {
      this.modelSource = source;
      this.model = source ? new TreeModel(source) : undefined;
      this.expanded = this.model?.openToDepth(this.expandedDepth) ?? new Set();
      this.activeId = undefined;
    }
    if (
      this.model &&
      (this.rowsKey?.[0] !== this.expanded || this.rowsKey[1] !== this.modelVersion)
    ) {
      this.rows = this.model.visibleRows(this.expanded);
      this.rowsKey = [this.expanded, this.modelVersion];
    }
    // The first row is the first root: focus starts there, and returns there when the
    // focused node was deleted.
    if (this.rows && this.rows.indexOf(this.activeId) < 0) this.activeId = this.rows.node(0)?.id;
  }

  protected override render() {
    const words = this.words;
    let body;
    if (this.model && this.model.size > 0) body = this.renderTree(this.rows!);
    else {
      const state = this.model
        ? emptyState(words.emptyTree)
        : pendingState(words, this.resource, ['row-line', 'row-line', 'row-line']);
      body = html`<div class="state">${state}</div>`;
    }
    return html`<div part="base" class="base">${body}</div>`;
  }

  /** The rows in view plus the focused row, so keyboard focus survives scrolling. */
  private windowRows(rows: VisibleRows): { row: TreeRow; index: number }[] {
    const height = this.viewportHeight || FALLBACK_VIEWPORT;
    const first = Math.max(0, Math.floor(this.scrollOffset / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      rows.length,
      Math.ceil((this.scrollOffset + height) / ROW_HEIGHT) + OVERSCAN,
    );
    const shown: { row: TreeRow; index: number }[] = [];
    let activeShown = false;
    for (let index = first; index < last; index++) {
      const row = rows.row(index)!;
      if (row.node.id === this.activeId) activeShown = true;
      shown.push({ row, index });
    }
    const active = activeShown ? -1 : rows.indexOf(this.activeId);
    if (active >= 0) shown.push({ row: rows.row(active)!, index: active });
    return shown;
  }

  private renderTree(rows: VisibleRows) {
    const look = this.presentation;
    const words = look.words;
    return html`<div
      part="tree"
      class="viewport"
      role="tree"
      aria-label=${this.label ?? words.alignment}
      @keydown=${this.onKeyDown}
      @scroll=${this.onScroll}
    >
      <div class="canvas">
        ${repeat(
          this.windowRows(rows),
          ({ row }) => row.node.id,
          ({ row, index }) => {
            const { node } = row;
            const loading = this.loadingChildren.has(node.id);
            return html`<div
              part="item"
              class="row"
              role="treeitem"
              data-index=${index}
              data-level=${row.level}
              aria-level=${row.level}
              aria-setsize=${row.setSize}
              aria-posinset=${row.position}
              aria-expanded=${row.parent ? String(row.expanded) : nothing}
              aria-selected=${String(node.id === this.selectedId)}
              aria-busy=${loading ? 'true' : nothing}
              tabindex=${node.id === this.activeId ? 0 : -1}
              @click=${(event: MouseEvent) => this.onRowClick(event, row)}
            >
              <span class="toggle" aria-hidden="true"
                >${row.parent ? (row.expanded ? '▾' : '▸') : ''}</span
              >
              <span part="title" class="title" title=${node.title}>${node.title}</span>
              <span class="facts">
                ${loading ? html`<span class="children-loading">${words.loadingChildren}</span>` : nothing}
                ${statusBadge(node.status, look)}
                ${progressOf(node, look, { small: true, showValue: true })}
              </span>
            </div>`;
          },
        )}
      </div>
    </div>`;
  }

  /** Positions go through the CSSOM, which a Content-Security-Policy allows (style attributes it would not). */
  protected override updated(): void {
    const viewport = this.viewport;
    if (viewport && !this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() => {
        this.viewportHeight = viewport.clientHeight;
      });
      this.resizeObserver.observe(viewport);
    }
    this.canvas?.style.setProperty('block-size', `${(this.rows?.length ?? 0) * ROW_HEIGHT}px`);
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('.row')) {
      row.style.setProperty(
        'transform',
        `translateY(${Number(row.dataset['index']) * ROW_HEIGHT}px)`,
      );
      row.style.setProperty('--_level', row.dataset['level'] ?? '1');
    }
    if (this.focusActive) {
      this.focusActive = false;
      this.renderRoot
        .querySelector<HTMLElement>('.row[tabindex="0"]')
        ?.focus({ preventScroll: true });
    }
  }

  private onScroll(): void {
    this.scrollOffset = this.viewport?.scrollTop ?? 0;
  }

  private onRowClick(event: MouseEvent, row: TreeRow): void {
    this.activeId = row.node.id;
    const onToggle = (event.composedPath()[0] as Element).classList?.contains('toggle');
    if (onToggle && row.parent) this.setExpanded([row.node], !row.expanded);
    else this.select(row);
  }

  private select(row: TreeRow): void {
    this.selectedId = row.node.id;
    emit(this, 'okr-goal-select', { goalId: row.node.id });
  }

  /** Moves focus to a row, scrolling it into view. */
  private moveTo(rows: VisibleRows, index: number): void {
    const to = Math.max(0, Math.min(rows.length - 1, index));
    const target = rows.node(to);
    if (!target) return;
    this.activeId = target.id;
    this.focusActive = true;
    const viewport = this.viewport;
    if (!viewport) return;
    const top = to * ROW_HEIGHT;
    const height = viewport.clientHeight || FALLBACK_VIEWPORT;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > viewport.scrollTop + height)
      viewport.scrollTop = top + ROW_HEIGHT - height;
    this.scrollOffset = viewport.scrollTop;
  }

  private onKeyDown(event: KeyboardEvent): void {
    const rows = this.rows;
    if (!rows) return;
    const index = rows.indexOf(this.activeId);
    const action = treeKeyAction(event, rows, index, this.isRtl);
    if (!action) return;
    event.preventDefault();
    switch (action.type) {
      case 'focus':
        this.moveTo(rows, action.index);
        break;
      case 'expand':
      case 'collapse':
        this.setExpanded([action.row.node], action.type === 'expand');
        break;
      case 'select':
        this.select(action.row);
        break;
      case 'expand-siblings':
        this.expandSiblings(action.row);
        break;
      case 'type-ahead':
        this.typeAhead(rows, action.character, index);
    }
  }

  /** Focuses the next row whose title starts with what was typed in quick succession. */
  private typeAhead(rows: VisibleRows, character: string, index: number): void {
    clearTimeout(this.typeaheadTimer);
    this.typeaheadTimer = setTimeout(() => (this.typeahead = ''), TYPEAHEAD_RESET_MS);
    this.typeahead += character.toLowerCase();
    // A first letter looks past the current row; more letters refine the current match.
    const from = this.typeahead.length === 1 ? index + 1 : index;
    const match = typeAheadMatch(rows, from, this.typeahead);
    if (match >= 0) this.moveTo(rows, match);
  }

  /** Asks the model rather than the rows, so that `*` does not build a row for every visible node. */
  private expandSiblings(row: TreeRow): void {
    const closed = this.model
      ?.siblingsOf(row.node, this.expanded)
      .filter((sibling) => sibling.parent && !sibling.expanded);
    if (closed?.length)
      this.setExpanded(
        closed.map((sibling) => sibling.node),
        true,
      );
  }

  private setExpanded(nodes: readonly AlignmentNode[], open: boolean): void {
    const next = new Set(this.expanded);
    for (const node of nodes) {
      if (open) next.add(node.id);
      else next.delete(node.id);
    }
    this.expanded = next;
    for (const node of nodes)
      if (open && this.model?.needsChildren(node)) void this.fetchChildren(node);
  }

  private async fetchChildren(node: AlignmentNode): Promise<void> {
    const client = this.settings.client;
    const loader: ChildLoader | undefined =
      this.loadChildren ??
      (client
        ? (goalId, signal) =>
            client
              .alignment({ root: goalId, depth: 1, timeframe: this.timeframe }, { signal })
              .then((a) => a.nodes)
        : undefined);
    if (!loader || this.loadingChildren.has(node.id)) return;
    this.loadingChildren = new Set(this.loadingChildren).add(node.id);
    try {
      const children = await loader(node.id, this.childLoads.signal);
      this.model?.add(children.filter((child) => child.id !== node.id));
      this.modelVersion += 1;
    } catch (error) {
      if (isAbortError(error)) return;
      const next = new Set(this.expanded);
      next.delete(node.id);
      this.expanded = next;
      const apiError = toApiError(error);
      emit(this, 'okr-error', { error: apiError });
    } finally {
      const next = new Set(this.loadingChildren);
      next.delete(node.id);
      this.loadingChildren = next;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'okr-alignment-tree': OkrAlignmentTree;
  }
}
