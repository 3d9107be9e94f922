import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { goal, keyResultsByKind, statuses } from '../../widgets/src/fixtures/goals.js';
import '../../widgets/src/goal-card/goal-card.js';
import '../../widgets/src/progress-bar/progress-bar.js';
import '../../widgets/src/status-badge/status-badge.js';

/** The tokens a partner sets most often; every control writes one custom property. */
interface BrandTokens {
  '--okr-color-accent': string;
  '--okr-color-surface': string;
  '--okr-color-text': string;
  '--okr-color-text-muted': string;
  '--okr-color-border': string;
  '--okr-color-on-track': string;
  '--okr-color-needs-attention': string;
  '--okr-color-off-track': string;
  '--okr-color-accomplished': string;
  '--okr-font-family': string;
  '--okr-radius': string;
  '--okr-spacing': string;
}

const color = { control: 'color' } as const;

const meta: Meta<BrandTokens> = {
  title: 'Docs/Theming',
  // The Theming page (theming.mdx) is this file's documentation.
  tags: ['!autodocs'],
  args: {
    '--okr-color-accent': '#6d28d9',
    '--okr-color-surface': '#faf5ff',
    '--okr-color-text': '#2e1065',
    // A surface comes with its text colors, so the brand reads under every toolbar theme.
    '--okr-color-text-muted': '#5b4a86',
    '--okr-color-border': '#c4b5fd',
    '--okr-color-on-track': '#047857',
    '--okr-color-needs-attention': '#92400e',
    '--okr-color-off-track': '#b91c1c',
    '--okr-color-accomplished': '#1d4ed8',
    '--okr-font-family': 'Georgia, serif',
    '--okr-radius': '0',
    '--okr-spacing': '0.75rem',
  },
  argTypes: {
    '--okr-color-accent': color,
    '--okr-color-surface': color,
    '--okr-color-text': color,
    '--okr-color-text-muted': color,
    '--okr-color-border': color,
    '--okr-color-on-track': color,
    '--okr-color-needs-attention': color,
    '--okr-color-off-track': color,
    '--okr-color-accomplished': color,
  },
};
export default meta;

type Story = StoryObj<BrandTokens>;

/** A partner's brand applied through tokens alone: change any control and the widgets follow. */
export const BrandTokens: Story = {
  render: (tokens) =>
    html`<div style=${styleMap({ ...tokens })}>
      <okr-goal-card
        .goal=${goal({ keyResults: [keyResultsByKind.increase, keyResultsByKind.stay_below] })}
      ></okr-goal-card>
      <p>
        ${statuses.map((status) => html`<okr-status-badge status=${status}></okr-status-badge> `)}
      </p>
    </div>`,
};

/** Stable `part` names restyle what tokens do not reach, from the page's own style sheet. */
export const Parts: Story = {
  render: () =>
    html`<style>
        .striped-bars okr-progress-bar::part(track) {
          block-size: 1rem;
          border-radius: 0;
        }
        .striped-bars okr-progress-bar::part(indicator) {
          background-image: repeating-linear-gradient(
            45deg,
            transparent 0 0.5rem,
            rgb(255 255 255 / 0.35) 0.5rem 1rem
          );
        }
      </style>
      <div class="striped-bars">
        ${statuses.map(
          (status, i) =>
            html`<okr-progress-bar
              status=${status}
              .value=${[0, 0.62, 0.4, 0.15, 1][i] ?? 0}
              label=${`Progress, ${status.replace('_', ' ')}`}
              show-value
            ></okr-progress-bar>`,
        )}
      </div>`,
};
