import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ProgressStatus } from '@okr-embed/contract';
import { statuses } from '../fixtures/goals.js';
import {
  branded,
  type ThemeAndLocaleArgs,
  themeAndLocaleArgTypes,
} from '../fixtures/story-providers.js';
import './progress-bar.js';

interface Args extends ThemeAndLocaleArgs {
  value: number;
  status?: ProgressStatus;
  label: string;
  indeterminate: boolean;
  size: 'small' | 'medium' | 'large';
  showValue: boolean;
}

const meta: Meta<Args> = {
  title: 'Widgets/Progress bar',
  component: 'okr-progress-bar',
  args: {
    value: 0.47,
    status: 'on_track',
    label: 'Progress of Grow revenue',
    indeterminate: false,
    size: 'medium',
    showValue: true,
  },
  argTypes: {
    value: { control: { type: 'range', min: 0, max: 1, step: 0.01 } },
    status: { control: 'select', options: statuses },
    size: { control: 'inline-radio', options: ['small', 'medium', 'large'] },
    ...themeAndLocaleArgTypes,
  },
  render: (args) =>
    html`<okr-progress-bar
      .value=${args.value}
      .status=${args.status}
      .label=${args.label}
      ?indeterminate=${args.indeterminate}
      size=${args.size}
      ?show-value=${args.showValue}
      theme=${ifDefined(args.theme)}
      locale=${ifDefined(args.locale)}
    ></okr-progress-bar>`,
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = {};

export const EachStatus: Story = {
  render: (args) =>
    html`${statuses.map(
      (status, i) =>
        html`<okr-progress-bar
          .value=${[0, 0.62, 0.4, 0.15, 1][i]!}
          .status=${status}
          .label=${`Progress (${status})`}
          show-value
          locale=${ifDefined(args.locale)}
        ></okr-progress-bar>`,
    )}`,
};

export const Indeterminate: Story = { args: { indeterminate: true } };

export const Sizes: Story = {
  render: () =>
    html`${(['small', 'medium', 'large'] as const).map(
      (size) =>
        html`<okr-progress-bar
          size=${size}
          value="0.6"
          label=${`Progress, ${size}`}
        ></okr-progress-bar>`,
    )}`,
};

export const German: Story = {
  args: { label: 'Fortschritt von Umsatz steigern' },
  globals: { locale: 'de' },
};

export const RightToLeft: Story = {
  render: (args) =>
    html`<div dir="rtl" lang="ar">
      <okr-progress-bar
        .value=${args.value}
        status="on_track"
        label="التقدم"
        show-value
      ></okr-progress-bar>
    </div>`,
};

export const Dark: Story = { globals: { theme: 'dark' } };

export const WhiteLabel: Story = {
  render: (args) =>
    branded(
      html`<okr-progress-bar
        .value=${args.value}
        status="on_track"
        label="Progress"
        show-value
      ></okr-progress-bar>`,
    ),
};
