import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { goal, goalsByStatus } from '../fixtures/goals.js';
import {
  brandWording,
  type ThemeAndLocaleArgs,
  themeAndLocaleArgTypes,
} from '../fixtures/story-providers.js';
import '../goal-card/goal-card.js';
import '../goal-list/goal-list.js';
import './provider.js';

type Args = ThemeAndLocaleArgs;

/** `<okr-provider>` has no UI: these stories show what it hands to the widgets inside it. */
const meta: Meta<Args> = {
  title: 'Widgets/Provider',
  component: 'okr-provider',
  argTypes: themeAndLocaleArgTypes,
  render: (args) =>
    html`<okr-provider locale=${ifDefined(args.locale)} theme=${ifDefined(args.theme)}>
      <okr-goal-card variant="compact" .goal=${goal()}></okr-goal-card>
      <okr-goal-list .goals=${goalsByStatus.slice(0, 3)}></okr-goal-list>
    </okr-provider>`,
};
export default meta;

type Story = StoryObj<Args>;

export const LocaleAndTheme: Story = {};

export const German: Story = { globals: { locale: 'de' } };

export const Dark: Story = { globals: { theme: 'dark' } };

export const RenamedWording: Story = {
  render: () =>
    html`<okr-provider .wording=${brandWording}>
      <okr-goal-card .goal=${goal()}></okr-goal-card>
    </okr-provider>`,
};
