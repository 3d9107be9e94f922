import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AlignmentNode } from '@okr-embed/contract';
import { json } from '../fixtures/fake-fetch.js';
import { alignmentTree, longTitle, rtlTitle } from '../fixtures/goals.js';
import {
  branded,
  brandWording,
  failingBff,
  loadingBff,
  type ThemeAndLocaleArgs,
  themeAndLocaleArgTypes,
  withFakeBff,
} from '../fixtures/story-providers.js';
import './alignment-tree.js';

interface Args extends ThemeAndLocaleArgs {
  nodes: AlignmentNode[];
  expandedDepth: number;
}

const small = alignmentTree(84);

const meta: Meta<Args> = {
  title: 'Widgets/Alignment tree',
  component: 'okr-alignment-tree',
  args: { nodes: small, expandedDepth: 1 },
  argTypes: themeAndLocaleArgTypes,
  render: (args) =>
    html`<okr-alignment-tree
      .nodes=${args.nodes}
      expanded-depth=${args.expandedDepth}
      theme=${ifDefined(args.theme)}
      locale=${ifDefined(args.locale)}
    ></okr-alignment-tree>`,
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = {};

export const FullyExpanded: Story = { args: { expandedDepth: 5 } };

/** 10 000 goals, all open: only the rows in view are in the DOM. */
export const TenThousandNodes: Story = {
  args: { nodes: alignmentTree(10_000), expandedDepth: 10 },
};

export const LongAndRightToLeftTitles: Story = {
  render: () => {
    const nodes = alignmentTree(21).map((node, i) =>
      i === 0 ? { ...node, title: rtlTitle } : i === 1 ? { ...node, title: longTitle } : node,
    );
    return html`<div dir="rtl" lang="ar">
      <okr-alignment-tree .nodes=${nodes}></okr-alignment-tree>
    </div>`;
  },
};

export const German: Story = { globals: { locale: 'de' } };

export const Dark: Story = { globals: { theme: 'dark' } };

export const WhiteLabel: Story = {
  render: (args) =>
    branded(
      html`<okr-alignment-tree .nodes=${args.nodes} .wording=${brandWording}></okr-alignment-tree>`,
    ),
};

export const Empty: Story = { args: { nodes: [] } };

export const Loading: Story = {
  render: () => loadingBff(html`<okr-alignment-tree></okr-alignment-tree>`, ['/alignment']),
};

export const LoadFailed: Story = {
  render: () => failingBff(html`<okr-alignment-tree></okr-alignment-tree>`, ['/alignment']),
};

/** The first two levels load at once; deeper levels load when a node is expanded. */
export const LazyChildren: Story = {
  render: () => {
    const all = alignmentTree(340);
    return withFakeBff(
      {
        '/alignment': (request) => {
          const root = new URL(request.url).searchParams.get('root');
          const nodes = root
            ? all.filter((node) => node.id === root || node.parentId === root)
            : all.filter((node) => node.depth < 2);
          return json({ nodes });
        },
      },
      html`<okr-alignment-tree timeframe="tf-q1"></okr-alignment-tree>`,
    );
  },
};
