import { expect } from '@open-wc/testing';
import type { AlignmentNode } from '@okr-embed/contract';
import { alignmentTree } from '../fixtures/goals.js';
import { TreeModel, type TreeRow, type VisibleRows } from './tree-model.js';

/** What each row should say, computed the slow, obvious way. */
function expectedRows(nodes: AlignmentNode[], expanded: ReadonlySet<string>) {
  const ids = new Set(nodes.map((node) => node.id));
  const childrenOf = (id: string | null) =>
    nodes.filter((node) =>
      id === null ? node.parentId === null || !ids.has(node.parentId) : node.parentId === id,
    );
  const rows: (Omit<TreeRow, 'node'> & { id: string })[] = [];
  const visit = (id: string | null, level: number) => {
    const siblings = childrenOf(id);
    siblings.forEach((node, i) => {
      const parent = node.childCount > 0 || childrenOf(node.id).length > 0;
      const open = parent && expanded.has(node.id);
      rows.push({
        id: node.id,
        level,
        setSize: siblings.length,
        position: i + 1,
        parent,
        expanded: open,
      });
      if (open) visit(node.id, level + 1);
    });
  };
  visit(null, 1);
  return rows;
}

function describeRows(rows: VisibleRows) {
  return Array.from({ length: rows.length }, (_, i) => {
    const { node, ...place } = rows.row(i)!;
    return { id: node.id, ...place };
  });
}

describe('TreeModel', () => {
  const depthFirst = alignmentTree(84);
  const breadthFirst = [...depthFirst].sort((a, b) => a.depth - b.depth);
  // Parents still come first, but in no order the model's shortcuts expect: it asks the index.
  const backwards = [...depthFirst].sort((a, b) => a.depth - b.depth || (a.id < b.id ? 1 : -1));
  const expanded = new Set(['n1', 'n1.2', 'n3', 'n3.4', 'n4.4.1']);

  for (const [order, nodes] of [
    ['depth-first', depthFirst],
    ['breadth-first', breadthFirst],
    ['backwards breadth-first', backwards],
  ] as const) {
    it(`lists the rows in tree order with their ARIA places, from ${order} data`, () => {
      const model = new TreeModel(nodes);
      expect(describeRows(model.visibleRows(expanded))).to.deep.equal(
        expectedRows(nodes, expanded),
      );
      const all = model.openToDepth(10);
      expect(describeRows(model.visibleRows(all))).to.deep.equal(expectedRows(nodes, all));
    });
  }

  it('opens the nodes above the given depth that have loaded children', () => {
    const model = new TreeModel(depthFirst);
    expect(model.openToDepth(1)).to.deep.equal(new Set(['n1', 'n2', 'n3', 'n4']));
    expect(model.openToDepth(0).size).to.equal(0);
  });

  it('finds rows by goal id and answers undefined outside the list', () => {
    const model = new TreeModel(breadthFirst);
    const rows = model.visibleRows(model.openToDepth(10));
    expect(rows.length).to.equal(84);
    expect(rows.indexOf('n2')).to.equal(21);
    expect(rows.node(21)!.id).to.equal('n2');
    expect(rows.indexOf(null)).to.equal(-1);
    expect(rows.indexOf('nope')).to.equal(-1);
    expect(rows.row(84)).to.equal(undefined);
  });

  it('adds a lazily loaded level below its parent, skips known nodes and refreshes a node', () => {
    const shallow = depthFirst.filter((node) => node.depth < 2);
    const model = new TreeModel(shallow);
    const parent = shallow.find((node) => node.id === 'n2.3')!;
    expect(model.needsChildren(parent)).to.equal(true);
    model.add([parent, ...depthFirst.filter((node) => node.parentId === 'n2.3')]);
    expect(model.needsChildren(parent)).to.equal(false);
    expect(model.size).to.equal(shallow.length + 4);
    const open = new Set(['n2', 'n2.3']);
    const rows = model.visibleRows(open);
    expect(describeRows(rows)).to.deep.equal(
      expectedRows(
        depthFirst.filter((n) => n.depth < 2 || n.parentId === 'n2.3'),
        open,
      ),
    );
    expect(model.refresh('n2.3.2', { progress: 0.9, status: 'accomplished' })).to.equal(true);
    expect(model.refresh('missing', { progress: 0.9, status: 'accomplished' })).to.equal(false);
    expect(rows.row(rows.indexOf('n2.3.2'))!.node.status).to.equal('accomplished');
  });

  it('builds rows only for the window asked for, not for each of 10 000 open nodes', () => {
    // Every read of a node after the model is built is recorded: a row reads its node.
    const touched = new Set<string>();
    let recording = false;
    const nodes = alignmentTree(10_000).map(
      (node) =>
        new Proxy(node, {
          get(target, key, receiver) {
            if (recording) touched.add(target.id);
            return Reflect.get(target, key, receiver) as unknown;
          },
        }),
    );
    const model = new TreeModel(nodes);
    recording = true;
    const rows = model.visibleRows(model.openToDepth(10));
    const window = Array.from({ length: 20 }, (_, i) => rows.row(i)!.node.id);
    recording = false;
    expect(rows.length).to.equal(10_000);
    // Opening reads the ids of nodes with children; a leaf is read only to draw its row.
    const leaves = nodes.filter((node) => node.childCount === 0).map((node) => node.id);
    const leavesRead = leaves.filter((id) => touched.has(id));
    expect(leavesRead.every((id) => window.includes(id))).to.equal(true);
    expect(leavesRead.length).to.be.at.most(20);
  });
});
