import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { GoalSummary } from '@okr-embed/contract';
import { json } from '../fixtures/fake-fetch.js';
import { goal, goalsByStatus, longTitle, rtlTitle, summaryOf } from '../fixtures/goals.js';
import {
  branded,
  brandWording,
  failingBff,
  loadingBff,
  type ThemeAndLocaleArgs,
  themeAndLocaleArgTypes,
  withFakeBff,
} from '../fixtures/story-providers.js';
import './goal-list.js';

interface Args extends ThemeAndLocaleArgs {
  goals: GoalSummary[];
}

const meta: Meta<Args> = {
  title: 'Widgets/Goal list',
  component: 'okr-goal-list',
  args: { goals: goalsByStatus },
  argTypes: themeAndLocaleArgTypes,
  render: (args) =>
    html`<okr-goal-list
      .goals=${args.goals}
      theme=${ifDefined(args.theme)}
      locale=${ifDefined(args.locale)}
    ></okr-goal-list>`,
};
export default meta;

type Story = StoryObj<Args>;

export const EachStatus: Story = {};

export const Empty: Story = { args: { goals: [] } };

export const LongAndRightToLeftTitles: Story = {
  render: () =>
    html`<div dir="rtl" lang="ar">
      <okr-goal-list
        .goals=${[summaryOf(goal({ id: 'rtl', title: rtlTitle })), summaryOf(goal({ id: 'long', title: longTitle }))]}
      ></okr-goal-list>
    </div>`,
};

export const German: Story = { globals: { locale: 'de' } };

export const Dark: Story = { globals: { theme: 'dark' } };

export const WhiteLabel: Story = {
  render: (args) =>
    branded(html`<okr-goal-list .goals=${args.goals} .wording=${brandWording}></okr-goal-list>`),
};

export const Loading: Story = {
  render: () => loadingBff(html`<okr-goal-list owner="me"></okr-goal-list>`, ['/goals']),
};

export const LoadFailed: Story = {
  render: () => failingBff(html`<okr-goal-list owner="me"></okr-goal-list>`, ['/goals']),
};

export const FetchedWithPaging: Story = {
  render: () =>
    withFakeBff(
      {
        '/goals': (request) =>
          json(
            new URL(request.url).searchParams.get('cursor')
              ? { items: goalsByStatus.slice(3), nextCursor: null }
              : { items: goalsByStatus.slice(0, 3), nextCursor: 'page-2' },
          ),
      },
      html`<okr-goal-list owner="me" limit="3"></okr-goal-list>`,
    ),
};
