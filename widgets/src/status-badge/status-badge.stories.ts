import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ProgressStatus } from '@okr-embed/contract';
import { statuses } from '../fixtures/goals.js';
import {
  branded,
  brandWording,
  type ThemeAndLocaleArgs,
  themeAndLocaleArgTypes,
} from '../fixtures/story-providers.js';
import './status-badge.js';

interface Args extends ThemeAndLocaleArgs {
  status: ProgressStatus;
}

const meta: Meta<Args> = {
  title: 'Widgets/Status badge',
  component: 'okr-status-badge',
  args: { status: 'on_track' },
  argTypes: {
    status: { control: 'select', options: statuses },
    ...themeAndLocaleArgTypes,
  },
  render: (args) =>
    html`<okr-status-badge
      status=${args.status}
      theme=${ifDefined(args.theme)}
      locale=${ifDefined(args.locale)}
    ></okr-status-badge>`,
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = {};

export const EachStatus: Story = {
  render: (args) =>
    html`${statuses.map((status) => html`<okr-status-badge status=${status} locale=${ifDefined(args.locale)}></okr-status-badge> `)}`,
};

export const German: Story = { ...EachStatus, globals: { locale: 'de' } };

export const Dark: Story = { ...EachStatus, globals: { theme: 'dark' } };

export const WhiteLabel: Story = {
  render: () =>
    branded(
      html`${statuses.map((status) => html`<okr-status-badge status=${status} .wording=${brandWording}></okr-status-badge> `)}`,
    ),
};
